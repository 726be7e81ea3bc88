// Engine test: "Make it smaller, proven" end to end on the real engine with the offline
// base images — example:loadlocation and example:hello compared, then their advice run
// as a worker runs it: every candidate built, measured, run and judged against the
// single-stage image; UPX from Debian's upx-ucl (a tool image made through the engine).
// And stopped by its owner in a worker's queue slot: canceled, or its comparison deleted.
import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LABEL_COMPARISON, LABEL_VARIANT } from "@/lib/engine/engine";
import { cancelComparison, deleteComparison } from "@/lib/comparisons/service";
import { runComparison } from "@/lib/jobs/pipeline";
import { createQueue } from "@/lib/jobs/queue";
import { dockerEngine } from "@/lib/engine/docker-engine";
import { startSizeRegistry, type SizeRegistry } from "@/lib/measure/size-registry";
import { databaseBlobSizes, databaseLayerFiles } from "@/lib/db/blob-stores";
import { captureGoBinary } from "@/lib/measure/image-analysis";
import { resolveSource, testBases, testConfig } from "@/lib/testing/test-config";
import { createTestDb, type TestDb } from "@/lib/testing/test-db";
import { runOnEngine } from "@/lib/testing/engine-comparison";
import { startGitServer, type GitServer } from "@/lib/testing/git-server";
import { greeterProxyModule, server, thirdPartyApp, tlsClient, twoMains } from "@/lib/testing/go-fixtures";
import { startModuleProxy } from "@/lib/testing/module-proxy";
import { adviceSettings, runAdvice } from "./runner";
import { getAdvice } from "./read";
import { buildWaterfall } from "./waterfall";
import type { AdviceView } from "./types";
import type { RepoBuildNetwork } from "@/lib/config";
import { getComparison } from "@/lib/reads/queries";

const engine = dockerEngine();
// Ids of this run: images are labelled with their comparison, and another worker on the same
// engine (another database) takes an hour-old image labelled with an id it does not know for
// an orphan (lib/jobs/disk-budget.ts): a cached build under last run's ids would be one.
const RUN = Math.random().toString(36).slice(2, 6).padEnd(4, "0");
const LOC = `advloc${RUN}`;
const BENCH = `advben${RUN}`;
let testDb: TestDb;
let registry: SizeRegistry;
let git: GitServer | undefined;
const builtImages: string[] = [];

beforeAll(async () => {
  await engine.version();
  testDb = await createTestDb();
  registry = await startSizeRegistry({ port: 0, sizes: databaseBlobSizes(testDb.db), files: databaseLayerFiles(testDb.db), captureFile: captureGoBinary });
});

afterAll(async () => {
  for (const imageId of builtImages) await engine.removeImage(imageId).catch(() => {});
  await registry?.close();
  await git?.stop();
  await testDb?.dispose();
});

// A repository whose own Dockerfile is single-stage, without the build flags, and no .dockerignore.
const singleStageRepo = {
  "go.mod": "module example.com/fixtures/singlestage\n\ngo 1.23\n",
  "main.go": 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("Hello from a single-stage Dockerfile!") }\n',
  Dockerfile: "FROM golang:1.23\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .\nENTRYPOINT [\"/app\"]\n",
};

// A repository whose own Dockerfile installs a Debian package and keeps apt's lists in that
// layer. The stand-in Go image's apt sources name the Debian mirror it was made from
// (org.slimstage.debian-mirror), reached over the engine's bridge network: its builds
// take SLIMSTAGE_REPO_BUILD_NETWORK=bridge.
const aptListsRepo = {
  "go.mod": "module example.com/fixtures/aptlists\n\ngo 1.23\n",
  "main.go": 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("Hello from a Dockerfile that keeps apt\'s lists!") }\n',
  Dockerfile:
    "FROM golang:1.23\n" +
    "RUN apt-get update -o Acquire::Retries=2 \\\n    && apt-get install -y --no-install-recommends tree\n" +
    "WORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .\nENTRYPOINT [\"/app\"]\n",
};

async function compareAndAdvise(
  id: string,
  repo: string,
  variants: string[],
  extra: { repoBuildNetwork?: RepoBuildNetwork } = {},
): Promise<{ advice: AdviceView; comparisonSeconds: number; adviceSeconds: number }> {
  const deps = { engine, bases: testBases(), repoBases: testConfig().repoBases, resolveSource, registry, layerFiles: databaseLayerFiles(testDb.db), runTimeoutSeconds: 5, ...extra };
  const started = performance.now();
  const view = await runOnEngine(testDb.db, { id, repo, variantKeys: JSON.stringify(variants), adviceStatus: "queued" }, deps, builtImages);
  const comparisonSeconds = (performance.now() - started) / 1000;
  expect(view.status).toBe("succeeded");
  for (const key of variants) if (view.by[key]?.status !== "built") throw new Error(`${key} was not built: ${view.by[key]?.reason}`);
  const adviceStarted = performance.now();
  await runAdvice(id, { db: testDb.db, ...deps, advice: adviceSettings(testConfig()) });
  const adviceSeconds = (performance.now() - adviceStarted) / 1000;
  return { advice: (await getAdvice(testDb.db, id))!, comparisonSeconds, adviceSeconds };
}

const step = (advice: AdviceView, key: string) => {
  const found = advice.steps.find((s) => s.key === key);
  if (!found) throw new Error(`no step ${key} in ${advice.steps.map((s) => s.key).join(", ")}`);
  return found;
};

describe("advice on the real engine", () => {
  it("loadlocation: embedded time zones work on scratch without zoneinfo; the cut without them breaks it; the smallest proven image is at the physical limit", async () => {
    const { advice, comparisonSeconds, adviceSeconds } = await compareAndAdvise(LOC, "example:loadlocation", ["single", "scratch", "distroless"]);
    expect(advice.error).toBeNull();
    expect(advice.status).toBe("done");

    const multistage = step(advice, "multistage");
    expect(multistage).toMatchObject({ status: "works", role: "chain" });
    expect(multistage.sizeBytes!).toBeLessThan(step(advice, "single").sizeBytes! / 50);
    expect(step(advice, "strip")).toMatchObject({ status: "works" });
    expect(step(advice, "strip").sizeBytes!).toBeLessThan(multistage.sizeBytes!);

    const embedded = step(advice, "timetzdata");
    expect(embedded.status).toBe("works");
    expect(embedded.dockerfile).toMatch(/-tags (\S+,)?timetzdata /);
    expect(embedded.dockerfile).toMatch(/^FROM scratch$/m);
    expect(embedded.dockerfile).not.toContain("zoneinfo");
    expect(embedded.patch).toContain("-COPY --from=builder /usr/share/zoneinfo /usr/share/zoneinfo");

    const cut = step(advice, "no-zoneinfo");
    expect(cut).toMatchObject({ status: "breaks", role: "alternative" });
    expect(cut.diagnosis?.code).toBe("MISSING_ZONEINFO");
    expect(cut.runOutput).toContain("unknown time zone Europe/Berlin");

    for (const key of ["buildvcs", "netgo"]) expect(["works", "no-gain"]).toContain(step(advice, key).status);
    const upx = step(advice, "upx");
    expect(["works", "not-tried"]).toContain(upx.status);
    const waterfall = buildWaterfall(advice);
    if (upx.status === "works") {
      expect(upx.reason).toMatch(/a run takes \d+ ms against \d+ ms/);
      expect(upx.sizeBytes!).toBeLessThan(embedded.sizeBytes!);
      // Its cost, measured: the peak memory of the packed binary's run check and of the one
      // it was applied to (the last kept step), both real figures, side by side.
      expect(upx.reason).toMatch(/container's peak memory is [\d.]+ MB against [\d.]+ MB without it/);
      const cost = waterfall.rows.find((r) => r.key === "upx")!.cost!;
      expect(cost.without.key).toBe(waterfall.rows.filter((r) => r.kept && r.key !== "upx").at(-1)!.key);
      expect(cost.memoryBytes).toBe(upx.memoryBytes);
      expect(cost.memoryBytes!).toBeGreaterThan(0);
      expect(cost.without.memoryBytes!).toBeGreaterThan(0);
      expect(cost.startMs).toBeGreaterThan(0);
      console.log(`[figures] loadlocation UPX cost: run ${cost.startMs?.toFixed(0)} ms against ${cost.without.startMs?.toFixed(0)} ms; peak memory ${cost.memoryBytes} B against ${cost.without.memoryBytes} B`);
    }

    expect(waterfall.bars[0].key).toBe("single");
    expect(advice.summary?.limitBytes).toBeGreaterThan(0);
    // The smallest proven image, against the stripped binary plus what it needs.
    const ratio = waterfall.smallest!.sizeBytes / advice.summary!.limitBytes!;
    expect(ratio).toBeLessThanOrEqual(1);
    console.log(
      `[figures] loadlocation: single ${step(advice, "single").sizeBytes} B → smallest proven ${waterfall.smallest!.sizeBytes} B (${waterfall.smallest!.key}); ` +
        `limit ${advice.summary!.limitBytes} B (${advice.summary!.limitWhat}): ratio ${ratio.toFixed(3)}; ` +
        `comparison ${comparisonSeconds.toFixed(1)} s, advice ${adviceSeconds.toFixed(1)} s (${((adviceSeconds / comparisonSeconds) * 100).toFixed(0)}%)`,
    );

    // Again, with the build cache warm: the same steps, only faster.
    await testDb.db.comparison.update({ where: { id: LOC }, data: { adviceStatus: "queued" } });
    const warmStarted = performance.now();
    await runAdvice(LOC, { db: testDb.db, engine, bases: testBases(), resolveSource, registry, runTimeoutSeconds: 5, advice: adviceSettings(testConfig()) });
    const warmSeconds = (performance.now() - warmStarted) / 1000;
    const again = (await getAdvice(testDb.db, LOC))!;
    // Another worker on this engine (its own database) may take the images for orphans meanwhile.
    if (again.status === "skipped") {
      expect(again.error).toContain("no longer on the engine");
      return;
    }
    expect(step(again, "timetzdata").sizeBytes).toBe(embedded.sizeBytes);
    console.log(`[figures] loadlocation advice: cold ${adviceSeconds.toFixed(1)} s, warm ${warmSeconds.toFixed(1)} s (the build cache saves ${(adviceSeconds - warmSeconds).toFixed(1)} s)`);
  });

  it("hello: the chain down to scratch, ratio to the stripped binary ≤ 1", async () => {
    const { advice, comparisonSeconds, adviceSeconds } = await compareAndAdvise(`advhel${RUN}`, "example:hello", ["single", "scratch"]);
    expect(advice.status).toBe("done");
    expect(advice.steps.some((s) => s.key === "timetzdata")).toBe(false);
    const waterfall = buildWaterfall(advice);
    const ratio = waterfall.smallest!.sizeBytes / advice.summary!.limitBytes!;
    expect(ratio).toBeLessThanOrEqual(1);
    console.log(
      `[figures] hello: smallest proven ${waterfall.smallest!.sizeBytes} B (${waterfall.smallest!.key}); limit ${advice.summary!.limitBytes} B (${advice.summary!.limitWhat}): ratio ${ratio.toFixed(3)}; ` +
        `comparison ${comparisonSeconds.toFixed(1)} s, advice ${adviceSeconds.toFixed(1)} s`,
    );
  });

  it("a repository's own single-stage Dockerfile: the multi-stage rewrite and the flags proven, .dockerignore and caches measured", async () => {
    process.env.SLIMSTAGE_ALLOW_PRIVATE_HOSTS = "1"; // the git server is on loopback
    git = await startGitServer();
    const { url } = await git.createRepo("singlestage", singleStageRepo);
    const { advice } = await compareAndAdvise(`advrep${RUN}`, url, ["single", "scratch", "repo"]);
    expect(advice.status).toBe("done");
    expect(step(advice, "repo-multistage")).toMatchObject({ status: "works", role: "repo" });
    expect(step(advice, "repo-multistage").patch).toContain("+FROM scratch");
    const flags = step(advice, "repo-flags");
    expect(flags.status).toBe("works");
    expect(flags.patch).toContain('+RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /app .');
    expect(step(advice, "repo-dockerignore")).toMatchObject({ status: "lead", patch: expect.stringContaining("+.git") });
    expect(step(advice, "repo-caches").why).toContain("Go build cache");
  });

  it("a repository's own Dockerfile that keeps apt's lists: the same RUN without them built as the comparison built it, run-checked, smaller by the lists' bytes", async () => {
    process.env.SLIMSTAGE_ALLOW_PRIVATE_HOSTS = "1";
    git ??= await startGitServer();
    const { url } = await git.createRepo("aptlists", aptListsRepo);
    const id = `advapt${RUN}`;
    const { advice } = await compareAndAdvise(id, url, ["single", "scratch", "repo"], { repoBuildNetwork: "bridge" });
    expect(advice.status).toBe("done");
    const repoVariant = (await getComparison(testDb.db, id))!.variants.find((v) => v.key === "repo")!;
    // What the lists hold in the repository's image, counted inside it.
    const du = execFileSync("docker", ["run", "--rm", "--network", "none", "--entrypoint", "du", repoVariant.imageId!, "-sb", "/var/lib/apt/lists"]).toString();
    const listBytes = Number(du.split("\t")[0]);
    expect(listBytes).toBeGreaterThan(1e6);

    const caches = step(advice, "repo-caches");
    expect(caches.reason).toContain("smaller than your image");
    expect(caches).toMatchObject({ status: "works", role: "repo" });
    const saved = repoVariant.sizeBytes! - caches.sizeBytes!;
    expect(saved).toBeGreaterThan(listBytes * 0.9);
    expect(saved).toBeLessThan(listBytes * 1.1);
    expect(caches.compressedBytes!).toBeGreaterThan(0);
    expect(caches.compressedBytes!).toBeLessThan(repoVariant.compressedBytes!);
    expect(caches.patch).toContain("-    && apt-get install -y --no-install-recommends tree\n");
    expect(caches.patch).toContain("+    && apt-get install -y --no-install-recommends tree && rm -rf /var/lib/apt/lists/*\n");
    expect(caches.dockerfile).toBe(aptListsRepo.Dockerfile.replace("tree\n", "tree && rm -rf /var/lib/apt/lists/*\n"));
    // Go's build cache is not rewritten: a lead of its own.
    expect(step(advice, "repo-go-caches")).toMatchObject({ status: "lead", why: expect.stringContaining("Go build cache") });
    // Its image is removed with the advice's others.
    expect(execFileSync("docker", ["images", "-q", "--filter", `label=${LABEL_VARIANT}=advice-repo-caches`, "--filter", `label=${LABEL_COMPARISON}=${id}`]).toString().trim()).toBe("");
    console.log(`[figures] apt lists: ${listBytes} B in the repository's image; the rewrite saves ${saved} B on disk, ${repoVariant.compressedBytes! - caches.compressedBytes!} B compressed`);
  });

  // The bench figure: advice's worker time against the comparison's, from cold Go caches
  // (a cache scope of its own: GOPRIVATE names a host that does not exist), and again warm.
  // Minutes on 2 cores, so only when asked: ADVICE_BENCH_COLD=1.
  it.runIf(process.env.ADVICE_BENCH_COLD === "1")("bench: loadlocation advice from cold caches, then warm", async () => {
    const scope = { GOPRIVATE: `bench-${Date.now()}.invalid` };
    const deps = { engine, bases: testBases(), resolveSource, registry, buildArgs: scope, layerFiles: databaseLayerFiles(testDb.db), runTimeoutSeconds: 5 };
    const started = performance.now();
    await runOnEngine(testDb.db, { id: BENCH, repo: "example:loadlocation", variantKeys: JSON.stringify(["single", "scratch", "distroless"]), adviceStatus: "queued" }, deps, builtImages);
    const comparison = (performance.now() - started) / 1000;
    const time = async () => {
      const t = performance.now();
      await runAdvice(BENCH, { db: testDb.db, ...deps, advice: adviceSettings(testConfig()) });
      return (performance.now() - t) / 1000;
    };
    const cold = await time();
    await testDb.db.comparison.update({ where: { id: BENCH }, data: { adviceStatus: "queued" } });
    const warm = await time();
    const advice = (await getAdvice(testDb.db, BENCH))!;
    expect(advice.status).toBe("done");
    console.log(
      `[figures] bench loadlocation, cold caches: comparison ${comparison.toFixed(1)} s; advice cold ${cold.toFixed(1)} s (${((cold / comparison) * 100).toFixed(0)}% of the comparison), ` +
        `warm ${warm.toFixed(1)} s (${((warm / comparison) * 100).toFixed(0)}%); the build cache saves ${(cold - warm).toFixed(1)} s (${(((cold - warm) / cold) * 100).toFixed(0)}%)`,
    );
  });

  // The figure for the test fixtures: the smallest proven image against the physical limit,
  // with and without UPX. Each fixture is a comparison and its advice: only when asked
  // (ADVICE_FIXTURES=1, or a list of their names: ADVICE_FIXTURES=server,twomains).
  it.runIf(Boolean(process.env.ADVICE_FIXTURES))("fixtures: the smallest proven image against the physical limit", async () => {
    process.env.SLIMSTAGE_ALLOW_PRIVATE_HOSTS = "1";
    git ??= await startGitServer();
    const proxy = await startModuleProxy([greeterProxyModule]);
    try {
      const wanted = process.env.ADVICE_FIXTURES === "1" ? null : process.env.ADVICE_FIXTURES!.split(",");
      const fixtures = [
        ["tlsclient", tlsClient, {}, null],
        ["server", server, {}, null],
        ["thirdparty", thirdPartyApp, { buildArgs: { GOPROXY: proxy.url }, buildNetwork: "host" }, null],
        ["twomains", twoMains, {}, "./cmd/api"],
      ] as const;
      for (const [name, files, extra, mainPackage] of fixtures.filter(([name]) => !wanted || wanted.includes(name))) {
        const { url } = await git.createRepo(`fixture-${name}`, files);
        const id = `adv${name.slice(0, 3)}${RUN}`;
        const deps = { engine, bases: testBases(), resolveSource, registry, layerFiles: databaseLayerFiles(testDb.db), runTimeoutSeconds: 5, ...extra };
        const view = await runOnEngine(testDb.db, { id, repo: url, mainPackage, variantKeys: JSON.stringify(["single", "scratch", "distroless"]), adviceStatus: "queued" }, deps, builtImages);
        expect(view.error).toBeUndefined();
        await runAdvice(id, { db: testDb.db, ...deps, advice: adviceSettings(testConfig()) });
        const advice = (await getAdvice(testDb.db, id))!;
        expect(advice.status).toBe("done");
        const waterfall = buildWaterfall(advice);
        const withoutUpx = waterfall.rows.filter((r) => r.kept && r.key !== "upx").at(-1)!;
        const limit = advice.summary!.limitBytes!;
        expect(waterfall.smallest!.sizeBytes / limit).toBeLessThanOrEqual(1);
        console.log(
          `[figures] fixture ${name}: smallest proven ${waterfall.smallest!.sizeBytes} B (${waterfall.smallest!.key}), without UPX ${withoutUpx.sizeBytes} B (${withoutUpx.key}); ` +
            `limit ${limit} B (${advice.summary!.limitWhat}): ratio ${(waterfall.smallest!.sizeBytes / limit).toFixed(3)}, without UPX ${(withoutUpx.sizeBytes! / limit).toFixed(3)}; ` +
            `UPX: ${advice.steps.find((s) => s.key === "upx")?.reason ?? "-"}`,
        );
      }
    } finally {
      await proxy.stop();
    }
  });
});

// As a worker runs it (lib/roots/worker.ts): the comparison, then its advice in the same
// slot. Two comparisons, one slot: the second starts only once the first's advice stopped.
describe("advice stopped by its owner", () => {
  it("a cancel stops the advice mid-build and a delete stops the next one: the slot is freed, nothing of theirs is left on the engine", async () => {
    const [canceled, deleted] = [`advcan${RUN}`, `advdel${RUN}`];
    for (const [i, id] of [canceled, deleted].entries()) {
      await testDb.db.comparison.create({
        data: { id, repo: "example:hello", status: "queued", rebuild: true, variantKeys: JSON.stringify(["single", "scratch"]), createdAt: new Date(Date.now() + i) },
      });
    }
    const deps = { db: testDb.db, engine, bases: testBases(), repoBases: testConfig().repoBases, resolveSource, registry, layerFiles: databaseLayerFiles(testDb.db), runTimeoutSeconds: 5 };
    const queue = createQueue({
      db: testDb.db,
      dialect: testDb.dialect,
      holder: { workerId: `advstop${RUN}`, engineId: "test-engine" },
      concurrency: 1,
      leaseMs: 30_000,
      pollMs: 200,
      run: (id, signal) => runComparison(id, { ...deps, signal, workerId: `advstop${RUN}` }),
      // A build argument of its own makes the candidates compile from a cold cache: still building when stopped.
      after: (id, signal) => runAdvice(id, { ...deps, signal, buildArgs: { GOPRIVATE: `advstop-${id}.invalid` }, advice: adviceSettings(testConfig()) }),
    });
    const building = (id: string) => async () => (await testDb.db.adviceStep.count({ where: { comparisonId: id, status: "building" } })) > 0;
    const images = (id: string) => execFileSync("docker", ["images", "-q", "--no-trunc", "--filter", `label=${LABEL_COMPARISON}=${id}`]).toString().split("\n").filter(Boolean);
    const containers = (id: string) => execFileSync("docker", ["ps", "-aq", "--filter", `label=${LABEL_COMPARISON}=${id}`]).toString().trim();
    const variantImages = async (id: string) => (await testDb.db.variant.findMany({ where: { comparisonId: id }, select: { imageId: true } })).map((v) => v.imageId).filter((i): i is string => Boolean(i));
    try {
      await queue.start();
      await expect.poll(building(canceled), { timeout: 300_000, interval: 500 }).toBe(true);
      builtImages.push(...(await variantImages(canceled)));
      expect(await testDb.db.comparison.count({ where: { id: deleted, status: "queued" } })).toBe(1); // the slot is the first's

      // Cancel: the comparison has succeeded and stays so; its advice stops.
      expect(await cancelComparison(testDb.db, canceled, 0)).toMatchObject({ status: "succeeded" });
      await expect.poll(async () => (await getAdvice(testDb.db, canceled))?.status, { timeout: 120_000, interval: 500 }).toBe("canceled");
      const advice = (await getAdvice(testDb.db, canceled))!;
      expect(advice).toMatchObject({ comparisonStatus: "succeeded", error: expect.stringContaining("canceled") });
      expect(advice.steps.filter((s) => s.status === "planned" || s.status === "building")).toEqual([]);
      expect(advice.steps.some((s) => s.status === "not-tried" && s.reason?.includes("canceled"))).toBe(true);

      // The slot is freed: the second comparison runs, and its advice is deleted with it mid-build.
      await expect.poll(building(deleted), { timeout: 300_000, interval: 500 }).toBe(true);
      const kept = new Set([...(await variantImages(canceled)), ...(await variantImages(deleted))]);
      builtImages.push(...kept);
      expect(await deleteComparison(testDb.db, deleted)).toBe(true);
      await expect.poll(() => queue.running(), { timeout: 120_000, interval: 500 }).toEqual([]);

      for (const id of [canceled, deleted]) {
        expect(containers(id)).toBe("");
        // Only the variants' own images stay (retention and the delete's removal requests take those).
        expect(images(id).filter((image) => !kept.has(image))).toEqual([]);
      }
    } finally {
      queue.stop();
    }
  });
});
