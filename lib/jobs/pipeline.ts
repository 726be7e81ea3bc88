// The use case: run one comparison from its row to its finished variants. Fetches the
// source, analyses the module, plans the variants, builds each, and measures and runs
// each built image once (to see whether it works) while the others build. Progress is
// written to the rows as it happens: the database is the truth the pages read. Outside
// systems come in as arguments, so tests can pick them.
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { BaseImages, RepoBuildNetwork } from "@/lib/config";
import type { Db } from "@/lib/db";
import type { BuildPlan, VariantKey } from "@/lib/dockerfiles/generate";
import { planVariants, VARIANT_KEYS, type PlannedVariant } from "@/lib/dockerfiles/plan";
import { imagePolicy } from "@/lib/dockerfiles/image-ref";
import { readRepoDockerfile } from "@/lib/dockerfiles/repo-dockerfile";
import { EngineUnavailableError, type Engine } from "@/lib/engine/engine";
import { describeUnexpected, UserError } from "@/lib/errors";
import { analyzeModule, selectMainPackage } from "@/lib/source/analyze";
import { chooseBuilder } from "@/lib/source/go-mod";
import { readModuleFiles } from "@/lib/source/read-module";
import type { Source, SourceResolver } from "@/lib/source/resolve";
import type { RunResult } from "@/lib/verify/diagnose";
import { judgeRunCheck, runCheck } from "@/lib/verify/run-check";
import { buildVariant, measureVariant, type VariantBuildDeps, type VariantJob } from "@/lib/jobs/variant-build";
import { changeVariant, finishComparison, recordRunCheck, setPhase as writePhase, settleVariants } from "@/lib/jobs/state";

export interface PipelineDeps extends VariantBuildDeps {
  bases: BaseImages;
  resolveSource: SourceResolver;
  /** GOPROXY, GOSUMDB, ... for the builder stage. */
  buildArgs?: Record<string, string>;
  /** Network of build steps ("host" reaches a module proxy on loopback). */
  buildNetwork?: string;
  /** Network of the repository's own Dockerfile ("none" by default; "off": not built). */
  repoBuildNetwork?: RepoBuildNetwork;
  /** Patterns of base images a repository's own Dockerfile may pull (SLIMSTAGE_REPO_BASES). */
  repoBases?: string[];
  /** The worker holding the comparison: its final write happens only while it still does. */
  workerId?: string;
  runTimeoutSeconds?: number;
  logFlushMs?: number;
  /** Aborted when the comparison is canceled. */
  signal?: AbortSignal;
  buildTimeLimitMs?: number;
}

export type PlanKey = VariantKey | "repo";

interface PlannedJob extends Omit<PlannedVariant, "dockerfile"> {
  dockerfile: string | null;
  displayDockerfile: string;
}

export async function runComparison(id: string, deps: PipelineDeps): Promise<void> {
  const { db } = deps;
  const comparison = await db.comparison.findUniqueOrThrow({ where: { id } });
  const signal = deps.signal;
  const setPhase = (phase: string) => {
    signal?.throwIfAborted();
    return writePhase(db, id, phase);
  };
  const finish = (status: "succeeded" | "failed" | "canceled", error?: { code: string; message: string }) =>
    finishComparison(db, id, deps.workerId ?? null, status, error);
  let source: Source | null = null;
  const builds: Array<Promise<unknown>> = [];
  let settleReference: (result: RunResult | null) => void = () => {};
  const tails: Array<Promise<void>> = [];
  try {
    await deps.engine.version();
    await setPhase(comparison.repo.startsWith("example:") ? "reading the example" : "cloning the repository");
    source = await deps.resolveSource({ ...comparison, signal });

    await setPhase("analysing the module");
    const { goMod, files, allPaths } = await readModuleFiles(source.dir);
    if (goMod === null) throw new UserError("NO_GO_MOD", "The source has no go.mod at its root.", "invalid", "subdir");
    const analysis = analyzeModule(goMod, files);
    // The choices are kept before choosing, so a page can offer each one even when none was chosen.
    await db.comparison.update({ where: { id }, data: { mainPackages: JSON.stringify(analysis.mainPackages) } });
    const { mainPackage, note: mainPackageNote } = selectMainPackage(analysis, comparison.mainPackage);
    const builder = chooseBuilder(analysis.goVersion, deps.bases.golang);
    if (!builder) throw new UserError("NO_BUILDER", "No Go builder image is configured (SLIMSTAGE_BASE_GOLANG).", "unavailable");

    const notes: string[] = [];
    if (mainPackageNote) notes.push(mainPackageNote);
    if (builder.warning) notes.push(builder.warning);
    if (analysis.needs.cgo) {
      notes.push(
        'The program uses cgo (import "C"), so its binary links the C library dynamically: ' +
          "the scratch, distroless and Alpine variants cannot run it unless it is built with CGO_ENABLED=0.",
      );
    }
    const plan: BuildPlan = {
      builderImage: builder.image,
      mainPackage,
      hasGoSum: allPaths.includes("go.sum"),
      vendored: analysis.vendored,
      needs: analysis.needs,
    };
    const wanted = parseKeys(comparison.variantKeys);
    const jobs: PlannedJob[] = planVariants(wanted.filter(isGenerated), plan, deps.bases).map((v) => ({
      ...v,
      displayDockerfile: v.dockerfile,
    }));
    const refusals = new Map<string, string>();
    if (wanted.includes("repo") && allPaths.includes("Dockerfile") && deps.repoBuildNetwork !== "off") {
      const repo = await repoJob(source.dir, deps);
      jobs.push(repo.job);
      if (repo.refusal) refusals.set("repo", repo.refusal);
    }

    await db.$transaction([
      db.comparison.update({
        where: { id },
        data: {
          commit: source.commit,
          module: analysis.module,
          goVersion: analysis.goVersion,
          mainPackage,
          needsTzdata: analysis.needs.tzdata,
          needsCaRoots: analysis.needs.caRoots,
          needsCgo: analysis.needs.cgo,
          notes: JSON.stringify(notes),
        },
      }),
      db.variant.deleteMany({ where: { comparisonId: id } }),
      db.variant.createMany({
        data: jobs.map((job, position) => ({
          comparisonId: id,
          key: job.key,
          naive: job.naive,
          position,
          dockerfile: job.displayDockerfile,
          baseImages: JSON.stringify(job.baseImages),
        })),
      }),
    ]);

    // The first build compiles the builder stage every generated variant shares; the
    // others then take it from the build cache and run side by side. Each built image is
    // measured and run while the rest build.
    const sourceDir = source.dir;
    const run = runSettings(comparison.runArgs, comparison.runEnv);
    const timeoutSeconds = deps.runTimeoutSeconds ?? 10;
    let checked = 0;
    let buildsDone = false;
    const checksPhase = () => setPhase(`run checks (${checked} of ${tails.length} done)`);
    // The single-stage image's run is the reference the others are judged against; null
    // when it is not built (not asked for, failed, skipped).
    const reference = new Promise<RunResult | null>((resolve) => (settleReference = resolve));
    if (!jobs.some((job) => job.key === "single")) settleReference(null);
    // Measuring (a push) and the run check both need only the built image: side by side.
    const measureAndCheck = async (job: VariantJob, imageId: string) => {
      const checking = runCheck({ comparisonId: id, key: job.key, imageId, timeoutSeconds, signal, owner: deps.workerId, ...run }, deps);
      if (job.key === "single") checking.then(settleReference, () => settleReference(null));
      const [measured, checked_] = await Promise.allSettled([measureVariant(job, imageId, deps), checking]);
      if (measured.status === "rejected") throw measured.reason;
      if (checked_.status === "rejected") throw checked_.reason;
      const record = judgeRunCheck(job.key, checked_.value, job.key === "single" ? null : await reference);
      await recordRunCheck(db, { comparisonId: id, key: job.key }, record);
      checked++;
      if (buildsDone) await checksPhase();
    };
    const build = async (job: PlannedJob, n: number): Promise<{ status: string }> => {
      const refusal = refusals.get(job.key);
      if (refusal) {
        await changeVariant(db, { comparisonId: id, key: job.key }, { status: "failed", reason: refusal });
        return { status: "failed" };
      }
      await setPhase(`building ${job.key} (${n + 1} of ${jobs.length})`);
      const variantJob: VariantJob = {
        comparisonId: id,
        key: job.key,
        dockerfile: job.dockerfile,
        baseImages: job.baseImages,
        runtimeImage: job.runtimeImage,
        sourceDir,
        buildArgs: job.dockerfile === null ? {} : (deps.buildArgs ?? {}),
        // The repository's own Dockerfile runs its own commands: by default with no network
        // at all (SLIMSTAGE_REPO_BUILD_NETWORK), never on the host's. Generated variants run
        // no code of the repository while they build (go build compiles; nothing runs).
        networkMode: job.dockerfile === null ? repoNetworkMode(deps.repoBuildNetwork) : plan.vendored ? "none" : deps.buildNetwork,
        signal,
        buildTimeLimitMs: deps.buildTimeLimitMs,
      };
      const outcome = await buildVariant(variantJob, deps);
      if (job.key === "single" && outcome.status !== "built") settleReference(null);
      if (outcome.status === "built") {
        const tail = measureAndCheck(variantJob, outcome.imageId);
        tail.catch(() => {}); // awaited below, where a failure ends the comparison
        tails.push(tail);
      }
      return outcome;
    };
    let compiled = false;
    for (const [n, job] of jobs.entries()) {
      if (compiled) {
        const running = build(job, n);
        running.catch(() => {});
        builds.push(running);
      } else {
        compiled = (await build(job, n)).status !== "skipped" && job.dockerfile !== null;
      }
    }
    await Promise.all(builds);
    buildsDone = true;
    if (tails.length) await checksPhase();
    await Promise.all(tails);
    signal?.throwIfAborted();
    await finish("succeeded");
  } catch (error) {
    // Whatever waits for the reference stops waiting.
    settleReference(null);
    // Nothing still building, measuring or running may write after the comparison's end
    // (a build that is still running may yet add a tail).
    await Promise.allSettled(builds);
    await Promise.allSettled(tails);
    const reason = signal?.reason instanceof Error ? signal.reason.name : "";
    if (signal?.aborted && reason === "LeaseLostError") {
      // Another worker holds the comparison now: it writes, this one does not.
    } else if (signal?.aborted) {
      // Canceled by a user, or stopped by the comparison's time limit.
      const timedOut = reason === "TimeLimitError";
      const message = timedOut ? (signal.reason as Error).message : "The comparison was canceled.";
      await settleVariants(db, id, message);
      await finish(timedOut ? "failed" : "canceled", { code: timedOut ? "TIME_LIMIT" : "CANCELED", message });
    } else {
      const failure =
        error instanceof UserError || error instanceof EngineUnavailableError
          ? { code: error instanceof UserError ? error.code : "ENGINE_UNAVAILABLE", message: error.message }
          : describeUnexpected(error, `comparison ${id}`);
      await settleVariants(db, id, `Not built: ${failure.message}`);
      await finish("failed", failure);
    }
  } finally {
    await source?.cleanup().catch((error: unknown) => describeUnexpected(error, `cleanup of comparison ${id}`));
  }
}

// The repository's own Dockerfile, built as it is from the module folder: untrusted,
// so it is read first (lib/dockerfiles/repo-dockerfile.ts) and refused before building
// when it fetches from the network itself (a remote ADD) or names a base image that is
// neither on the engine nor allowed (SLIMSTAGE_REPO_BASES). The build's network setting
// stays the real defence: the reader only refuses early, with a clear reason.
async function repoJob(dir: string, deps: PipelineDeps): Promise<{ job: PlannedJob; refusal: string | null }> {
  const text = await readFile(path.join(dir, "Dockerfile"), "utf8");
  const first = readRepoDockerfile(text, { allowed: () => true, present: () => true });
  const wantedImages = first.ok ? first.baseImages : [];
  const present = (await Promise.all(wantedImages.map(async (ref) => ((await deps.engine.image(ref).catch(() => null)) ? ref : null)))).filter(
    (ref): ref is string => ref !== null,
  );
  const read = first.ok ? readRepoDockerfile(text, imagePolicy(deps.repoBases ?? [], present)) : first;
  const job: PlannedJob = {
    key: "repo",
    naive: false,
    dockerfile: null,
    displayDockerfile: text,
    baseImages: read.ok ? read.baseImages : wantedImages,
    runtimeImage: read.ok ? read.finalBase : null,
  };
  return { job, refusal: read.ok ? null : `Refused before building (${read.code}): ${read.message}` };
}

function parseKeys(text: string | null): PlanKey[] {
  const all: PlanKey[] = [...VARIANT_KEYS, "repo"];
  if (!text) return all;
  try {
    const keys = JSON.parse(text) as unknown;
    return Array.isArray(keys) ? all.filter((k) => keys.includes(k)) : all;
  } catch {
    return all;
  }
}

// Stored as JSON by the service after validation; anything unreadable is left out.
function runSettings(argsText: string | null, envText: string | null): { args?: string[]; env?: string[] } {
  const parse = (text: string | null): unknown => {
    try {
      return text ? JSON.parse(text) : undefined;
    } catch {
      return undefined;
    }
  };
  const args = parse(argsText);
  const env = parse(envText);
  return {
    ...(Array.isArray(args) ? { args: args.map(String) } : {}),
    ...(env && typeof env === "object" ? { env: Object.entries(env).map(([name, value]) => `${name}=${String(value)}`) } : {}),
  };
}

const isGenerated = (key: PlanKey): key is VariantKey => key !== "repo";

// "bridge" is the engine's default network; "none" (the default) has no interface but loopback.
const repoNetworkMode = (setting: RepoBuildNetwork | undefined): string | undefined => (setting === "bridge" ? undefined : "none");
