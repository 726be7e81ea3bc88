// The use case: run one comparison from its row to its finished variants, in named
// stages — resolve the source, plan (pure: plan-comparison.ts), record the plan, reuse
// the results of an earlier comparison of the same build (reuse.ts) or build each variant
// (measuring and running each built image while the others build), and classify the
// outcome (pure: outcome.ts). Progress is written to the rows as it
// happens: the database is the truth the pages read. Outside systems come in as
// arguments, so tests can pick them.
import type { BaseImages, RepoBuildNetwork } from "@/lib/config";
import type { Db, ReadDb } from "@/lib/db";
import { EngineUnavailableError, type BuilderInfo, type Engine } from "@/lib/engine/engine";
import type { LayerFileStore, SizeRegistry } from "@/lib/measure/size-registry";
import { describeUnexpected, UserError } from "@/lib/errors";
import { createLogger, errorMessage, type Logger } from "@/lib/log";
import { analyzeModule } from "@/lib/source/analyze";
import { readModuleFiles } from "@/lib/source/read-module";
import type { Source, SourceResolver } from "@/lib/source/resolve";
import type { RunResult } from "@/lib/verify/diagnose";
import { judgeRunCheck, runCheck } from "@/lib/verify/run-check";
import { ensureProber } from "@/lib/verify/prober-image";
import { buildVariant, measureVariant, type VariantJob } from "@/lib/jobs/variant-build";
import { afterFinish } from "@/lib/jobs/finish-diff";
import { changeVariant, finishComparison, recordMainPackages, recordPlan, recordRunCheck, setPhase as writePhase, settleVariants, variantEnds } from "@/lib/jobs/state";
import { planComparison, type ComparisonPlan, type PlannedJob } from "@/lib/jobs/plan-comparison";
import { classifyOutcome, fullerReasons } from "@/lib/jobs/outcome";
import { cacheScope } from "@/lib/jobs/cache-scope";
import { prepareGoBuilder } from "@/lib/jobs/go-builder";
import { repoJob, repoNetworkMode } from "@/lib/jobs/repo-job";
import { reuseEarlier } from "@/lib/jobs/reuse";
import { storedRunSettings } from "@/lib/comparisons/run-input";

/** The outside systems a comparison uses, made once per worker (lib/roots/worker.ts). */
export interface PipelineServices {
  db: Db;
  engine: Engine;
  resolveSource: SourceResolver;
  /** Where compressed sizes come from; without it, from the image export. */
  registry?: SizeRegistry;
  /** Layers' file lists by digest (those the registry already knew come from here). */
  layerFiles?: LayerFileStore;
  /** The read connection (opened on first use) the diff with the previous comparison is computed on at the end; without one it is not stored. */
  read?: () => ReadDb;
}

/** The operator's settings (lib/config.ts), the same for every comparison of a worker. */
export interface PipelineSettings {
  bases: BaseImages;
  /** GOPROXY, GOSUMDB, ... for the builder stage. */
  buildArgs?: Record<string, string>;
  /** Network of build steps ("host" reaches a module proxy on loopback). */
  buildNetwork?: string;
  /** Network of the repository's own Dockerfile ("none" by default; "off": not built). */
  repoBuildNetwork?: RepoBuildNetwork;
  /** Patterns of base images a repository's own Dockerfile may pull (SLIMSTAGE_REPO_BASES). */
  repoBases?: string[];
  /** Limits of what the analysis reads (SLIMSTAGE_MAX_SOURCE_FILES, SLIMSTAGE_MAX_SOURCE_MB). */
  sourceLimits?: { maxFiles: number; maxBytes: number };
  /** Processes and bytes one build may use (SLIMSTAGE_BUILD_PIDS, SLIMSTAGE_MAX_IMAGE_MB). */
  buildLimits?: { pids: number; maxImageBytes: number; cgroupParent: string | undefined };
  runTimeoutSeconds?: number;
  buildTimeLimitMs?: number;
  logFlushMs?: number;
}

/** This run's own values. */
export interface RunValues {
  /** Aborted when the comparison is canceled, times out or its lease is lost. */
  signal?: AbortSignal;
  /** The worker holding the comparison: its final write happens only while it still does. */
  workerId?: string;
  /** The worker's logger with this comparison's id (lib/roots/worker.ts); without one, warnings and errors go to stdout. */
  log?: Logger;
}

/** Services, settings and this run's values: three things, passed as one for the stages. */
export type PipelineDeps = PipelineServices & PipelineSettings & RunValues;

type Comparison = Awaited<ReturnType<Db["comparison"]["findUniqueOrThrow"]>>;

export async function runComparison(id: string, given: PipelineDeps): Promise<void> {
  const deps: PipelineDeps & { log: Logger } = { ...given, log: given.log ?? createLogger({ role: "worker", level: "warn" }).child({ comparisonId: id }) };
  const { db, signal, log } = deps;
  const comparison = await db.comparison.findUniqueOrThrow({ where: { id } });
  const started = performance.now();
  log.info({ repo: comparison.repo, ref: comparison.ref }, "comparison started");
  const setPhase = (phase: string) => {
    signal?.throwIfAborted();
    return writePhase(db, id, phase);
  };
  const work = new InFlight();
  let source: Source | null = null;
  try {
    await deps.engine.version();
    await setPhase(comparison.repo.startsWith("example:") ? "reading the example" : "cloning the repository");
    source = await deps.resolveSource({ ...comparison, signal });

    await setPhase("analysing the module");
    const planned = await plan(id, comparison, source, deps, setPhase);
    await recordPlan(db, id, {
      commit: source.commit,
      module: planned.analysis.module,
      goVersion: planned.analysis.goVersion,
      mainPackage: planned.mainPackage,
      needs: planned.analysis.needs,
      notes: planned.notes,
      variants: planned.jobs.map((job) => ({ key: job.key, naive: job.naive, dockerfile: job.displayDockerfile, baseImages: job.baseImages, note: job.note })),
    });

    // The same build as an earlier comparison's: its results, from the database.
    const reused = await reuseEarlier({ id, comparison, source, mainPackage: planned.mainPackage, jobs: planned.jobs }, deps);
    if (!reused) await buildAll(id, comparison, planned, source.dir, deps, setPhase, work);
    signal?.throwIfAborted();
    const outcome = classifyOutcome(await variantEnds(db, id));
    if (await finishComparison(db, id, deps.workerId ?? null, outcome.status, outcome.status === "failed" ? outcome.error : undefined)) {
      await afterFinish(db, deps.read, id, log);
    }
    log.info({ status: outcome.status, errorCode: outcome.status === "failed" ? outcome.error.code : undefined, seconds: seconds(started) }, "comparison finished");
  } catch (error) {
    // Nothing still building, measuring or running may write after the comparison's end.
    await work.settle();
    await recordFailure(id, error, deps);
  } finally {
    await source?.cleanup().catch((error: unknown) => describeUnexpected(error, `cleanup of comparison ${id}`, log));
  }
}

// Stage 2: read the module, choose and prepare its Go builder, plan the variants; the
// repository's own Dockerfile joins them, read (and maybe refused) before any build.
async function plan(id: string, comparison: Comparison, source: Source, deps: PipelineDeps, setPhase: (phase: string) => Promise<void>) {
  const { goMod, goWork, files, allPaths } = await readModuleFiles(source.dir, deps.sourceLimits);
  if (goMod === null) throw new UserError("NO_GO_MOD", "The source has no go.mod at its root.", "invalid", "subdir");
  const analysis = analyzeModule(goMod, files);
  await recordMainPackages(deps.db, id, analysis.mainPackages);
  const engineBuilder: BuilderInfo = await deps.engine.builder();
  const builder = await prepareGoBuilder(analysis, goWork, deps, setPhase);
  const planned: ComparisonPlan = planComparison({
    analysis,
    requestedMainPackage: comparison.mainPackage,
    variantKeys: comparison.variantKeys,
    bases: deps.bases,
    builder,
    engineBuilder: engineBuilder.kind,
    hasGoSum: allPaths.includes("go.sum"),
    cacheScope: cacheScope(comparison, deps.buildArgs ?? {}),
  });
  if (source.workspaceAbove) {
    planned.notes.push(
      `This module is used by the workspace ${source.workspaceAbove} above its folder; Slimstage builds the folder alone, without the workspace, ` +
        "so a module only the workspace provides is missing: add a replace directive for it to go.mod (for example replace example.com/lib => ../lib).",
    );
  }
  if (planned.wantsRepo && allPaths.includes("Dockerfile") && deps.repoBuildNetwork !== "off") {
    planned.jobs.push(await repoJob(source.dir, engineBuilder, deps, setPhase));
  }
  return { ...planned, analysis };
}

// Stage 4: every generated variant shares one builder stage, compiled once: with BuildKit
// all builds start together (it merges the identical steps in flight), with the classic
// builder the first build compiles and the others take it from the cache. Each built
// image is measured and run while the rest build; the single-stage image's run is the
// reference the others are judged against.
async function buildAll(
  id: string,
  comparison: Comparison,
  planned: ComparisonPlan,
  sourceDir: string,
  deps: PipelineDeps,
  setPhase: (phase: string) => Promise<void>,
  work: InFlight,
): Promise<void> {
  const { db, signal } = deps;
  const { jobs } = planned;
  // The builder the plan was made for (its Dockerfiles use its features).
  const engineBuilder = planned.plan.builder ?? "classic";
  const run = storedRunSettings(comparison.runArgs, comparison.runEnv);
  const timeoutSeconds = deps.runTimeoutSeconds ?? 10;
  const reference = new Reference(jobs.some((job) => job.key === "single"));
  // Servers are judged by their answers: the prober image, made once per engine, meanwhile.
  const prober = ensureProber(deps.engine, planned.plan.builderImage).catch((error: unknown) => {
    deps.log?.warn({ err: error }, `servers are judged without their answers: the prober image could not be made (${errorMessage(error)})`);
    return undefined;
  });
  work.onSettle(() => reference.settle(null));
  let checked = 0;
  let buildsDone = false;
  const checksPhase = () => setPhase(`run checks (${checked} of ${work.tails.length} done)`);

  // Measuring (a push) and the run check both need only the built image: side by side.
  const measureAndCheck = async (job: VariantJob, imageId: string) => {
    const measuring = measureVariant(job, imageId, { ...deps, log: deps.log?.child({ variant: job.key }) });
    const checking = prober.then((proberImage) =>
      runCheck({ comparisonId: id, key: job.key, imageId, timeoutSeconds, signal, owner: deps.workerId, proberImage, ...run }, deps),
    );
    if (job.key === "single") checking.then((result) => reference.settle(result), () => reference.settle(null));
    const [measured, ran] = await Promise.allSettled([measuring, checking]);
    if (measured.status === "rejected") throw measured.reason;
    if (ran.status === "rejected") throw ran.reason;
    const record = judgeRunCheck(job.key, ran.value, job.key === "single" ? null : await reference.result);
    await recordRunCheck(db, { comparisonId: id, key: job.key }, record);
    checked++;
    if (buildsDone) await checksPhase();
  };

  const build = async (job: PlannedJob, n: number): Promise<{ status: string }> => {
    if (job.refusal) {
      await changeVariant(db, { comparisonId: id, key: job.key }, { status: "failed", reason: job.refusal });
      return { status: "failed" };
    }
    await setPhase(`building ${job.key} (${n + 1} of ${jobs.length})`);
    const variantJob: VariantJob = {
      comparisonId: id,
      key: job.key,
      dockerfile: job.dockerfile,
      // The repository's Dockerfile as it is built (it may differ from the one shown: see repo-job.ts).
      ownDockerfile: job.dockerfile === null ? (job.ownDockerfile ?? job.displayDockerfile) : null,
      baseImages: job.baseImages,
      runtimeImage: job.runtimeImage,
      sourceDir,
      builder: engineBuilder,
      buildArgs: job.dockerfile === null ? {} : (deps.buildArgs ?? {}),
      // The repository's own Dockerfile runs its own commands: by default with no network
      // at all (SLIMSTAGE_REPO_BUILD_NETWORK), never on the host's. Generated variants run
      // no code of the repository while they build (go build compiles; nothing runs).
      networkMode: job.dockerfile === null ? repoNetworkMode(deps.repoBuildNetwork) : planned.plan.vendored ? "none" : deps.buildNetwork,
      signal,
      buildTimeLimitMs: deps.buildTimeLimitMs,
    };
    const outcome = await buildVariant(variantJob, { ...deps, log: deps.log?.child({ variant: job.key }) });
    if (job.key === "single" && outcome.status !== "built") reference.settle(null);
    if (outcome.status === "built") work.addTail(measureAndCheck(variantJob, outcome.imageId));
    return outcome;
  };

  // BuildKit solves identical steps of builds in flight once, so every variant starts at
  // once and waits for the one compile; the classic builder shares only what a finished
  // build left in its cache, so there the first build runs alone — as it does while the Go
  // builder is still to be pulled (the first variant pulls it, the others find it).
  let sideBySide = engineBuilder === "buildkit" && (await deps.engine.image(planned.plan.builderImage).catch(() => null)) !== null;
  for (const [n, job] of jobs.entries()) {
    if (sideBySide) work.addBuild(build(job, n));
    else sideBySide = (await build(job, n)).status !== "skipped" && job.dockerfile !== null;
  }
  await Promise.all(work.builds);
  // A failing step the builds shared shows its output in one build's log: every variant that failed there says it.
  for (const [key, reason] of fullerReasons(await variantEnds(db, id))) await changeVariant(db, { comparisonId: id, key }, { status: "failed", reason });
  buildsDone = true;
  if (work.tails.length) await checksPhase();
  await Promise.all(work.tails);
}

// The end of a comparison that did not finish normally: given up by this worker (its
// lease lost), canceled, out of time, or failed with a reason for the user.
async function recordFailure(id: string, error: unknown, { db, read, signal, workerId, log }: PipelineDeps & { log: Logger }): Promise<void> {
  const finish = async (status: "failed" | "canceled", failure: { code: string; message: string }) => {
    if (await finishComparison(db, id, workerId ?? null, status, failure)) await afterFinish(db, read, id, log);
  };
  const reason = signal?.reason instanceof Error ? signal.reason.name : "";
  if (signal?.aborted && reason === "HandBackError") {
    log.info("handed back: the worker is stopping, the comparison is queued again");
    return; // queued again by the queue; another worker (or this one, restarted) starts it over
  }
  if (signal?.aborted && reason === "LeaseLostError") {
    log.warn("lease lost: another worker holds the comparison now");
    return; // another worker holds it now: it writes, this one does not
  }
  if (signal?.aborted) {
    const timedOut = reason === "TimeLimitError";
    const message = timedOut ? (signal.reason as Error).message : "The comparison was canceled.";
    await settleVariants(db, id, message);
    await finish(timedOut ? "failed" : "canceled", { code: timedOut ? "TIME_LIMIT" : "CANCELED", message });
    log.info({ status: timedOut ? "failed" : "canceled", errorCode: timedOut ? "TIME_LIMIT" : "CANCELED" }, "comparison finished");
    return;
  }
  const failure =
    error instanceof UserError || error instanceof EngineUnavailableError
      ? { code: error instanceof UserError ? error.code : "ENGINE_UNAVAILABLE", message: error.message }
      : describeUnexpected(error, `comparison ${id}`, log);
  await settleVariants(db, id, `Not built: ${failure.message}`);
  await finish("failed", failure);
  log.info({ status: "failed", errorCode: failure.code }, "comparison finished");
}

const seconds = (since: number) => Math.round(performance.now() - since) / 1000;

/** Builds and measure-and-check tails still running; after a failure, waited for before the final write. */
class InFlight {
  readonly builds: Array<Promise<unknown>> = [];
  readonly tails: Array<Promise<void>> = [];
  private readonly settlers: Array<() => void> = [];
  addBuild(build: Promise<unknown>): void {
    build.catch(() => {}); // awaited in buildAll, where a failure ends the comparison
    this.builds.push(build);
  }
  addTail(tail: Promise<void>): void {
    tail.catch(() => {});
    this.tails.push(tail);
  }
  onSettle(settle: () => void): void {
    this.settlers.push(settle);
  }
  async settle(): Promise<void> {
    for (const settle of this.settlers) settle();
    await Promise.allSettled(this.builds);
    await Promise.allSettled(this.tails);
  }
}

/** The single-stage image's run: null when it is not built (not asked for, failed, skipped). */
class Reference {
  readonly result: Promise<RunResult | null>;
  settle: (result: RunResult | null) => void = () => {};
  constructor(planned: boolean) {
    this.result = new Promise((resolve) => (this.settle = resolve));
    if (!planned) this.settle(null);
  }
}

