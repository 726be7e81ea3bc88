// The performance benchmark (issue 6): `npm run bench`, after the README's setup
// command (which builds the base images and the production build). Every figure is
// printed beside a baseline measured in the same run, with the ratio, the target and
// PASS/FAIL, and with the machine it ran on. Timings on a shared machine are noisy:
// compare ratios, not absolute times. Exits non-zero only when the benchmark itself
// could not run (no engine, no build, a comparison that failed), never for a FAIL.
//
// P1  wall time of a full comparison of example:loadlocation through the pipeline,
//     cold and warm, against one plain build of its single-stage Dockerfile. Cold is
//     the build cache's state; the base layers' sizes are known by then (P2's first
//     measurement), as after any earlier comparison on the same base images
//
// `npm run bench -- P3` runs only P3 (no Docker Engine needed); `npm run bench -- P1`
// (or P2, P4, P5) runs the engine part, which measures P1, P2, P4 and P5 together.
// P2  computing the compressed sizes of every layer of a new single-stage image (base
//     layers known, as after the first comparison), against `docker save IMAGE | gzip -1
//     | wc -c`; and the first time, when no layer is known
// P3  p50/p99 latency of three pages with 10,000 comparisons in the database, against
//     a static file from the same server
// P4  the smallest working variant, against the stripped binary + the data it needs
// P5  this process's peak RSS while the pipeline runs (sampled during P1)
import { existsSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startAppServer } from "@/e2e/app-server";
import { baseImages, buildNetwork, moduleBuildArgs, runTimeoutSeconds } from "@/lib/config";
import { databaseBlobSizes } from "@/lib/jobs/blob-sizes";
import { runComparison } from "@/lib/jobs/pipeline";
import { measureByPush } from "@/lib/jobs/variant-build";
import { getComparison } from "@/lib/comparisons/queries";
import type { ComparisonView } from "@/lib/comparisons/types";
import type { Db } from "@/lib/db";
import { planVariants } from "@/lib/dockerfiles/plan";
import { buildContext, DOCKERFILE_NAME } from "@/lib/engine/build-context";
import { dockerEngine } from "@/lib/engine/docker-engine";
import { LABEL_APP, LABEL_COMPARISON, LABEL_VARIANT, type Engine } from "@/lib/engine/engine";
import { startSizeRegistry } from "@/lib/measure/size-registry";
import { analyzeModule, selectMainPackage } from "@/lib/source/analyze";
import { chooseBuilder } from "@/lib/source/go-mod";
import { readModuleFiles } from "@/lib/source/read-module";
import { resolveSource } from "@/lib/source/resolve";
import { createTestDb } from "@/lib/testing/test-db";
import { BENCH_PREFIX, dockerClientVersion, folderBytes, imagesLabelled, leftoverBenchImages, savedGzipBytes } from "./bench/docker-cli";
import { load, staticAssetOf, warmUp, type LoadResult } from "./bench/http";
import { megabytes, ms, ratio, seconds, table, verdict, type Row } from "./bench/report";
import { RssSampler } from "./bench/rss";
import { seedComparisons } from "./bench/seed";

const EXAMPLE = "example:loadlocation";
const SEEDED_COMPARISONS = 10_000;
const CONNECTIONS = 8;
const LOAD_SECONDS = 10;
const SERIAL_SECONDS = 3;
const RSS_INTERVAL_MS = 100;
const P2_ROUNDS = 2;

const TARGET = { p1Cold: 1.3, p2: 1.0, p3p50: 30, p3p99: 150, p4: 1.05, p5: 300e6 } as const;

const started = performance.now();
const log = (message: string) => process.stderr.write(`[bench ${seconds((performance.now() - started) / 1000).padStart(7)}] ${message}\n`);

/** Cleanup steps, run newest first, each whatever the others do. */
class Cleanup {
  private steps: Array<{ what: string; run: () => Promise<unknown> }> = [];
  private running: Promise<void> | null = null;
  add(what: string, run: () => Promise<unknown>): void {
    this.steps.push({ what, run });
  }
  run(): Promise<void> {
    this.running ??= (async () => {
      for (const step of this.steps.reverse()) {
        try {
          await step.run();
        } catch (error) {
          log(`cleanup of ${step.what} failed: ${messageOf(error)}`);
        }
      }
    })();
    return this.running;
  }
}

interface Facts {
  lines: string[];
}

async function main(): Promise<number> {
  // Like scripts/up.sh and the tests: no registry here, so the local stand-in bases.
  process.env.SLIMSTAGE_BASE_PROFILE ||= "offline";
  process.env.NEXT_TELEMETRY_DISABLED = "1";
  const cleanup = new Cleanup();
  const interrupted = (signal: NodeJS.Signals) => {
    log(`${signal}: cleaning up`);
    void cleanup.run().finally(() => process.exit(130));
  };
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);

  const rows: Row[] = [];
  const facts: Facts = { lines: [] };
  let failure: unknown = null;
  try {
    await bench(rows, facts, cleanup);
  } catch (error) {
    failure = error;
  } finally {
    log("cleaning up");
    await cleanup.run();
  }
  facts.lines.push(`load average at the end: ${loadAverage()}; the benchmark took ${seconds((performance.now() - started) / 1000)}`);
  print(rows, facts);
  if (failure) {
    process.stderr.write(`\nThe benchmark could not finish: ${failure instanceof Error ? (failure.stack ?? failure.message) : String(failure)}\n`);
    return 1;
  }
  return 0;
}

/** Which parts to run: `npm run bench -- P3` runs P3 alone; no argument runs all. */
function parts(): { engine: boolean; pages: boolean } {
  const asked = process.argv.slice(2).map((arg) => arg.toUpperCase());
  const unknown = asked.filter((arg) => !/^P[1-5]$/.test(arg));
  if (unknown.length) throw new Error(`Unknown benchmark part ${unknown.join(", ")}: name P1 to P5, or nothing for all.`);
  if (!asked.length) return { engine: true, pages: true };
  return { engine: asked.some((arg) => arg !== "P3"), pages: asked.includes("P3") };
}

async function bench(rows: Row[], facts: Facts, cleanup: Cleanup): Promise<void> {
  const run = parts();
  const cpus = os.cpus();
  facts.lines.push(
    `machine: ${cpus.length} cores (${cpus[0]?.model.trim() ?? "unknown CPU"}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB memory ` +
      `(${(os.freemem() / 2 ** 30).toFixed(1)} GiB free), ${os.type()} ${os.release()} ${os.arch()}`,
    `load average at the start: ${loadAverage()}`,
  );
  if (run.pages) {
    const buildId = path.join(process.cwd(), ".next", "BUILD_ID");
    if (!existsSync(buildId)) {
      throw new Error("There is no production build (.next/BUILD_ID) for P3: run the README's setup command (bash scripts/up.sh) or `npx next build` first.");
    }
    facts.lines.push(`production build: .next ${readFileSync(buildId, "utf8").trim()}`);
  }
  if (run.engine) await engineBench(rows, facts, cleanup);
  else facts.lines.push(`software: Node ${process.version}`);
  if (run.pages) await pagesBench(rows, cleanup);
}

async function engineBench(rows: Row[], facts: Facts, cleanup: Cleanup): Promise<void> {
  const engine = dockerEngine();
  const version = await engine.version();
  facts.lines.push(
    `software: Node ${process.version}, Docker Engine ${version.version} (API ${version.apiVersion}), docker CLI ${await dockerClientVersion()}, ` +
      `base profile ${process.env.SLIMSTAGE_BASE_PROFILE}`,
  );

  const stamp = `${BENCH_PREFIX}${Date.now().toString(36)}`;
  const leftovers = await leftoverBenchImages();
  if (leftovers.length) {
    log(`removing ${leftovers.length} images left by an earlier benchmark run`);
    await removeImages(engine, leftovers);
  }

  // ---- P1 and P5: a full comparison against one plain build, cold and warm ----
  const bases = baseImages();
  const source = await resolveSource({ repo: EXAMPLE, ref: null, subdir: null });
  const { goMod, files, allPaths } = await readModuleFiles(source.dir);
  if (goMod === null) throw new Error(`${EXAMPLE} has no go.mod`);
  const analysis = analyzeModule(goMod, files);
  const builder = chooseBuilder(analysis.goVersion, bases.golang);
  if (!builder || !(await engine.image(builder.image))) {
    throw new Error(`The Go builder image ${builder?.image ?? "(none configured)"} is not on the engine: run scripts/base-images.sh (scripts/up.sh does).`);
  }
  const plan = { builderImage: builder.image, mainPackage: selectMainPackage(analysis, null).mainPackage, hasGoSum: allPaths.includes("go.sum"), vendored: analysis.vendored, needs: analysis.needs };
  const [single] = planVariants(["single"], plan, bases);
  const networkMode = plan.vendored ? "none" : buildNetwork();

  const baselineId = `${stamp}-plain`;
  cleanup.add(`the images of ${baselineId}`, () => removeImagesOf(engine, baselineId));
  // A build argument no earlier build used defeats the cache for every RUN step.
  const baselineArgs = { ...moduleBuildArgs(), GOPRIVATE: baselineId };
  const plainBuild = async (comparisonId: string, buildArgs: Record<string, string>) => {
    const begun = performance.now();
    const lines: string[] = [];
    const { imageId } = await engine.build({
      context: buildContext({ sourceDir: source.dir, dockerfile: single.dockerfile }),
      dockerfile: DOCKERFILE_NAME,
      labels: { [LABEL_APP]: "slimstage", [LABEL_COMPARISON]: comparisonId, [LABEL_VARIANT]: "single" },
      buildArgs,
      networkMode,
      onLog: (line) => lines.push(line),
    });
    return { wall: (performance.now() - begun) / 1000, compiled: compiledAgain(lines), imageId };
  };
  log("P1 baseline: plain docker build of the single-stage Dockerfile, cold");
  const plainCold = await plainBuild(baselineId, baselineArgs);
  log(`P1 baseline: cold ${seconds(plainCold.wall)}; warm`);
  const plainWarm = await plainBuild(baselineId, baselineArgs);
  log(`P1 baseline: warm ${seconds(plainWarm.wall)}`);

  // The size registry as the server runs it, with a store that starts empty.
  const p1Db = await createTestDb();
  cleanup.add("the P1 database", () => p1Db.dispose());
  const registry = await startSizeRegistry({ port: 0, sizes: databaseBlobSizes(p1Db.db) });
  cleanup.add("the size registry", () => registry.close());
  const timed = async <T>(work: () => Promise<T>): Promise<{ seconds: number; value: T }> => {
    const begun = performance.now();
    const value = await work();
    return { seconds: (performance.now() - begun) / 1000, value };
  };

  // P2 before anything is known: the first comparison ever on these base images.
  log("P2: the first measurement, nothing known yet: docker save | gzip -1, then the push");
  const firstPlain = await timed(() => savedGzipBytes(plainCold.imageId));
  const first = await timed(() => measureByPush(engine, registry, plainCold.imageId, `${stamp}-first`));
  log(`P2: first measurement ${seconds(first.seconds)} against ${seconds(firstPlain.seconds)}`);
  // The comparison starts from the same build cache state as the cold plain build did.
  await removeImagesOf(engine, baselineId);

  const pipelineArgs = { ...moduleBuildArgs(), GOPRIVATE: `${stamp}-pipeline` };
  const compare = async (id: string) => {
    cleanup.add(`the images of ${id}`, () => removeImagesOf(engine, id));
    await p1Db.db.comparison.create({ data: { id, repo: EXAMPLE, status: "running", startedAt: new Date() } });
    const begun = performance.now();
    await runComparison(id, {
      db: p1Db.db,
      engine,
      bases,
      resolveSource,
      registry,
      buildArgs: pipelineArgs,
      buildNetwork: buildNetwork(),
      runTimeoutSeconds: runTimeoutSeconds(),
    });
    const wall = (performance.now() - begun) / 1000;
    return { wall, view: await finished(p1Db.db, id) };
  };
  await new Promise((resolve) => setTimeout(resolve, 200));
  const rssBefore = process.memoryUsage.rss();
  const sampler = new RssSampler(RSS_INTERVAL_MS);
  log("P1: the full comparison, cold (base layer sizes known from the first measurement)");
  const cold = await compare(`${stamp}-cold`);
  log(`P1: cold ${seconds(cold.wall)}; warm`);
  const warm = await compare(`${stamp}-warm`);
  const rssPeak = sampler.stop();
  log(`P1: warm ${seconds(warm.wall)}; peak RSS ${megabytes(rssPeak)}`);

  // A cold figure that hit the cache would be wrong, not slow: refuse it.
  const coldCompiled = compiledAgain(cold.view.variants.find((v) => v.key === "single")?.buildLog.split("\n") ?? []);
  if (!plainCold.compiled || !coldCompiled) throw new Error("a cold build did not run `go build` (the build cache answered): the cold figures would be wrong");
  const warmCompiled = compiledAgain(warm.view.variants.find((v) => v.key === "single")?.buildLog.split("\n") ?? []);
  const cacheNote = `the cold builds ran go build, the warm ones ${plainWarm.compiled || warmCompiled ? "also ran it (the cache missed)" : "took it from the cache"}`;

  const p1Ratio = cold.wall / plainCold.wall;
  rows.push(
    {
      id: "P1",
      figure: "full comparison of loadlocation, cold",
      value: seconds(cold.wall),
      baseline: `plain docker build ${seconds(plainCold.wall)}`,
      ratio: ratio(cold.wall, plainCold.wall),
      target: `≤ ${TARGET.p1Cold}`,
      verdict: verdict(p1Ratio <= TARGET.p1Cold),
      notes: [`cold: ${breakdown(cold.view, cold.wall)}`, `warm: ${breakdown(warm.view, warm.wall)}`, cacheNote],
    },
    {
      id: "P1",
      figure: "full comparison of loadlocation, warm",
      value: seconds(warm.wall),
      baseline: `plain docker build ${seconds(plainWarm.wall)}`,
      ratio: ratio(warm.wall, plainWarm.wall),
      target: "(none)",
      verdict: "—",
    },
    {
      id: "P5",
      figure: "peak RSS of the bench process during P1",
      value: megabytes(rssPeak),
      baseline: `before the comparison ${megabytes(rssBefore)}`,
      ratio: ratio(rssPeak, rssBefore),
      target: `< ${megabytes(TARGET.p5)}`,
      verdict: verdict(rssPeak < TARGET.p5),
      notes: [`sampled every ${RSS_INTERVAL_MS} ms while the pipeline ran in this process (cold and warm comparisons)`],
    },
  );

  // ---- P2: compressed sizes of every layer of a new single-stage image ----
  // Each round builds the single-stage image anew (a new build argument: new app layers
  // on the same base), then measures it both ways.
  const p2Id = `${stamp}-p2`;
  cleanup.add(`the images of ${p2Id}`, () => removeImagesOf(engine, p2Id));
  const ours: number[] = [];
  const plain: number[] = [];
  let oursBytes = 0;
  let plainBytes = 0;
  let layerCount = 0;
  for (let round = 1; round <= P2_ROUNDS; round++) {
    log(`P2 round ${round}: building a new single-stage image`);
    const image = await plainBuild(p2Id, { ...moduleBuildArgs(), GOPRIVATE: `${p2Id}-${round}` });
    log(`P2 round ${round}: docker save | gzip -1 | wc -c`);
    const baseline = await timed(() => savedGzipBytes(image.imageId));
    plain.push(baseline.seconds);
    plainBytes = baseline.value;
    log(`P2 round ${round}: push to the size registry`);
    const measured = await timed(() => measureByPush(engine, registry, image.imageId, `${p2Id}-${round}`));
    ours.push(measured.seconds);
    oursBytes = measured.value.compressedBytes;
    layerCount = measured.value.layers.length;
  }
  const p2 = Math.min(...ours);
  const p2Base = Math.min(...plain);
  rows.push(
    {
      id: "P2",
      figure: "compressed sizes of all layers, single",
      value: seconds(p2),
      baseline: `docker save | gzip -1 ${seconds(p2Base)}`,
      ratio: ratio(p2, p2Base),
      target: `≤ ${TARGET.p2.toFixed(1)}`,
      verdict: verdict(p2 / p2Base <= TARGET.p2),
      notes: [
        `a new single-stage image each round (new app layers on known base layers); best of ${P2_ROUNDS} rounds each ` +
          `(ours ${ours.map(seconds).join(", ")}; baseline ${plain.map(seconds).join(", ")}); ` +
          `${layerCount} layers, ${megabytes(oursBytes)} as the engine compresses them for a push vs ${megabytes(plainBytes)} for the whole archive at gzip -1`,
      ],
    },
    {
      id: "P2",
      figure: "the same, first time (no layer known)",
      value: seconds(first.seconds),
      baseline: `docker save | gzip -1 ${seconds(firstPlain.seconds)}`,
      ratio: ratio(first.seconds, firstPlain.seconds),
      target: "(none)",
      verdict: "—",
      notes: [
        `the first image measured on an empty size store: every base layer is compressed (${first.value.layers.length} layers, ${megabytes(first.value.compressedBytes)}); once per base image, then kept by digest`,
      ],
    },
  );

  // ---- P4: the smallest working variant against binary + the data it needs ----
  const working = cold.view.variants.filter((v) => v.status === "built" && v.runCheck?.verdict === "works" && v.sizeBytes !== null);
  const smallest = working.sort((a, b) => a.sizeBytes! - b.sizeBytes!)[0];
  const naive = cold.view.variants.find((v) => v.key === "scratch-naive");
  if (!smallest || !naive?.sizeBytes) throw new Error("the cold comparison has no working variant or no scratch-naive image");
  log(`P4: measuring /usr/share/zoneinfo in ${builder.image}`);
  const zoneinfo = await folderBytes(builder.image, "/usr/share/zoneinfo");
  const needed = naive.sizeBytes + (analysis.needs.tzdata ? zoneinfo.files : 0);
  rows.push({
    id: "P4",
    figure: `smallest working variant (${smallest.key})`,
    value: megabytes(smallest.sizeBytes!),
    baseline: `binary + zoneinfo ${megabytes(needed)}`,
    ratio: ratio(smallest.sizeBytes!, needed),
    target: `≤ ${TARGET.p4}`,
    verdict: verdict(smallest.sizeBytes! / needed <= TARGET.p4),
    notes: [
      `stripped static binary ${megabytes(naive.sizeBytes)} (the scratch-naive image, ${naive.layers.length} layer); ` +
        `/usr/share/zoneinfo of ${builder.image}: ${zoneinfo.files} bytes in files and links (du -sb ${zoneinfo.du}, which also counts its folders)`,
    ],
  });

}

// ---- P3: page latency with 10,000 comparisons, against a static file ----
async function pagesBench(rows: Row[], cleanup: Cleanup): Promise<void> {
  const p3Db = await createTestDb();
  cleanup.add("the P3 database", () => p3Db.dispose());
  log(`P3: seeding ${SEEDED_COMPARISONS} comparisons`);
  const seedStart = performance.now();
  const seeded = await seedComparisons(p3Db.db, SEEDED_COMPARISONS);
  log(`P3: seeded ${seeded.comparisons} comparisons, ${seeded.variants} variants, ${seeded.layers} layers in ${seconds((performance.now() - seedStart) / 1000)}; starting next start`);
  const server = await startAppServer({ SLIMSTAGE_WORKER: "off" }, p3Db);
  cleanup.add("the P3 server", () => server.stop());
  const floorUrl = await staticAssetOf(`${server.url}/`);
  let floor: LoadResult | null = null;
  if (floorUrl) {
    await warmUp(floorUrl);
    log(`P3: ${CONNECTIONS} connections, ${LOAD_SECONDS} s on a static file`);
    floor = await load(floorUrl, CONNECTIONS, LOAD_SECONDS);
    if (floor.non2xx + floor.errors) throw new Error(`the static file ${floorUrl} answered ${floor.non2xx} non-2xx and ${floor.errors} errors under load`);
  }
  const p3Notes: string[] = [
    `${seeded.comparisons} comparisons, ${seeded.variants} variants, ${seeded.layers} layers; ${CONNECTIONS} connections, ${LOAD_SECONDS} s per URL after 10 warm-up requests ` +
      `(then 1 connection for ${SERIAL_SECONDS} s); ` +
      `baseline: ${floor && floorUrl ? `${new URL(floorUrl).pathname} from the same server (${floor.requests} requests)` : "none (no static file found)"}`,
  ];
  for (const route of [`/c/${seeded.targetId}`, "/", `/api/comparisons/${seeded.targetId}`]) {
    const url = `${server.url}${route}`;
    await warmUp(url);
    log(`P3: ${CONNECTIONS} connections, ${LOAD_SECONDS} s, then 1 connection, ${SERIAL_SECONDS} s on GET ${route}`);
    const result = await load(url, CONNECTIONS, LOAD_SECONDS);
    // One connection: the time a request takes without queueing behind the others.
    const alone = await load(url, 1, SERIAL_SECONDS);
    const failed = result.non2xx + result.errors + alone.non2xx + alone.errors;
    rows.push({
      id: "P3",
      figure: `GET ${route.replace(seeded.targetId, "<id>")} p50 / p99`,
      value: `${ms(result.p50)} / ${ms(result.p99)}`,
      baseline: floor ? `static file ${ms(floor.p50)} / ${ms(floor.p99)}` : "—",
      ratio: floor ? `${ratio(result.p50, floor.p50)} / ${ratio(result.p99, floor.p99)}` : "—",
      target: `< ${TARGET.p3p50} ms / < ${TARGET.p3p99} ms`,
      verdict: verdict(failed === 0 && result.p50 < TARGET.p3p50 && result.p99 < TARGET.p3p99),
    });
    p3Notes.push(
      `GET ${route}: ${result.requests} requests, ${result.perSecond.toFixed(1)}/s; with 1 connection p50 ${ms(alone.p50)}, p99 ${ms(alone.p99)}` +
        (failed ? `; ${result.non2xx + alone.non2xx} non-2xx and ${result.errors + alone.errors} errors (FAIL)` : ""),
    );
  }
  rows.find((row) => row.id === "P3")!.notes = p3Notes;
}

/** Deletes every image of a comparison; children before parents, a few passes. */
async function removeImagesOf(engine: Engine, comparisonId: string): Promise<void> {
  await removeImages(engine, await imagesLabelled(comparisonId));
}

async function removeImages(engine: Engine, ids: string[]): Promise<void> {
  let remaining = ids;
  for (let pass = 0; pass < 4 && remaining.length; pass++) {
    const failed: string[] = [];
    for (const id of remaining) await engine.removeImage(id).catch(() => failed.push(id));
    remaining = failed;
  }
  if (remaining.length) log(`could not remove ${remaining.length} images: ${remaining.join(" ")}`);
}

/** Whether the classic builder ran the `go build` step rather than taking it from its cache. */
function compiledAgain(log: string[]): boolean {
  const step = log.findIndex((line) => /^Step \d+\/\d+ : RUN go build/.test(line));
  return step >= 0 && !/Using cache/.test(log[step + 1] ?? "");
}

async function finished(db: Db, id: string): Promise<ComparisonView> {
  const view = await getComparison(db, id);
  if (!view || view.status !== "succeeded") {
    throw new Error(`the comparison ${id} ended ${view?.status ?? "missing"}: ${view?.error?.code ?? ""} ${view?.error?.message ?? ""}`);
  }
  return view;
}

/** Where a comparison's time went: the first build (it compiles), then everything after it. */
function breakdown(view: ComparisonView, wall: number): string {
  const variants = view.variants.map((v) => `${v.key} ${v.status === "built" ? `${seconds(v.buildSeconds ?? 0)} ${v.runCheck?.verdict ?? ""}`.trim() : v.status}`);
  const first = view.variants.find((v) => v.buildSeconds !== null)?.buildSeconds ?? 0;
  return `${variants.join(", ")}; the first build ${seconds(first)}, then the other builds (side by side), measuring and run checks ${seconds(wall - first)}`;
}

function print(rows: Row[], facts: Facts): void {
  const lines = [
    "",
    `Slimstage benchmark — ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC`,
    ...facts.lines,
    "",
    table(rows),
    "",
    ...rows.flatMap((row) => (row.notes ?? []).map((note) => `${row.id}: ${note}`)),
    "",
  ];
  process.stdout.write(lines.join("\n"));
}

const loadAverage = () => os.loadavg().map((n) => n.toFixed(2)).join(" ");
const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
