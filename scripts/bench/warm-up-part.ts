// P7: the first comparison on a fresh engine, once its worker has warmed up. The second
// engine has the base images (loaded, nothing else) and the database is new (no
// BlobSize or BlobFiles rows): a new worker (lib/roots/worker.ts, in this process)
// measures the base images in the background as it starts; then the first comparison's
// single-stage image is measured (its push, timed at the engine) against
// `docker save | gzip -1` of the same image on the same engine. Without the warm-up this
// costs what P2's first time costs.
import { loadConfig } from "@/lib/config";
import { dockerEngineAt } from "@/lib/engine/docker-engine";
import type { Engine } from "@/lib/engine/engine";
import { startWorker } from "@/lib/roots/worker";
import type { SecondEngine } from "@/lib/testing/second-engine";
import type { TestDb } from "@/lib/testing/test-db";
import { timed, type BenchContext } from "./context";
import { savedGzipBytes } from "./docker-cli";
import { EXAMPLE } from "./engine-part";
import { waitUntil, waitForComparisons } from "./waiting";
import { megabytes, ratio, seconds, verdict } from "./report";

const TARGET = 1.0;
const WARM_UP_LINE = /measured (\d+) base image\(s\) in ([\d.]+) s \(warm-up\)/;

/** An engine that times each push by its tag (the compressed sizes of one image). */
function timingPushes(inner: Engine): { engine: Engine; pushSeconds: Map<string, number> } {
  const pushSeconds = new Map<string, number>();
  const engine: Engine = {
    ...inner,
    async push(imageId, repository, tag, signal) {
      const begun = performance.now();
      try {
        await inner.push(imageId, repository, tag, signal);
      } finally {
        pushSeconds.set(tag, (performance.now() - begun) / 1000);
      }
    },
  };
  return { engine, pushSeconds };
}

export async function warmUpBench(ctx: BenchContext, engineB: SecondEngine, testDb: TestDb): Promise<void> {
  const { cleanup, log, rows, stamp } = ctx;
  const config = loadConfig({
    ...process.env,
    DOCKER_HOST: engineB.dockerHost,
    DATABASE_URL: testDb.url,
    SLIMSTAGE_BASE_PROFILE: ctx.config.baseProfile,
    SLIMSTAGE_REGISTRY_PORT: "0",
    SLIMSTAGE_WORKER_ID: `${stamp}-p7`,
    SLIMSTAGE_GOPRIVATE: `${stamp}-p7`,
  });
  const { engine, pushSeconds } = timingPushes(dockerEngineAt(engineB.socketPath));
  const lines: string[] = [];
  log("P7: a new worker on the fresh engine; waiting for its warm-up");
  const started = performance.now();
  const worker = await startWorker(config, {
    db: testDb.db,
    engine,
    pollMs: 250,
    log: (line) => {
      lines.push(line);
      if (/warm-up|warming up/.test(line)) log(`P7 worker: ${line}`);
    },
  });
  let stopped = false;
  const stop = async () => {
    if (!stopped) await worker.stop(5_000);
    stopped = true;
  };
  cleanup.add("the P7 worker", stop);
  const line = await waitUntil("the worker's warm-up", 600_000, async () => lines.map((l) => WARM_UP_LINE.exec(l)).find(Boolean) ?? null);
  const sinceStart = (performance.now() - started) / 1000;

  const id = `${stamp}-p7`;
  log(`P7: warmed up (${line[1]} base images in ${line[2]} s); the first comparison: ${EXAMPLE}, single-stage`);
  await testDb.db.comparison.create({ data: { id, repo: EXAMPLE, variantKeys: JSON.stringify(["single"]), clientKey: "bench" } });
  const [done] = await waitForComparisons(testDb.db, [id], 15 * 60_000);
  await stop();
  const single = await testDb.db.variant.findUnique({ where: { comparisonId_key: { comparisonId: id, key: "single" } } });
  const push = pushSeconds.get(`${id}-single`);
  if (done.status !== "succeeded" || !single?.imageId || push === undefined) {
    throw new Error(`P7: the first comparison on the fresh engine ended ${done.status} (${done.errorCode ?? ""} ${done.errorMessage ?? ""})${push === undefined ? ", without a push" : ""}`);
  }
  log("P7: docker save | gzip -1 of the same image on the same engine");
  const plain = await timed(() => savedGzipBytes(single.imageId!, engineB.dockerHost));
  rows.push({
    id: "P7",
    figure: "compressed sizes of a first comparison, fresh engine, after warm-up",
    value: seconds(push),
    baseline: `docker save | gzip -1 ${seconds(plain.seconds)}`,
    ratio: ratio(push, plain.seconds),
    target: `≤ ${TARGET.toFixed(1)}`,
    verdict: verdict(push / plain.seconds <= TARGET),
    notes: [
      `a second engine with only the base images loaded and a new database; the worker's warm-up measured ${line[1]} base images in ${line[2]} s ` +
        `(ready to claim at once; the warm-up ended ${seconds(sinceStart)} after the start); then the single-stage image of ${EXAMPLE} ` +
        `(${megabytes(Number(single.sizeBytes ?? 0))}, ${megabytes(Number(single.compressedBytes ?? 0))} compressed) was pushed in ${seconds(push)}; ` +
        `the whole image at gzip -1 is ${megabytes(plain.value)}. Without the warm-up the first comparison pays what P2's first time shows`,
    ],
  });
}
