// P6 and P7 share a second Docker Engine of the bench's own (lib/testing/second-engine.ts:
// its own socket, data root, exec root and bridge, never the default bridge) with the
// base images copied into it and nothing else, and one new database. Both go at the end.
import type { Engine } from "@/lib/engine/engine";
import { wantedBaseImages } from "@/lib/jobs/presence";
import { copyImages, startSecondEngine, type SecondEngine } from "@/lib/testing/second-engine";
import { createTestDb } from "@/lib/testing/test-db";
import { timed, type BenchContext } from "./context";
import { seconds } from "./report";
import { throughputBench } from "./throughput-part";
import { warmUpBench } from "./warm-up-part";

export async function scaleBench(ctx: BenchContext, engineA: Engine, parts: { warmUp: boolean; throughput: boolean }): Promise<void> {
  const { cleanup, config, log, rows } = ctx;
  const testDb = await createTestDb();
  cleanup.add("the P6/P7 database", () => testDb.dispose());
  let engineB: SecondEngine | null = null;
  let whyNot: string | null = null;
  try {
    log("P6/P7: starting a second Docker Engine");
    const started = await startSecondEngine();
    cleanup.add("the second engine", () => started.dispose());
    engineB = started;
    const present: string[] = [];
    for (const { image } of wantedBaseImages(config.baseImages)) if (await engineA.image(image)) present.push(image);
    log(`P6/P7: copying ${present.join(", ")} into it (docker save | docker load)`);
    const copied = await timed(() => copyImages(present, started.dockerHost));
    ctx.facts.push(`second engine (P6, P7): ${started.dockerHost}, own bridge; base images copied in ${seconds(copied.seconds)}`);
  } catch (error) {
    whyNot = error instanceof Error ? error.message : String(error);
    log(`P6/P7: no second engine: ${whyNot}`);
  }
  if (parts.warmUp) {
    if (engineB) await warmUpBench(ctx, engineB, testDb);
    else rows.push({ id: "P7", figure: "first comparison on a fresh engine, after warm-up", value: "not run", baseline: "—", ratio: "—", target: "—", verdict: "—", notes: [`no second engine: ${whyNot}`] });
  }
  if (parts.throughput) await throughputBench(ctx, engineA, engineB, testDb, whyNot);
}
