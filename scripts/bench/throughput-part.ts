// P6: throughput — comparisons of example:hello finished per minute by two build
// workers (`npm run worker`) on two engines (the default one and a second engine with the
// base images copied in) sharing one database, then by one of them alone. Both workers
// start with a build argument no earlier build used and first compile the program once
// on their engine, off the clock (a comparison each, the "priming"); the timed batches
// then build from the cache, as repeated samples do. Each clock runs from the batch's
// submission to its last comparison's end.
import os from "node:os";
import type { Db } from "@/lib/db";
import type { Engine } from "@/lib/engine/engine";
import type { SecondEngine } from "@/lib/testing/second-engine";
import type { TestDb } from "@/lib/testing/test-db";
import { startWorkerProcess, type AppProcess } from "@/e2e/processes";
import type { BenchContext } from "./context";
import { imagesLabelled } from "./docker-cli";
import { removeImagesOf } from "./images";
import { perMinute, ratio, seconds, verdict, type Row } from "./report";
import { waitForComparisons, waitUntil } from "./waiting";

const REPO = "example:hello";
const PER_BATCH = 16;
/** With this many cores the two engines no longer share two: the ratio is then judged. */
const CORES_TO_JUDGE = 4;
const TARGET = 1.6;

interface Batch {
  perMinute: number;
  seconds: number;
  /** Each engine's comparisons, in the order they started: how long each took (claim to end). */
  byEngine: Map<string, number[]>;
  failed: number;
  /** Distinct engine IDs the rows name. */
  engineIds: number;
}

export async function throughputBench(ctx: BenchContext, engineA: Engine, engineB: SecondEngine | null, testDb: TestDb, whyNoB: string | null): Promise<void> {
  const { cleanup, config, log, rows, stamp } = ctx;
  const label = `${stamp}-p6`;
  const hosts = engineB ? [null, engineB.dockerHost] : [null];
  const ids: string[] = [];
  cleanup.add(`the images of ${label}`, async () => {
    for (const id of ids) await removeImagesOf(engineA, id);
  });
  const workers: AppProcess[] = [];
  try {
    for (const [n, host] of hosts.entries()) {
      workers.push(
        await startWorkerProcess({
          DATABASE_URL: testDb.url,
          SLIMSTAGE_BASE_PROFILE: config.baseProfile,
          SLIMSTAGE_REGISTRY_PORT: "0",
          SLIMSTAGE_WORKER_ID: `${label}-${n + 1}`,
          SLIMSTAGE_GOPRIVATE: label,
          ...(host ? { DOCKER_HOST: host } : {}),
        }),
      );
    }
    log(`P6: ${workers.length} worker(s) started; waiting for their warm-up`);
    await waitUntil("the workers' warm-up", 600_000, async () => (workers.every((w) => /\(warm-up\)|warming up/.test(w.output())) ? true : null));
    const next = (count: number): string[] => {
      const batch: string[] = [];
      for (let n = 0; n < count; n++) batch.push(`${label}-${ids.length + batch.length + 1}`);
      ids.push(...batch);
      return batch;
    };

    // Priming: one comparison per engine compiles the program there (a worker holds one at a time).
    const primed = new Map<string, number[]>();
    for (let round = 1; primed.size < hosts.length && round <= 3; round++) {
      log(`P6: priming, round ${round}: each engine compiles ${REPO} once`);
      const batch = await runBatch(testDb.db, next(hosts.length), hosts);
      for (const [engine, took] of batch.byEngine) primed.set(engine, [...(primed.get(engine) ?? []), ...took]);
    }
    const priming = `the first comparison on each engine compiled (${[...primed].map(([engine, took]) => `${engine} ${seconds(took[0])}`).join(", ")}), off the clock`;

    let two: Batch | null = null;
    if (engineB && primed.size === 2) {
      log(`P6: ${PER_BATCH} comparisons for 2 workers`);
      two = await runBatch(testDb.db, next(PER_BATCH), hosts);
      await workers[1].stop();
    }
    log(`P6: ${PER_BATCH} comparisons for 1 worker`);
    const one = await runBatch(testDb.db, next(PER_BATCH), [null]);
    rows.push(...throughputRows(one, two, engineB ? (primed.size === 2 ? null : "engine B was never primed") : whyNoB, priming));
  } finally {
    await Promise.all(workers.map((worker) => worker.stop()));
  }
}

function throughputRows(one: Batch, two: Batch | null, whyNotTwo: string | null, priming: string): Row[] {
  const cores = os.cpus().length;
  const judged = cores >= CORES_TO_JUDGE;
  const rows: Row[] = [
    { id: "P6", figure: `${REPO} comparisons finished per minute, 1 worker`, value: perMinute(one.perMinute), baseline: "—", ratio: "—", target: "(none)", verdict: "—", notes: [priming, describe(1, one)] },
  ];
  if (!two) {
    rows.push({ id: "P6", figure: "the same, 2 workers on 2 engines", value: "not run", baseline: "—", ratio: "—", target: "—", verdict: "—", notes: [`${whyNotTwo}`] });
    return rows;
  }
  rows.push({
    id: "P6",
    figure: "the same, 2 workers on 2 engines",
    value: perMinute(two.perMinute),
    baseline: `1 worker ${perMinute(one.perMinute)}`,
    ratio: ratio(two.perMinute, one.perMinute),
    target: `≥ ${TARGET} with ≥ ${CORES_TO_JUDGE} cores`,
    verdict: judged ? verdict(two.perMinute / one.perMinute >= TARGET && two.failed === 0) : "—",
    notes: [
      describe(2, two),
      `${cores} cores here${judged ? "" : `: both engines' builds and run checks share them, so the ratio is printed, not judged (it is judged from ${CORES_TO_JUDGE} cores)`}`,
    ],
  });
  return rows;
}

function describe(workers: number, batch: Batch): string {
  const engines = [...batch.byEngine.entries()]
    .sort()
    .map(([engine, took]) => `${took.length} on ${engine} (${took.map((s) => s.toFixed(1)).join(", ")} s)`)
    .join(", ");
  return (
    `${workers} worker${workers === 1 ? "" : "s"}: ${PER_BATCH} comparisons (all variants) in ${seconds(batch.seconds)}: ${engines} ` +
    `(the rows name ${batch.engineIds} engine ID${batch.engineIds === 1 ? "" : "s"}), ${batch.failed} not succeeded`
  );
}

/** Submits `ids` at once and waits for all of them; which engine built each is read from the engines' images. */
async function runBatch(db: Db, ids: string[], hosts: Array<string | null>): Promise<Batch> {
  const begun = Date.now();
  await db.comparison.createMany({ data: ids.map((id) => ({ id, repo: REPO, clientKey: "bench" })) });
  const done = await waitForComparisons(db, ids, 20 * 60_000);
  const wall = (Math.max(...done.map((row) => row.finishedAt?.getTime() ?? Date.now())) - begun) / 1000;
  const took = (row: (typeof done)[number]) => ((row.finishedAt?.getTime() ?? 0) - (row.startedAt?.getTime() ?? 0)) / 1000;
  // The rows' engineId is only as distinct as the engines' own IDs: the images say for sure.
  const byEngine = new Map<string, number[]>();
  for (const row of [...done].sort((a, b) => (a.startedAt?.getTime() ?? 0) - (b.startedAt?.getTime() ?? 0))) {
    let engine = "A";
    for (const [n, host] of hosts.entries()) if (host && (await imagesLabelled(row.id, host)).length > 0) engine = String.fromCharCode(65 + n);
    byEngine.set(engine, [...(byEngine.get(engine) ?? []), took(row)]);
  }
  return {
    perMinute: (ids.length * 60) / wall,
    seconds: wall,
    byEngine,
    failed: done.filter((row) => row.status !== "succeeded").length,
    engineIds: new Set(done.map((row) => row.engineId ?? "?")).size,
  };
}
