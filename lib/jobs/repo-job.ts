// The repository's own Dockerfile as a variant: untrusted, so it is read first
// (lib/dockerfiles/repo-dockerfile.ts) and refused before building when it fetches from
// the network itself (a remote ADD) or names a base image that is neither on the engine
// nor allowed (SLIMSTAGE_REPO_BASES). The build's network setting stays the real
// defence: the reader only refuses early, with a clear reason. Then, for today's
// Dockerfiles: a `# syntax=` frontend that cannot be fetched is left out (the engine's
// built-in frontend reads the file, and the variant says so), and an official base that
// cannot be pulled is replaced by the local stand-in of the same kind ("built on
// stand-ins", shown with its size); for Podman's builder, RUN --mount targets written
// relative to the WORKDIR (as `docker init` writes them) are made absolute.
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { BaseImages, RepoBuildNetwork } from "@/lib/config";
import { imagePolicy } from "@/lib/dockerfiles/image-ref";
import { readRepoDockerfile } from "@/lib/dockerfiles/repo-dockerfile";
import { absoluteMountTargets } from "@/lib/dockerfiles/mount-targets";
import { replaceBaseImages, standInFor, syntaxDirective, withoutSyntaxDirective } from "@/lib/dockerfiles/frontend";
import { PullFailedError, type BuilderInfo, type Engine } from "@/lib/engine/engine";
import { ensureStandIn } from "@/lib/jobs/go-builder";
import type { PlannedJob } from "@/lib/jobs/plan-comparison";

export interface RepoJobDeps {
  engine: Engine;
  bases: BaseImages;
  repoBases?: string[];
  signal?: AbortSignal;
}

export async function repoJob(dir: string, builder: BuilderInfo, deps: RepoJobDeps, setPhase: (phase: string) => Promise<void>): Promise<PlannedJob> {
  const text = await readFile(path.join(dir, "Dockerfile"), "utf8");
  const heredocs = builder.kind === "buildkit";
  const first = readRepoDockerfile(text, { allowed: () => true, present: () => true, heredocs });
  const wantedImages = first.ok ? first.baseImages : [];
  const present = new Set<string>();
  for (const ref of wantedImages) if (await deps.engine.image(ref).catch(() => null)) present.add(ref);
  const read = first.ok ? readRepoDockerfile(text, { ...imagePolicy(deps.repoBases ?? [], present), heredocs }) : first;
  const job: PlannedJob = {
    key: "repo",
    naive: false,
    dockerfile: null,
    displayDockerfile: text,
    baseImages: read.ok ? read.baseImages : wantedImages,
    runtimeImage: read.ok ? read.finalBase : null,
  };
  if (!read.ok) return { ...job, refusal: `Refused before building (${read.code}): ${read.message}` };

  const notes: string[] = [];
  let built = text;
  // A pull can take minutes: the page says which image it waits for.
  const pulled = (ref: string) => pullable(deps.engine, ref, () => setPhase(`pulling ${ref} for the repository's Dockerfile`), deps.signal);
  // Only BuildKit reads a syntax line (the classic builder takes it for a comment).
  const syntax = syntaxDirective(text);
  if (syntax && builder.kind === "buildkit" && !(await pulled(syntax.ref))) {
    built = withoutSyntaxDirective(built);
    notes.push(`Built with the engine's built-in Dockerfile frontend: the frontend its syntax line asks for (${syntax.ref}) cannot be fetched here.`);
  }

  if (builder.absoluteMountTargets) {
    const mounts = absoluteMountTargets(built);
    if (mounts.changed.length) {
      built = mounts.text;
      notes.push(`Its RUN --mount targets were made absolute (${mounts.changed.join(", ")}): this engine's builder takes only absolute ones, where BuildKit resolves them against the WORKDIR.`);
    }
  }

  const replaced = new Map<string, string>();
  for (const ref of job.baseImages) {
    if (present.has(ref) || (await pulled(ref))) continue;
    const standIn = standInFor(ref, deps.bases);
    if (standIn && (await ensureStandIn(deps.engine, standIn, deps.signal))) replaced.set(ref, standIn);
  }
  if (replaced.size > 0) {
    const stages = read.stages.flatMap((stage) => (stage.base.kind === "image" ? [{ line: stage.line, ref: stage.base.ref }] : []));
    built = replaceBaseImages(built, stages, replaced);
    const list = [...replaced].map(([from, to]) => `${from} → ${to}`).join(", ");
    notes.push(`Built on stand-ins: ${list} (the official images cannot be pulled here), so its sizes are those of the stand-ins, not of the official images.`);
  }
  return {
    ...job,
    baseImages: job.baseImages.map((ref) => replaced.get(ref) ?? ref),
    runtimeImage: job.runtimeImage ? (replaced.get(job.runtimeImage) ?? job.runtimeImage) : null,
    ownDockerfile: built === text ? null : built,
    note: notes.length ? notes.join(" ") : null,
  };
}

/** The network the repository's own Dockerfile builds with: "bridge" is the engine's default network; "none" (the default) has no interface but loopback. */
export const repoNetworkMode = (setting: RepoBuildNetwork | undefined): string | undefined => (setting === "bridge" ? undefined : "none");

// Whether the engine has the image or can pull it now (a failed pull is an answer, not an error).
async function pullable(engine: Engine, ref: string, pulling: () => Promise<void>, signal?: AbortSignal): Promise<boolean> {
  if (await engine.image(ref).catch(() => null)) return true;
  await pulling();
  try {
    await engine.pull(ref, () => {}, signal);
    return true;
  } catch (error) {
    if (error instanceof PullFailedError) return false;
    throw error;
  }
}
