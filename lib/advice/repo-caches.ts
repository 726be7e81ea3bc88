// The `repo-caches` step proven: the repository's own Dockerfile with the package manager's
// caches removed in the RUN that makes them (cache-rewrite.ts), built exactly as the
// comparison built the `repo` variant — the same reading of the file (lib/jobs/repo-job.ts:
// its refusals, its syntax line and mount targets, its stand-in bases), the same context
// from the fetched source, no build arguments, the repository builds' own network — then
// measured and run-checked against the single-stage image by the runner's `build`. When
// that cannot be done here, the step stays the lead it was, saying why.
import type { BaseImages, RepoBuildNetwork } from "@/lib/config";
import { buildContext } from "@/lib/engine/build-context";
import type { BuilderInfo, Engine } from "@/lib/engine/engine";
import { repoJob, repoNetworkMode } from "@/lib/jobs/repo-job";
import { formatBytes } from "@/lib/format";
import type { Readable } from "node:stream";
import { removePackageCaches } from "./cache-rewrite";
import type { StepOutcome } from "./state";
import type { StepStatus } from "./types";

export interface RepoBuildSpec {
  context: Readable;
  buildArgs: Record<string, string>;
  networkMode: string | undefined;
}

/** What the runner's build, measure and run check of one image found. */
export interface Proven {
  status: StepStatus;
  reason?: string | null;
  sizeBytes?: number | null;
  compressedBytes?: number | null;
  buildSeconds?: number | null;
  diagnosis?: { code: string; message: string; fix: string } | null;
  runOutput?: string | null;
  startMs?: number | null;
}

export interface RepoCachesInput {
  engine: Engine;
  bases?: BaseImages;
  repoBases?: string[];
  repoBuildNetwork?: RepoBuildNetwork;
  signal: AbortSignal;
  sourceDir: string;
  /** The repo variant as the comparison recorded it. */
  repo: { dockerfile: string; sizeBytes: number };
  /** The package manager's bytes the analysis measured in the repo image: the lead's figure when nothing is built. */
  leadBytes: number | null;
  /** Builds the image, measures it and run-checks it against the single-stage image (runner.ts). */
  build: (spec: RepoBuildSpec) => Promise<Proven>;
}

export async function proveRepoCaches(input: RepoCachesInput): Promise<StepOutcome> {
  const lead = (why: string): StepOutcome => ({ status: "lead", reason: `Not built: ${why}.`, sizeBytes: input.leadBytes });
  if (input.repoBuildNetwork === "off") return lead("this server does not build repositories' own Dockerfiles (SLIMSTAGE_REPO_BUILD_NETWORK=off)");
  if (!input.bases) return lead("this worker has no base images configured");
  let builder: BuilderInfo;
  let job: Awaited<ReturnType<typeof repoJob>>;
  try {
    builder = await input.engine.builder();
    job = await repoJob(input.sourceDir, builder, { engine: input.engine, bases: input.bases, repoBases: input.repoBases, signal: input.signal }, async () => {});
  } catch (error) {
    if (input.signal.aborted) throw error;
    return lead(`your Dockerfile could not be prepared as the comparison prepared it (${error instanceof Error ? error.message : String(error)})`);
  }
  if (job.displayDockerfile !== input.repo.dockerfile) return lead("the repository's Dockerfile is not the one the comparison built");
  if (job.refusal) return lead(job.refusal);
  for (const image of job.baseImages) {
    if (!(await input.engine.image(image).catch(() => null))) return lead(`its base image ${image} is no longer on the engine`);
  }
  const rewrite = removePackageCaches(job.ownDockerfile ?? job.displayDockerfile);
  if (!rewrite) return lead("the Dockerfile as it is built here (stand-in bases, its syntax line) leaves nothing to rewrite");

  const result = await input.build({
    context: buildContext({ sourceDir: input.sourceDir, dockerfile: null, ownDockerfile: rewrite.text }),
    buildArgs: {},
    networkMode: repoNetworkMode(input.repoBuildNetwork),
  });
  const figures: StepOutcome = {
    sizeBytes: result.sizeBytes ?? null,
    compressedBytes: result.compressedBytes ?? null,
    buildSeconds: result.buildSeconds ?? null,
    startMs: result.startMs ?? null,
    diagnosis: result.diagnosis ?? null,
    runOutput: result.runOutput ?? null,
  };
  if (result.status !== "works") return { ...figures, status: result.status, reason: result.reason ?? "It was built, but it does not run as the single-stage image does." };
  const saved = input.repo.sizeBytes - (result.sizeBytes ?? input.repo.sizeBytes);
  if (saved <= 0) return { ...figures, status: "no-gain", reason: "It works, and saves nothing here: the image held none of these caches." };
  return { ...figures, status: "works", reason: `Built as your Dockerfile was built and run-checked against the single-stage image: ${formatBytes(saved)} smaller than your image.` };
}
