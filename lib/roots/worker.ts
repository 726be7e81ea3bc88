// The build worker's composition root: everything one worker process uses is made
// here, once — the configuration, the database client, the Docker client for the one
// engine this worker serves (DOCKER_HOST), its size registry — and handed down. The
// worker claims comparisons from the shared database with leases (lib/jobs/queue.ts),
// reports its engine in the Worker table, and removes images only on its own engine.
// Started by `npm run worker` (scripts/worker.ts); tests and the bench call it too.
import { createHash } from "node:crypto";
import os from "node:os";
import type { Config } from "@/lib/config";
import { createDb, databaseDialect, openReadDb, type Db, type ReadDb } from "@/lib/db";
import { dockerEngine } from "@/lib/engine/docker-engine";
import type { Engine, EngineIdentity } from "@/lib/engine/engine";
import { databaseBlobSizes, databaseLayerFiles } from "@/lib/db/blob-stores";
import { adviceSettings, failInterruptedAdvice, runAdvice } from "@/lib/advice/runner";
import { runComparison, type PipelineDeps, type PipelineServices, type PipelineSettings } from "@/lib/jobs/pipeline";
import { backfillAnalysisSummaries } from "@/lib/jobs/state";
import { removePresence, reportPresence, reportWaiting, wantedBaseImages } from "@/lib/jobs/presence";
import { measureByPush, VARIANTS_REPOSITORY } from "@/lib/jobs/variant-build";
import { createQueue, type Queue } from "@/lib/jobs/queue";
import { pruneImages, removeRequestedImages } from "@/lib/jobs/retention";
import { defaultDiskBudget, enforceDiskBudget } from "@/lib/jobs/disk-budget";
import { takeOverMovedEngines } from "@/lib/jobs/engine-takeover";
import { captureGoBinary } from "@/lib/measure/image-analysis";
import { startSizeRegistry, type SizeRegistry } from "@/lib/measure/size-registry";
import { makeSourceResolver } from "@/lib/source/resolve";
import { createLogger, knownSecrets, lineLogger, type Logger } from "@/lib/log";
import { countingPulls, createWorkerMetrics, serveWorkerMetrics, type WorkerMetrics } from "@/lib/metrics/worker-metrics";

export interface Worker {
  id: string;
  engine: Engine;
  /** Its own figures (pulls, its engine now, what it runs); served at metricsUrl when SLIMSTAGE_WORKER_METRICS_ADDRESS is set. */
  metrics: WorkerMetrics;
  metricsUrl: string | null;
  identity: EngineIdentity;
  queue: Queue;
  /** Stops claiming, waits for running comparisons (up to `graceMs`, SLIMSTAGE_STOP_GRACE), hands back the rest, closes everything. */
  stop(graceMs?: number): Promise<void>;
}

export interface WorkerOptions {
  /** Defaults to a client for config.databaseUrl, closed on stop. */
  db?: Db;
  /** Defaults to the engine DOCKER_HOST names. */
  engine?: Engine;
  pollMs?: number;
  /** The worker's logger; defaults to JSON lines on stdout (lib/log.ts). */
  logger?: Logger;
  /** Instead of a logger: each message as a line of text (the bench reads them). */
  log?: (line: string) => void;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export async function startWorker(config: Config, options: WorkerOptions = {}): Promise<Worker> {
  const baseLogger =
    options.logger ??
    (options.log ? lineLogger(options.log, config.logLevel) : createLogger({ role: "worker", level: config.logLevel, secrets: knownSecrets(config) }));
  const ownDb = options.db === undefined;
  const db = options.db ?? createDb(config.databaseUrl);
  const host = config.dockerHost ?? "/var/run/docker.sock";
  // Its own figures, read when they are scraped: what runs and whether the engine answered
  // (both known once the engine does), and the pulls counted as they happen.
  const figures = { running: () => 0, engineUp: () => false };
  const metrics = createWorkerMetrics({ running: () => figures.running(), engineUp: () => figures.engineUp() });
  const engine = countingPulls(options.engine ?? dockerEngine(host, baseLogger), metrics);
  // Stable across restarts on the same host and engine address, so a restarted worker
  // releases at once what it held before it died instead of waiting for its leases.
  const id = config.workerId ?? `${os.hostname()}-${createHash("sha256").update(host).digest("hex").slice(0, 8)}`;
  // Every line of this worker names it; a comparison's lines also name the comparison.
  const logger = baseLogger.child({ workerId: id });
  metrics.registry.setDefaultLabels({ worker: id });
  const log = (line: string) => logger.info(line);
  log(`worker ${id} started for the Docker Engine at ${host}`);
  const identity = await waitForEngine(engine, (problem) => reportWaiting(db, id, host, problem), log);
  // Run-check containers this worker left behind when it was killed go first.
  const swept = await engine.sweepRunChecks(id).catch(() => 0);
  // Advice this engine's worker was giving when it stopped will not finish.
  await failInterruptedAdvice(db, identity.id).catch(() => 0);
  if (swept) log(`removed ${swept} run-check container(s) left from before`);
  const registry = await startRegistry(config, db, logger);
  let problem: string | null = await reportPresence(db, id, identity, engine, config.baseImages);
  const summarized = await backfillAnalysisSummaries(db).catch((error: unknown) => {
    logger.warn({ err: error }, "could not summarize older analyses");
    return 0;
  });
  if (summarized) log(`summarized the analyses of ${summarized} variant(s) stored before summaries were kept`);

  const resolveSource = makeSourceResolver({ policy: config.repoPolicy, limits: config.cloneLimits, examplesDir: config.examplesDir });
  // The read connection the diff with the previous comparison is computed on at each end.
  let readDb: ReadDb | undefined;
  const read = () => (readDb ??= openReadDb(config.databaseUrl, (error) => logger.warn({ err: error }, "read connection")));
  const services: PipelineServices = { db, engine, resolveSource, registry, layerFiles: databaseLayerFiles(db), read };
  const settings: PipelineSettings = {
    bases: config.baseImages,
    buildLimits: config.buildLimits,
    buildArgs: config.moduleBuildArgs,
    buildNetwork: config.buildNetwork,
    repoBuildNetwork: config.repoBuildNetwork,
    repoBases: config.repoBases,
    runTimeoutSeconds: config.runTimeoutSeconds,
    sourceLimits: config.sourceLimits,
    buildTimeLimitMs: config.timeLimits.buildMs,
  };
  const deps = (signal: AbortSignal, comparisonId: string): PipelineDeps => ({
    ...services,
    ...settings,
    signal,
    workerId: id,
    log: logger.child({ comparisonId }),
  });
  const queue = createQueue({
    db,
    dialect: databaseDialect(config.databaseUrl),
    holder: { workerId: id, engineId: identity.id },
    concurrency: config.workerConcurrency,
    leaseMs: config.leaseMs,
    timeLimitMs: config.timeLimits.comparisonMs,
    pollMs: options.pollMs,
    previousSelf: id,
    ready: async () => problem,
    onError: (error) => logger.error({ err: error }, "queue"),
    run: (comparisonId, signal) => runComparison(comparisonId, deps(signal, comparisonId)),
    // In the same slot once the comparison has ended: "Make it smaller, proven" (after its
    // headline; stopped when its owner cancels or deletes it), then this engine's upkeep.
    after: async (comparisonId, signal) => {
      await runAdvice(comparisonId, { ...services, ...settings, signal, workerId: id, advice: adviceSettings(config), log: logger.child({ comparisonId }) });
      await pruneImages(db, engine, identity.id, config.keptComparisons).catch((error: unknown) => logger.warn({ err: error }, "removing old images"));
      await keepDiskBudget();
    },
  });

  // The engine's disk within its budget (lib/jobs/disk-budget.ts): after each comparison
  // and every ten minutes; one pass at a time.
  const budget = { bytes: config.diskBudget.bytes ?? 0, buildCachePercent: config.diskBudget.buildCachePercent };
  const usage = await engine.diskUsage().catch(() => null);
  // An engine whose ID changed keeps its images: its rows come to this worker.
  const taken = usage ? await takeOverMovedEngines(db, identity.id, usage).catch((error: unknown) => (logger.warn({ err: error }, "taking over a moved engine failed"), [])) : [];
  if (taken.length) log(`took over the comparisons of engine ID(s) ${taken.join(", ")}: their images are on this engine`);
  if (config.diskBudget.bytes === undefined) {
    budget.bytes = defaultDiskBudget(usage ? usage.imagesBytes + usage.buildCacheBytes : 0, await engine.freeBytes());
  }
  log(`disk budget on this engine: ${(budget.bytes / 1e9).toFixed(1)} GB (${config.diskBudget.bytes === undefined ? "derived from its free space; SLIMSTAGE_DISK_BUDGET_MB sets it" : "SLIMSTAGE_DISK_BUDGET_MB"}), build cache ${budget.buildCachePercent}% of it`);
  let budgetPass: Promise<void> | null = null;
  const keepDiskBudget = (): Promise<void> =>
    (budgetPass ??= enforceDiskBudget(db, engine, { engineId: identity.id, workerId: id }, budget, VARIANTS_REPOSITORY)
      .then((result) => {
        if (result.removedImages || result.removedOrphans || result.prunedBytes) {
          logger.info(result, `disk budget: removed ${result.removedImages} image(s) of old comparisons and ${result.removedOrphans} no comparison accounts for, pruned ${(result.prunedBytes / 1e6).toFixed(0)} MB of build cache; ${(result.usedBytes / 1e9).toFixed(2)} of ${(result.budgetBytes / 1e9).toFixed(1)} GB used`);
        }
      })
      .catch((error: unknown) => logger.warn({ err: error }, "keeping the disk budget failed"))
      .finally(() => (budgetPass = null)));
  const budgetTimer = setInterval(() => void keepDiskBudget(), 10 * 60_000);
  budgetTimer.unref();

  // Every few seconds: say whether the engine answers (a worker whose engine stopped
  // claims nothing, so its share goes to the others) and remove the images deleted here.
  const housekeeping = setInterval(() => {
    void (async () => {
      problem = await reportPresence(db, id, identity, engine, config.baseImages);
      if (problem === null) await removeRequestedImages(db, engine, identity.id);
    })().catch((error: unknown) => logger.warn({ err: error }, "housekeeping"));
  }, 5000);
  housekeeping.unref();
  if (problem === null) await removeRequestedImages(db, engine, identity.id).catch(() => {});

  figures.running = () => queue.running().length;
  figures.engineUp = () => problem === null;
  await queue.start();
  const metricsServer = config.workerMetrics
    ? await serveWorkerMetrics(metrics.registry, config.workerMetrics, config.adminToken, logger).catch((error: unknown) => {
        logger.error({ err: error }, `metrics not served on ${config.workerMetrics!.hostname}:${config.workerMetrics!.port}`);
        return null;
      })
    : null;
  if (metricsServer) logger.info({ url: metricsServer.url }, `metrics at ${metricsServer.url}`);
  void keepDiskBudget();
  // A fresh engine's first comparison would otherwise pay for compressing and listing the
  // Go builder's 600-odd MB: measure the base images now, in the background.
  const warmUp = registry ? warmUpBaseImages(engine, registry, config, log) : Promise.resolve();
  log(`worker ${id} serves the engine ${identity.name || identity.id} at ${identity.host}${registry ? `, size registry ${registry.host}` : ""}; ready`);
  return {
    id,
    engine,
    identity,
    queue,
    metrics,
    metricsUrl: metricsServer?.url ?? null,
    async stop(graceMs = config.stopGraceMs) {
      queue.stop();
      clearInterval(housekeeping);
      clearInterval(budgetTimer);
      const deadline = Date.now() + graceMs;
      const untilDeadline = () => new Promise((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now())));
      await Promise.race([Promise.all([budgetPass, warmUp]), untilDeadline()]);
      while (queue.running().length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
      // What did not finish in time goes back to the queue at once, for the next free worker.
      const handedBack = await queue.handBack();
      if (handedBack.length) log(`handed back ${handedBack.join(", ")}: queued again for the next free worker`);
      await removePresence(db, id).catch(() => {});
      await registry?.close();
      await metricsServer?.close();
      await readDb?.close().catch(() => {});
      if (ownDb) await db.$disconnect();
    },
  };
}

// Until its engine answers, the worker says so in its Worker row (the pages show why
// nothing builds) and claims nothing.
async function waitForEngine(engine: Engine, report: (problem: string) => Promise<void>, log: (line: string) => void): Promise<EngineIdentity> {
  let said = "";
  for (;;) {
    try {
      return await engine.identity();
    } catch (error) {
      const problem = message(error);
      await report(problem).catch(() => {});
      if (problem !== said) log(`waiting for the Docker Engine: ${(said = problem)}`);
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }
}

// The size registry on its port. When another process holds that port, any free one:
// correct, but the engine then compresses the base layers once more. Without a
// registry at all, sizes come from image exports (slower, same meaning).
async function startRegistry(config: Config, db: Db, logger: Logger): Promise<SizeRegistry | undefined> {
  const stores = { sizes: databaseBlobSizes(db), files: databaseLayerFiles(db), captureFile: captureGoBinary, log: logger };
  try {
    return await startSizeRegistry({ port: config.registryPort, ...stores });
  } catch (error) {
    logger.info(`size registry: port ${config.registryPort} is not free (${message(error)}); using another`);
  }
  try {
    return await startSizeRegistry({ port: 0, ...stores });
  } catch (error) {
    logger.warn(`size registry not started (${message(error)}); measuring from image exports`);
    return undefined;
  }
}

async function warmUpBaseImages(engine: Engine, registry: SizeRegistry, config: Config, log: (line: string) => void): Promise<void> {
  const started = performance.now();
  let measured = 0;
  for (const { base, image } of wantedBaseImages(config.baseImages)) {
    const present = await engine.image(image).catch(() => null);
    if (!present) continue;
    const tag = `warmup-${base.replace(/[^a-z0-9]+/g, "-")}`;
    try {
      await measureByPush(engine, registry, present.id, tag);
      measured++;
    } catch (error) {
      log(`warming up ${image}: ${message(error)}`);
    } finally {
      await engine.removeImage(`${registry.host}/${VARIANTS_REPOSITORY}:${tag}`).catch(() => {});
    }
  }
  if (measured) log(`measured ${measured} base image(s) in ${((performance.now() - started) / 1000).toFixed(1)} s (warm-up)`);
}
