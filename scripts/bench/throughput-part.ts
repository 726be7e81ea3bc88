// P6: throughput — comparisons of example:hello finished per minute by one build worker
// (`npm run worker`, the default engine), then by two workers on two engines (the
// default one and a second engine with the base images copied in) sharing one database.
// Each run gets a build argument no earlier build used, so each engine compiles the
// program once per run and then answers from its build cache, as for repeated samples.
// The clock runs from the submission of the batch to the last comparison's end; the
// workers have finished their warm-up before it starts.
import os from "node:os";
import type { Db } from "@/lib/db";
import type { Engine } from "@/lib/engine/engine";
import type { SecondEngine } from "@/lib/testing/second-engine";
import type { TestDb } from "@/lib/testing/test-db";
import { startWorkerProcess, type AppProcess } from "@/e2e/processes";
import type { BenchContext } from "./context";
import { imagesLabelled } from "./docker-cli";
import { removeImagesOf } from "./images";
import { perMinute, ratio, seconds, verdict } from "./report";
import { waitForComparisons, waitUntil } from "./waiting";

const REPO = "example:hello";
const PER_RUN = 10;
/** With this many cores the two engines no longer share two: the ratio is then judged. */
const CORES_TO_JUDGE = 4;
const TARGET = 1.6;

interface Run {
  workers: number;
  perMinute: number;
  seconds: number;
  /** Each engine's comparisons, in the order they started: how long each took (claim to end). */
  byEngine: Map<string, number[]>;
  failed: number;
  /** Median time from claim to end of one comparison. */
  medianSeconds: number;
  /** Share of the wall time the workers held a comparison (claim to end). */
  busy: number;
  /** Distinct engine IDs the rows name. */
  engineIds: number;
}

export async function throughputBench(ctx: BenchContext, engineA: Engine, engineB: SecondEngine | null, testDb: TestDb, whyNoB: string | null): Promise<void> {
  const { rows } = ctx;
  const one = await throughputRun(ctx, engineA, testDb, [null]);
  rows.push({
    id: "P6",
    figure: `${REPO} comparisons finished per minute, 1 worker`,
    value: perMinute(one.perMinute),
    baseline: "—",
    ratio: "—",
    target: "(none)",
    verdict: "—",
    notes: [describe(one)],
  });
  if (!engineB) {
    rows.push({ id: "P6", figure: "the same, 2 workers on 2 engines", value: "not run", baseline: "—", ratio: "—", target: "—", verdict: "—", notes: [`no second engine: ${whyNoB}`] });
    return;
  }
  const two = await throughputRun(ctx, engineA, testDb, [null, engineB.dockerHost]);
  const cores = os.cpus().length;
  const judged = cores >= CORES_TO_JUDGE;
  rows.push({
    id: "P6",
    figure: "the same, 2 workers on 2 engines",
    value: perMinute(two.perMinute),
    baseline: `1 worker ${perMinute(one.perMinute)}`,
    ratio: ratio(two.perMinute, one.perMinute),
    target: `≥ ${TARGET} with ≥ ${CORES_TO_JUDGE} cores`,
    verdict: judged ? verdict(two.perMinute / one.perMinute >= TARGET && two.failed === 0) : "—",
    notes: [
      describe(two),
      `${cores} cores here${judged ? "" : `: both engines' builds share them, so the ratio is printed, not judged (it is judged from ${CORES_TO_JUDGE} cores)`}`,
    ],
  });
}

function describe(run: Run): string {
  const engines = [...run.byEngine.entries()]
    .sort()
    .map(([engine, took]) => `${took.length} on ${engine} (${took.map((s) => s.toFixed(1)).join(", ")} s)`)
    .join(", ");
  return (
    `${run.workers} worker${run.workers === 1 ? "" : "s"}: ${PER_RUN} comparisons (all variants) in ${seconds(run.seconds)}, ${engines} ` +
    `(the rows name ${run.engineIds} engine ID${run.engineIds === 1 ? "" : "s"}), ${run.failed} not succeeded; one comparison took ${seconds(run.medianSeconds)} ` +
    `(median, claim to end); the workers held a comparison ${(100 * run.busy).toFixed(0)}% of the time`
  );
}

async function throughputRun(ctx: BenchContext, engineA: Engine, testDb: TestDb, hosts: Array<string | null>): Promise<Run> {
  const { cleanup, log, stamp, config } = ctx;
  const label = `${stamp}-p6w${hosts.length}`;
  const workers: AppProcess[] = [];
  try {
    for (const [n, host] of hosts.entries()) {
      const worker = await startWorkerProcess({
        DATABASE_URL: testDb.url,
        SLIMSTAGE_BASE_PROFILE: config.baseProfile,
        SLIMSTAGE_REGISTRY_PORT: "0",
        SLIMSTAGE_WORKER_ID: `${label}-${n + 1}`,
        SLIMSTAGE_GOPRIVATE: label,
        ...(host ? { DOCKER_HOST: host } : {}),
      });
      workers.push(worker);
    }
    log(`P6: ${hosts.length} worker(s) started; waiting for their warm-up`);
    await waitUntil("the workers' warm-up", 600_000, async () => (workers.every((w) => /\(warm-up\)|warming up/.test(w.output())) ? true : null));
    const ids = Array.from({ length: PER_RUN }, (_, n) => `${label}-${n + 1}`);
    cleanup.add(`the images of ${label}`, () => Promise.all(ids.map((id) => removeImagesOf(engineA, id))));
    log(`P6: ${PER_RUN} comparisons of ${REPO} for ${hosts.length} worker(s)`);
    const begun = Date.now();
    await submit(testDb.db, ids);
    const done = await waitForComparisons(testDb.db, ids, 20 * 60_000);
    const last = Math.max(...done.map((row) => row.finishedAt?.getTime() ?? Date.now()));
    const wall = (last - begun) / 1000;
    // Which engine built each: the one holding its images (the rows' engineId is only as
    // distinct as the engines' own IDs, and two dockerd on one machine may share one).
    const took = (row: (typeof done)[number]) => ((row.finishedAt?.getTime() ?? 0) - (row.startedAt?.getTime() ?? 0)) / 1000;
    const byEngine = new Map<string, number[]>();
    for (const row of [...done].sort((a, b) => (a.startedAt?.getTime() ?? 0) - (b.startedAt?.getTime() ?? 0))) {
      let engine = "A";
      for (const [n, host] of hosts.entries()) if (host && (await imagesLabelled(row.id, host)).length > 0) engine = String.fromCharCode(65 + n);
      byEngine.set(engine, [...(byEngine.get(engine) ?? []), took(row)]);
    }
    const each = done.map(took).sort((a, b) => a - b);
    const busy = each.reduce((sum, s) => sum + s, 0) / hosts.length / wall;
    log(`P6: ${hosts.length} worker(s): ${PER_RUN} in ${seconds(wall)}`);
    return {
      workers: hosts.length,
      perMinute: (PER_RUN * 60) / wall,
      seconds: wall,
      byEngine,
      failed: done.filter((row) => row.status !== "succeeded").length,
      medianSeconds: each[Math.floor(each.length / 2)] ?? 0,
      busy,
      engineIds: new Set(done.map((row) => row.engineId ?? "?")).size,
    };
  } finally {
    await Promise.all(workers.map((worker) => worker.stop()));
  }
}

// Queued rows as a submission writes them (lib/comparisons/service.ts), under the
// bench's own ids so that its images are found and removed even after a crash.
async function submit(db: Db, ids: string[]): Promise<void> {
  await db.comparison.createMany({ data: ids.map((id) => ({ id, repo: REPO, clientKey: "bench" })) });
}
