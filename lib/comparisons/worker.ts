// The server's one runner, wired to the real database, engine and sources. Started by
// instrumentation.ts when the server boots; route handlers wake it on submission.
import { baseImages, buildNetwork, keptComparisons, moduleBuildArgs, runTimeoutSeconds, timeLimits, workerConcurrency } from "@/lib/config";
import { db } from "@/lib/db";
import { dockerEngine } from "@/lib/engine/docker-engine";
import { resolveSource } from "@/lib/source/resolve";
import { runComparison, type PipelineDeps } from "./pipeline";
import { pruneImages } from "./retention";
import { createRunner, type Runner } from "./runner";

const holder = globalThis as unknown as { slimstageRunner?: Runner };

export async function startWorker(): Promise<void> {
  if (holder.slimstageRunner) return;
  const engine = dockerEngine();
  const runner = createRunner({
    db: db(),
    concurrency: workerConcurrency(),
    timeLimitMs: timeLimits().comparisonMs,
    ready: () => engine.version().then(() => null, (error: unknown) => (error instanceof Error ? error.message : String(error))),
    run: (id, signal) =>
      runComparisonAndPrune(id, {
        signal,
        db: db(),
        engine,
        bases: baseImages(),
        resolveSource,
        buildArgs: moduleBuildArgs(),
        buildNetwork: buildNetwork(),
        runTimeoutSeconds: runTimeoutSeconds(),
        buildTimeLimitMs: timeLimits().buildMs,
      }),
  });
  holder.slimstageRunner = runner;
  await runner.start();
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
