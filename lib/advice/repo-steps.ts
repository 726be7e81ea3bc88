// Pure: advice on the repository's own Dockerfile, when the comparison built it (the
// `repo` variant). Proven where the comparison or the chain built the change: the
// generated multi-stage Dockerfile in place of a single-stage one (a variant that was
// built and run), the build flags it lacks (their bytes measured by the chain's steps).
// Measured but not built: the build context a `docker build .` would send without a
// .dockerignore (.git included), files a layer adds and a later one deletes (dive's
// wasted bytes) and Go caches left in the image. The package manager's caches removed in
// their own RUN (cache-rewrite.ts) are planned here and built by the runner (repo-caches.ts).
import type { VariantAnalysisView, VariantView } from "@/lib/comparisons/types";
import { formatBytes } from "@/lib/format";
import { removePackageCaches, type CacheChange } from "./cache-rewrite";
import { unifiedDiff } from "./diff";
import type { PlannedStep } from "./state";

export interface BuildContextSize {
  /** Everything under the folder the Dockerfile is built from, .git included. */
  totalBytes: number;
  gitBytes: number;
  hasDockerignore: boolean;
}

export interface RepoStepInput {
  repo: Pick<VariantView, "dockerfile" | "sizeBytes" | "compressedBytes" | "status">;
  analysis: Pick<VariantAnalysisView, "efficiency" | "buildOnly"> | null;
  context: BuildContextSize | null;
  /** The smallest generated multi-stage variant that works. */
  generated: Pick<VariantView, "key" | "dockerfile" | "sizeBytes" | "compressedBytes"> | null;
  /** Bytes the chain measured for each flag (strip, trimpath), when it kept them. */
  flagSavings: { strip?: number; trimpath?: number };
}

const FROM = /^\s*FROM\s/im;
const GO_BUILD = /^(\s*RUN\b.*?\bgo build\b)(.*)$/;

export function repoSteps(input: RepoStepInput): PlannedStep[] {
  const { repo } = input;
  if (repo.status !== "built" || repo.sizeBytes === null) return [];
  const text = repo.dockerfile;
  const steps: PlannedStep[] = [];
  const stages = text.split("\n").filter((line) => FROM.test(line)).length;

  if (stages === 1 && input.generated?.sizeBytes != null) {
    const saved = repo.sizeBytes - input.generated.sizeBytes;
    if (saved > 0) {
      steps.push({
        key: "repo-multistage",
        role: "repo",
        title: "Your Dockerfile, multi-stage",
        why: `Your Dockerfile builds and runs in one stage; the multi-stage one Slimstage generated (${input.generated.key}) was built and works, ${formatBytes(saved)} smaller.`,
        status: "works",
        sizeBytes: input.generated.sizeBytes,
        compressedBytes: input.generated.compressedBytes,
        dockerfile: input.generated.dockerfile,
        patch: unifiedDiff(text, input.generated.dockerfile),
      });
    }
  }

  const flagged = addFlags(text);
  if (flagged.missing.length && flagged.text !== text) {
    const measured = (input.flagSavings.strip ?? 0) * Number(flagged.missing.includes("strip")) + (input.flagSavings.trimpath ?? 0) * Number(flagged.missing.includes("trimpath"));
    steps.push({
      key: "repo-flags",
      role: "repo",
      title: `Your Dockerfile's go build: add ${flagged.missing.map((m) => (m === "strip" ? '-ldflags="-s -w"' : "-trimpath")).join(" and ")}`,
      why: measured
        ? `Measured on Slimstage's build of the same program: ${formatBytes(measured)} smaller with ${flagged.missing.length === 1 ? "it" : "them"} (the strip and trimpath steps above).`
        : "The strip and trimpath steps above measured what they save on Slimstage's build of the same program.",
      status: measured > 0 ? "works" : "lead",
      sizeBytes: measured > 0 ? measured : null,
      patch: unifiedDiff(text, flagged.text),
    });
  }

  if (input.context && !input.context.hasDockerignore && input.context.gitBytes > 0) {
    steps.push({
      key: "repo-dockerignore",
      role: "repo",
      title: "Add a .dockerignore",
      why:
        `Without one, docker build sends the whole folder to the engine — ${formatBytes(input.context.totalBytes)}, of which ${formatBytes(input.context.gitBytes)} is .git — ` +
        `and a COPY . copies .git into the image. Measured on the checkout, not built (Slimstage never sends .git).`,
      status: "lead",
      sizeBytes: input.context.gitBytes,
      patch: unifiedDiff("", ".git\n", ".dockerignore"),
    });
  }

  const waste = input.analysis?.efficiency;
  if (waste && waste.wastedBytes > 0) {
    const top = [...waste.inefficiencies].sort((a, b) => b.wastedBytes - a.wastedBytes).slice(0, 3);
    steps.push({
      key: "repo-waste",
      role: "repo",
      title: "Files a layer adds and a later layer deletes or replaces",
      why:
        `${formatBytes(waste.wastedBytes)} of your image's layers are files a later layer deletes or overwrites (dive's wasted bytes): ` +
        `${top.map((i) => `${i.path} (${formatBytes(i.wastedBytes)})`).join(", ")}. Create and delete them in one RUN, or leave them in a build stage.`,
      status: "lead",
      sizeBytes: waste.wastedBytes,
    });
  }

  const caches = input.analysis?.buildOnly;
  const goCaches = caches ? caches.moduleCache + caches.buildCache : 0;
  const cacheBytes = caches ? caches.packageManager + goCaches : 0;
  const goParts = caches ? [caches.moduleCache && `Go module cache ${formatBytes(caches.moduleCache)}`, caches.buildCache && `Go build cache ${formatBytes(caches.buildCache)}`] : [];
  const rewrite = removePackageCaches(text);
  if (rewrite) {
    // Built by the runner the way the comparison built the repository's Dockerfile (repo-caches.ts).
    steps.push({
      key: "repo-caches",
      role: "repo",
      title: "Your Dockerfile: the package manager's caches removed in the RUN that makes them",
      why:
        `${caches?.packageManager ? `Your image keeps package manager files (${formatBytes(caches.packageManager)}). ` : ""}` +
        `Slimstage removed the caches in the same RUN — ${rewrite.changes.map(describeChange).join("; ")} — and built, measured and ran your Dockerfile so.`,
      status: "planned",
      dockerfile: rewrite.text,
      patch: unifiedDiff(text, rewrite.text),
    });
    if (goCaches > 0) {
      steps.push({
        key: "repo-go-caches",
        role: "repo",
        title: "Go's caches left in the image",
        why: `Your image keeps what only the build needs: ${goParts.filter(Boolean).join(", ")}. Use RUN --mount=type=cache for Go's caches — or a final stage without them.`,
        status: "lead",
        sizeBytes: goCaches,
      });
    }
  } else if (caches && cacheBytes > 0) {
    const parts = [caches.packageManager && `package manager ${formatBytes(caches.packageManager)}`, ...goParts].filter(Boolean);
    steps.push({
      key: "repo-caches",
      role: "repo",
      title: "Caches left in the image",
      why:
        `Your image keeps what only the build needs: ${parts.join(", ")}. ` +
        "Use apk add --no-cache, rm -rf /var/lib/apt/lists/* in the same RUN, or RUN --mount=type=cache for Go's caches — or a final stage without them.",
      status: "lead",
      sizeBytes: cacheBytes,
    });
  }
  return steps;
}

const describeChange = (change: CacheChange) =>
  change.what === "apk-no-cache" ? `line ${change.line}: apk add --no-cache` : `line ${change.line}: && rm -rf /var/lib/apt/lists/* at the end of the RUN`;

/** The Dockerfile with -trimpath and -ldflags="-s -w" added to each go build that lacks them. */
export function addFlags(text: string): { text: string; missing: Array<"strip" | "trimpath"> } {
  const missing = new Set<"strip" | "trimpath">();
  const lines = text.split("\n").map((line) => {
    const match = GO_BUILD.exec(line);
    if (!match) return line;
    const [, head, rest] = match;
    const add: string[] = [];
    if (!/-trimpath\b/.test(rest)) {
      missing.add("trimpath");
      add.push("-trimpath");
    }
    if (!/-ldflags[= ]["']?[^"'\n]*-s\b/.test(rest) || !/-ldflags[= ]["']?[^"'\n]*-w\b/.test(rest)) {
      if (/-ldflags/.test(rest)) return add.length ? `${head} ${add.join(" ")}${rest}` : line; // their own -ldflags: left as written
      missing.add("strip");
      add.push('-ldflags="-s -w"');
    }
    return add.length ? `${head} ${add.join(" ")}${rest}` : line;
  });
  return { text: lines.join("\n"), missing: [...missing] };
}
