// P1, P2, P4, P5 and P11: the work they share runs on the default engine, in this process,
// as a build worker runs it (scripts/bench/in-process.ts).
//
// P1  wall time of a full comparison of example:loadlocation (with each variant's
//     analysis), cold and warm, against one plain build of its single-stage Dockerfile.
//     Cold is the build cache's state; the base layers' sizes and file lists are known by
//     then (P2's first measurement), as after any earlier comparison on the same bases.
//     Also: the analysis's own share (the variants' analysisMs against the wall time).
// P2  the compressed sizes of every layer of a new single-stage image (base layers
//     known), against `docker save IMAGE | gzip -1 | wc -c`; and the first time ever.
// P4  the smallest working variant, against the stripped binary + the data it needs.
// P5  this process's peak RSS while the pipeline runs (sampled during P1).
// P11 a repeat of the same submission: answered from the database (lib/jobs/reuse.ts).
import type { Engine } from "@/lib/engine/engine";
import { measureByPush } from "@/lib/jobs/variant-build";
import { createTestDb } from "@/lib/testing/test-db";
import { planVariants } from "@/lib/dockerfiles/plan";
import { buildContext, DOCKERFILE_NAME } from "@/lib/engine/build-context";
import { LABEL_APP, LABEL_COMPARISON, LABEL_VARIANT } from "@/lib/engine/engine";
import { analyzeModule, selectMainPackage } from "@/lib/source/analyze";
import { chooseGoBuilder, goNeed } from "@/lib/source/go-mod";
import { readModuleFiles } from "@/lib/source/read-module";
import { makeSourceResolver } from "@/lib/source/resolve";
import type { ComparisonView } from "@/lib/comparisons/types";
import { timed, type BenchContext } from "./context";
import { folderBytes, savedGzipBytes } from "./docker-cli";
import { compiledAgain, removeImagesOf } from "./images";
import { runInProcess, startBenchRegistry, workerDeps, type RanComparison } from "./in-process";
import { megabytes, ratio, seconds, verdict } from "./report";
import { RssSampler } from "./rss";
import { p2Rows } from "./engine-p2";

export const EXAMPLE = "example:loadlocation";
const RSS_INTERVAL_MS = 100;
const TARGET = { p1Cold: 1.3, p1ColdBuildKit: 1.15, compileShare: 0.2, p4: 1.05, p5: 250e6, p11Seconds: 0.5 } as const;

/** What a later part may reuse: the build arguments whose builds are in the cache now. */
export interface EngineResult {
  warmBuildArgs: Record<string, string>;
}

export async function engineBench(ctx: BenchContext, engine: Engine): Promise<EngineResult> {
  const { config, cleanup, log, stamp, rows } = ctx;
  const bases = config.baseImages;
  const resolveSource = makeSourceResolver({ policy: config.repoPolicy, limits: config.cloneLimits, examplesDir: config.examplesDir });
  const source = await resolveSource({ repo: EXAMPLE, ref: null, subdir: null });
  cleanup.add("the example's checkout", () => source.cleanup());
  const { goMod, files, allPaths } = await readModuleFiles(source.dir);
  if (goMod === null) throw new Error(`${EXAMPLE} has no go.mod`);
  const analysis = analyzeModule(goMod, files);
  const choice = chooseGoBuilder(goNeed(analysis), bases);
  const builder = choice.kind === "image" ? choice : null;
  if (!builder || !(await engine.image(builder.image))) {
    throw new Error(`The Go builder image ${builder?.image ?? "(none configured)"} is not on the engine: run scripts/base-images.sh (scripts/up.sh does).`);
  }
  // The plain build is what `docker build` does on this engine: BuildKit where it has it
  // (with Go's caches in mounts of their own, empty at first, as the comparison's are).
  const engineBuilder = (await engine.builder()).kind;
  const plan = {
    builderImage: builder.image,
    mainPackage: selectMainPackage(analysis, null).mainPackage,
    hasGoSum: allPaths.includes("go.sum"),
    vendored: analysis.vendored,
    needs: analysis.needs,
    builder: engineBuilder,
    cacheScope: `bench-${stamp}-plain`,
  };
  const [single] = planVariants(["single"], plan, bases);
  const networkMode = plan.vendored ? "none" : config.buildNetwork;

  const baselineId = `${stamp}-plain`;
  cleanup.add(`the images of ${baselineId}`, () => removeImagesOf(engine, baselineId));
  // A build argument no earlier build used defeats the cache for every RUN step.
  const baselineArgs = { ...config.moduleBuildArgs, GOPRIVATE: baselineId };
  const plainBuild = async (comparisonId: string, buildArgs: Record<string, string>) => {
    const lines: string[] = [];
    const { seconds: wall, value } = await timed(() =>
      engine.build({
        context: buildContext({ sourceDir: source.dir, dockerfile: single.dockerfile }),
        dockerfile: DOCKERFILE_NAME,
        labels: { [LABEL_APP]: "slimstage", [LABEL_COMPARISON]: comparisonId, [LABEL_VARIANT]: "single" },
        buildArgs,
        networkMode,
        builder: engineBuilder,
        onLog: (line) => lines.push(line),
      }),
    );
    return { wall, compiled: compiledAgain(lines), imageId: value.imageId };
  };
  log("P1 baseline: plain docker build of the single-stage Dockerfile, cold");
  const plainCold = await plainBuild(baselineId, baselineArgs);
  log(`P1 baseline: cold ${seconds(plainCold.wall)}; warm`);
  const plainWarm = await plainBuild(baselineId, baselineArgs);
  log(`P1 baseline: warm ${seconds(plainWarm.wall)}`);

  // The size registry as a worker runs it, with stores that start empty.
  const p1Db = await createTestDb();
  cleanup.add("the P1 database", () => p1Db.dispose());
  const registry = await startBenchRegistry(p1Db.db);
  cleanup.add("the size registry", () => registry.close());

  // P2 before anything is known: the first comparison ever on these base images.
  log("P2: the first measurement, nothing known yet: docker save | gzip -1, then the push");
  const firstPlain = await timed(() => savedGzipBytes(plainCold.imageId));
  const first = await timed(() => measureByPush(engine, registry, plainCold.imageId, `${stamp}-first`));
  log(`P2: first measurement ${seconds(first.seconds)} against ${seconds(firstPlain.seconds)}`);
  // The comparison starts from the same build cache state as the cold plain build did.
  await removeImagesOf(engine, baselineId);

  const pipelineArgs = { ...config.moduleBuildArgs, GOPRIVATE: `${stamp}-pipeline` };
  const deps = workerDeps(config, p1Db.db, engine, registry, pipelineArgs);
  // Each is built (rebuild): the repeat that reuses the results is P11, below.
  const compare = (id: string, rebuild = true) => {
    cleanup.add(`the images of ${id}`, () => removeImagesOf(engine, id));
    return runInProcess(id, EXAMPLE, deps, { rebuild });
  };
  await new Promise((resolve) => setTimeout(resolve, 200));
  const rssBefore = process.memoryUsage.rss();
  const heapBefore = process.memoryUsage().heapUsed;
  const sampler = new RssSampler(RSS_INTERVAL_MS);
  log("P1: the full comparison, cold (base layer sizes known from the first measurement)");
  const cold = await compare(`${stamp}-cold`);
  log(`P1: cold ${seconds(cold.wall)}; warm`);
  const warm = await compare(`${stamp}-warm`);
  const rssPeak = sampler.stop();
  log("P11: the same submission again: answered from the database");
  const repeat = await compare(`${stamp}-repeat`, false);
  if (!repeat.view.reusedFrom) throw new Error("the repeat submission was built again instead of reusing the results");
  const { heapUsed: heapAfter, external, arrayBuffers } = process.memoryUsage();
  log(`P1: warm ${seconds(warm.wall)}; peak RSS ${megabytes(rssPeak)}`);

  // A cold figure that hit the cache would be wrong, not slow: refuse it.
  // With BuildKit the variants build side by side and one of them shows the shared compile.
  const compiledIn = (view: ComparisonView) => view.variants.some((v) => compiledAgain(v.buildLog.split("\n")));
  if (!plainCold.compiled || !compiledIn(cold.view)) throw new Error("a cold build did not run `go build` (the build cache answered): the cold figures would be wrong");
  const cacheNote = `the cold builds ran go build, the warm ones ${plainWarm.compiled || compiledIn(warm.view) ? "also ran it (the cache missed)" : "took it from the cache"}`;

  rows.push(
    {
      id: "P1",
      figure: "full comparison of loadlocation, cold",
      value: seconds(cold.wall),
      baseline: `plain ${engineBuilder} build ${seconds(plainCold.wall)}`,
      ratio: ratio(cold.wall, plainCold.wall),
      target: `≤ ${engineBuilder === "buildkit" ? TARGET.p1ColdBuildKit : TARGET.p1Cold}`,
      verdict: verdict(cold.wall / plainCold.wall <= (engineBuilder === "buildkit" ? TARGET.p1ColdBuildKit : TARGET.p1Cold)),
      notes: [`cold: ${breakdown(cold)}`, `warm: ${breakdown(warm)}`, cacheNote],
    },
    compileShareRow(cold),
    {
      id: "P11",
      figure: "a repeat submission of loadlocation (same commit, settings, bases): time to a finished comparison",
      value: seconds(repeat.wall),
      baseline: `a warm build ${seconds(warm.wall)}`,
      ratio: ratio(repeat.wall, warm.wall),
      target: `< ${seconds(TARGET.p11Seconds)}`,
      verdict: verdict(repeat.wall < TARGET.p11Seconds),
      notes: [`answered from the database: the results of ${repeat.view.reusedFrom} (lib/jobs/reuse.ts), after reading the example and planning`],
    },
    {
      id: "P1",
      figure: "full comparison of loadlocation, warm",
      value: seconds(warm.wall),
      baseline: `plain ${engineBuilder} build ${seconds(plainWarm.wall)}`,
      ratio: ratio(warm.wall, plainWarm.wall),
      target: "(none)",
      verdict: "—",
    },
    {
      id: "P1",
      figure: "its analysis (files, binary), cold / warm",
      value: `${seconds(cold.analysisSeconds)} / ${seconds(warm.analysisSeconds)}`,
      baseline: `the comparison ${seconds(cold.wall)} / ${seconds(warm.wall)}`,
      ratio: `${share(cold)} / ${share(warm)}`,
      target: "(share)",
      verdict: "—",
      notes: [
        `the sum of analysisMs of the ${cold.analysedVariants} analysed variants (file tree, dive's efficiency, build-only bytes, the Go binary's packages), ` +
          "against the comparison's wall time; the file lists themselves are read during the push, inside the compressed-size time",
      ],
    },
    {
      id: "P5",
      figure: "peak RSS of the bench process during P1",
      value: megabytes(rssPeak),
      baseline: `before the comparison ${megabytes(rssBefore)}`,
      ratio: ratio(rssPeak, rssBefore),
      target: `< ${megabytes(TARGET.p5)}`,
      verdict: verdict(rssPeak < TARGET.p5),
      notes: [
        `sampled every ${RSS_INTERVAL_MS} ms while the pipeline ran in this process (cold and warm comparisons); "before" comes after P2's first ` +
          `measurement, which read every base layer's file list in this process; V8 heap in use ${megabytes(heapBefore)} before, ${megabytes(heapAfter)} after ` +
          `(outside it: ${megabytes(external)} external, of which ${megabytes(arrayBuffers)} buffers); glibc malloc arenas: ` +
          `${process.env.MALLOC_ARENA_MAX ? `MALLOC_ARENA_MAX=${process.env.MALLOC_ARENA_MAX}, as npm run worker sets it` : "glibc's default (npm run worker sets MALLOC_ARENA_MAX=2)"}`,
      ],
    },
  );

  rows.push(...(await p2Rows(ctx, engine, registry, { first, firstPlain, plainBuild })));

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
  return { warmBuildArgs: pipelineArgs };
}

/**
 * How often the cold comparison compiled: every generated variant shares one builder
 * stage, so `go build` should run in one build and come from the cache (or be merged in
 * flight, with BuildKit) in every other. The share is the extra compiles per other build.
 */
function compileShareRow({ view }: RanComparison) {
  const builds = view.variants.filter((v) => v.buildSeconds !== null && v.key !== "repo");
  if (builds.length < 2) throw new Error("the cold comparison built fewer than two variants");
  const compiled = builds.filter((v) => compiledAgain(v.buildLog.split("\n")));
  const share = Math.max(0, compiled.length - 1) / (builds.length - 1);
  return {
    id: "P1",
    figure: "go build runs per cold comparison (the other builds' compile share)",
    value: `${compiled.length} of ${builds.length} builds`,
    baseline: "one compile",
    ratio: share.toFixed(2),
    target: `≤ ${TARGET.compileShare}`,
    verdict: verdict(share <= TARGET.compileShare),
    notes: [`the compile ran in ${compiled.map((v) => v.key).join(", ") || "none"}; the others took the shared builder stage from BuildKit (CACHED, or merged while in flight)`],
  };
}

const share = (ran: RanComparison) => `${((100 * ran.analysisSeconds) / ran.wall).toFixed(1)}%`;

/** Where a comparison's time went: the first build (it compiles), then everything after it. */
function breakdown({ view, wall }: RanComparison): string {
  const variants = view.variants.map((v) => `${v.key} ${v.status === "built" ? `${seconds(v.buildSeconds ?? 0)} ${v.runCheck?.verdict ?? ""}`.trim() : v.status}`);
  const first = view.variants.find((v) => v.buildSeconds !== null)?.buildSeconds ?? 0;
  return `${variants.join(", ")}; the first build ${seconds(first)}, then the other builds (side by side), measuring and run checks ${seconds(wall - first)}`;
}
