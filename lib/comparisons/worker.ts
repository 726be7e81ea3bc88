// The server's one runner, wired to the real database, engine and sources. Started by
// instrumentation.ts when the server boots; route handlers wake it on submission.
import { baseImages, buildNetwork, keptComparisons, moduleBuildArgs, registryPort, runTimeoutSeconds, timeLimits, workerConcurrency } from "@/lib/config";
import { db } from "@/lib/db";
import { dockerEngine } from "@/lib/engine/docker-engine";
import { startSizeRegistry, type SizeRegistry } from "@/lib/measure/size-registry";
import { resolveSource } from "@/lib/source/resolve";
import { databaseBlobSizes } from "./blob-sizes";
import { runComparison, type PipelineDeps } from "./pipeline";
import { pruneImages } from "./retention";
import { createRunner, type Runner } from "./runner";

const holder = globalThis as unknown as { slimstageRunner?: Runner };

export async function startWorker(): Promise<void> {
  if (holder.slimstageRunner) return;
  const engine = dockerEngine();
  const registry = startRegistry();
  const runner = createRunner({
    db: db(),
    concurrency: workerConcurrency(),
    timeLimitMs: timeLimits().comparisonMs,
    ready: () => engine.version().then(() => null, (error: unknown) => (error instanceof Error ? error.message : String(error))),
    run: async (id, signal) =>
      runComparisonAndPrune(id, {
        signal,
        db: db(),
        engine,
        bases: baseImages(),
        resolveSource,
        registry: await registry,
        buildArgs: moduleBuildArgs(),
        buildNetwork: buildNetwork(),
        runTimeoutSeconds: runTimeoutSeconds(),
        buildTimeLimitMs: timeLimits().buildMs,
      }),
  });
  holder.slimstageRunner = runner;
  await runner.start();
}

// The size registry on its port. When another server holds that port, any free one:
// correct, but the engine then compresses the base layers once more. Without a
// registry at all, sizes come from image exports (slower, same meaning).
async function startRegistry(): Promise<SizeRegistry | undefined> {
  const sizes = databaseBlobSizes(db());
  const message = (error: unknown) => (error instanceof Error ? error.message : String(error));
  try {
    const port = registryPort(); // throws on a value that is not a port
    try {
      return await startSizeRegistry({ port, sizes });
    } catch (error) {
      console.warn(`[slimstage] size registry: port ${port} is not free (${message(error)}); using another`);
    }
    return await startSizeRegistry({ port: 0, sizes });
  } catch (error) {
    console.warn(`[slimstage] size registry not started (${message(error)}); measuring from image exports`);
    return undefined;
  }
}

// After each comparison, images beyond the newest SLIMSTAGE_KEEP_IMAGES comparisons go.
async function runComparisonAndPrune(id: string, deps: PipelineDeps): Promise<void> {
  await runComparison(id, deps);
  await pruneImages(deps.db, deps.engine, keptComparisons()).catch((error: unknown) =>
    console.error("[slimstage] removing old images:", error),
  );
}

export function wakeWorker(): void {
  holder.slimstageRunner?.wake();
}

export function cancelRunning(id: string): boolean {
  return holder.slimstageRunner?.cancel(id) ?? false;
}
