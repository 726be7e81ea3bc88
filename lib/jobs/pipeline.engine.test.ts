// Engine test: the pipeline against the real Docker Engine and the offline base
// images. The bundled loadlocation example end to end (sizes, layers, compressed
// sizes, run checks), and a program that does not compile.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dockerEngine } from "@/lib/engine/docker-engine";
import { startSizeRegistry, type SizeRegistry } from "@/lib/measure/size-registry";
import type { SourceResolver } from "@/lib/source/resolve";
import { resolveSource, testBases } from "@/lib/testing/test-config";
import { createTestDb, type TestDb } from "@/lib/testing/test-db";
import { databaseBlobSizes, databaseLayerFiles } from "@/lib/db/blob-stores";
import { captureGoBinary } from "@/lib/measure/image-analysis";
import { runComparison } from "@/lib/jobs/pipeline";
import { getComparison, getVariantAnalysis } from "@/lib/reads/queries";

const engine = dockerEngine();
let testDb: TestDb;
let registry: SizeRegistry;
const builtImages: string[] = [];

beforeAll(async () => {
  await engine.version(); // fails the file at once, with the reason, when no engine answers
  testDb = await createTestDb();
  // Compressed sizes as the app measures them: pushed to the size registry.
  registry = await startSizeRegistry({ port: 0, sizes: databaseBlobSizes(testDb.db), files: databaseLayerFiles(testDb.db), captureFile: captureGoBinary });
});

afterAll(async () => {
  for (const imageId of builtImages) await engine.removeImage(imageId).catch(() => {});
  await registry?.close();
  await testDb?.dispose();
});

async function compare(id: string, repo: string, variants: string[] | null, resolve: SourceResolver = resolveSource, sizes: SizeRegistry = registry) {
  await testDb.db.comparison.create({
    data: { id, repo, status: "running", rebuild: true, variantKeys: variants ? JSON.stringify(variants) : null },
  });
  await runComparison(id, { db: testDb.db, engine, bases: testBases(), resolveSource: resolve, registry: sizes, layerFiles: databaseLayerFiles(testDb.db), runTimeoutSeconds: 5 });
  const view = await getComparison(testDb.db, id);
  for (const variant of view?.variants ?? []) if (variant.imageId) builtImages.push(variant.imageId);
  return view!;
}

describe("pipeline on the real engine", () => {
  it("builds loadlocation every way, measures it and runs each image", async () => {
    const comparison = await compare("loadloc001", "example:loadlocation", null);
    expect(comparison.error).toBeUndefined();
    expect(comparison.status).toBe("succeeded");
    expect(comparison.module).toBe("example.com/slimstage/loadlocation");
    expect(comparison.needs).toEqual({ tzdata: true, caRoots: false, cgo: false });

    const byKey = Object.fromEntries(comparison.variants.map((v) => [v.key, v]));
    expect(Object.keys(byKey)).toEqual(["single", "alpine", "alpine-naive", "scratch", "scratch-naive", "distroless"]);
    const { single, scratch, distroless } = byKey;
    const naive = byKey["scratch-naive"];

    // Real Alpine cannot be had offline: skipped with the reason, not a crash.
    expect(byKey.alpine).toMatchObject({ status: "skipped", reason: expect.stringContaining("alpine") });

    for (const variant of [single, scratch, naive, distroless]) {
      expect(variant.status).toBe("built");
      expect(variant.compressedBytes).toBeGreaterThan(0);
      expect(variant.compressedBytes).toBeLessThan(variant.sizeBytes!);
      // The layers add up to the image: nothing is counted twice or left out.
      expect(variant.layers.reduce((sum, layer) => sum + layer.sizeBytes, 0)).toBe(variant.sizeBytes);
      expect(variant.layers.every((layer) => layer.compressedBytes !== null)).toBe(true);
    }
    expect(single.sizeBytes).toBeGreaterThan(100e6);
    expect(naive.sizeBytes).toBeLessThan(5e6);
    expect(single.sizeBytes!).toBeGreaterThan(distroless.sizeBytes!);
    expect(distroless.sizeBytes!).toBeGreaterThanOrEqual(scratch.sizeBytes!);

    expect(single.layers.some((l) => l.fromBase)).toBe(true);
    expect(single.layers.some((l) => !l.fromBase && l.instruction.includes("go build"))).toBe(true);
    expect(naive.layers).toHaveLength(1);
    expect(naive.layers[0]).toMatchObject({ fromBase: false, instruction: expect.stringContaining("COPY") });
    expect(distroless.layers.some((l) => l.fromBase)).toBe(true);

    // The article's lesson: the naive slim image fails, the fixed ones work.
    expect(single.runCheck).toMatchObject({ verdict: "works", exitCode: 0, output: expect.stringContaining("Berlin") });
    expect(naive.runCheck).toMatchObject({ verdict: "fails", diagnosis: { code: "MISSING_ZONEINFO" } });
    expect(naive.runCheck?.output).toContain("unknown time zone Europe/Berlin");
    expect(naive.runCheck?.diagnosis?.fix).toContain("zoneinfo");
    expect(scratch.runCheck?.verdict).toBe("works");
    expect(distroless.runCheck?.verdict).toBe("works");

    // Why it is this big: the single-stage image carries the toolchain; the slim ones are the binary.
    const analysisOf = async (key: string) => {
      const found = await getVariantAnalysis(testDb.db, "loadloc001", key);
      if (found.found !== "analysis") throw new Error(`no analysis for ${key}: ${found.found}`);
      return found.analysis;
    };
    const [singleAnalysis, scratchAnalysis] = [await analysisOf("single"), await analysisOf("scratch")];
    expect(singleAnalysis.buildOnly.goToolchain).toBeGreaterThan(100e6);
    expect(JSON.stringify(singleAnalysis.tree)).toMatch(/"\/usr\/lib\/go-1\.23"/);
    expect(scratchAnalysis.tree.bytes).toBeGreaterThan(1e6);
    expect(scratchAnalysis.tree.bytes).toBeLessThanOrEqual(scratch.sizeBytes!);
    for (const analysis of [singleAnalysis, scratchAnalysis]) {
      expect(analysis.binary?.mainModule?.path).toBe("example.com/slimstage/loadlocation");
      const groups = new Set(analysis.binary?.modules.map((m) => m.group));
      expect(groups.has("std")).toBe(true);
      expect(groups.has("main")).toBe(true);
      expect(analysis.binary?.packages.some((p) => p.path === "time")).toBe(true);
    }
    expect(scratchAnalysis.efficiency.efficiency).toBeGreaterThan(0.99);
    // Every real layer names its digest, which names its files.
    for (const layer of await testDb.db.layer.findMany({ where: { variant: { comparisonId: "loadloc001", status: "built" } } })) {
      expect(layer.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    }
    expect(await testDb.db.blobFiles.count()).toBeGreaterThan(0);

    // The big layers' sizes were remembered by digest, and a second comparison gives the same numbers.
    expect(await testDb.db.blobSize.count()).toBeGreaterThan(0);
    const again = await compare("loadloc002", "example:loadlocation", ["single"]);
    expect(again.variants[0].compressedBytes).toBe(single.compressedBytes);
    expect(again.variants[0].layers.map((l) => l.compressedBytes)).toEqual(single.layers.map((l) => l.compressedBytes));
  });

  it("measures from the image export when the engine cannot reach the size registry, with sizes close to the pushed ones", async () => {
    const pushed = await compare("pushed0001", "example:loadlocation", ["scratch"]);
    const unreachable: SizeRegistry = {
      host: "127.0.0.1:1", // nothing listens there: the engine's push fails
      takePushed: () => {
        throw new Error("no push can arrive");
      },
      close: async () => {},
    };
    const exported = await compare("export0001", "example:loadlocation", ["scratch"], resolveSource, unreachable);
    expect(exported.variants[0]).toMatchObject({ status: "built", runCheck: { verdict: "works" } });
    // The engine's gzip and ours (level 6) differ by a few bytes, not in kind.
    const [a, b] = [pushed.variants[0].compressedBytes!, exported.variants[0].compressedBytes!];
    expect(Math.abs(a - b) / a).toBeLessThan(0.05);
    expect(exported.variants[0].layers.map((l) => l.compressedBytes === null)).toEqual(pushed.variants[0].layers.map((l) => l.compressedBytes === null));
  });

  it("reports a program that does not compile as a failed variant with the compiler's message", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "slimstage-broken-"));
    try {
      await writeFile(path.join(dir, "go.mod"), "module example.com/broken\n\ngo 1.21\n");
      await writeFile(path.join(dir, "main.go"), 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println(notDefined)\n}\n');
      const broken: SourceResolver = async () => ({ dir, commit: null, cleanup: async () => {} });
      const comparison = await compare("broken0001", "example:broken", ["single", "scratch"], broken);

      // Nothing was built, so the comparison did not succeed; the one shared cause is said once at the top.
      expect(comparison.status).toBe("failed");
      expect(comparison.error?.code).toBe("NOTHING_BUILT");
      expect(comparison.error?.message).toContain("undefined: notDefined");
      expect(comparison.variants.map((v) => v.status)).toEqual(["failed", "failed"]);
      for (const variant of comparison.variants) {
        expect(variant.reason).toContain("undefined: notDefined");
        expect(variant.imageId).toBeNull();
        expect(variant.layers).toEqual([]);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("stops a comparison canceled mid-build and leaves no container behind", async () => {
    const id = "cancel0001";
    await testDb.db.comparison.create({ data: { id, repo: "example:hello", status: "running", rebuild: true } });
    const controller = new AbortController();
    const done = runComparison(id, {
      db: testDb.db,
      engine,
      bases: testBases(),
      resolveSource,
      signal: controller.signal,
      // A fresh build argument defeats the build cache, so the build is really running.
      buildArgs: { GOPRIVATE: `cancel-${Date.now()}` },
    });
    await expect
      .poll(async () => (await testDb.db.variant.findMany({ where: { comparisonId: id, status: "building" } })).length, {
        timeout: 60_000,
      })
      .toBe(1);
    controller.abort();
    await done;
    const view = await getComparison(testDb.db, id);
    expect(view?.status).toBe("canceled");
    expect(view?.variants.every((v) => v.status !== "building" && v.status !== "queued")).toBe(true);
    for (const variant of view?.variants ?? []) if (variant.imageId) builtImages.push(variant.imageId);
    const containers = execFileSync("docker", ["ps", "-aq", "--filter", `label=org.slimstage.comparison=${id}`]).toString().trim();
    expect(containers).toBe("");
  });

  it("fails a build that runs past its time limit, and finishes the comparison", async () => {
    const id = "buildlimit";
    await testDb.db.comparison.create({
      data: { id, repo: "example:hello", status: "running", rebuild: true, variantKeys: JSON.stringify(["scratch"]) },
    });
    await runComparison(id, {
      db: testDb.db,
      engine,
      bases: testBases(),
      resolveSource,
      // BuildKit's cache mounts make a repeated Go build fast: a limit shorter than any build.
      buildTimeLimitMs: 300,
      buildArgs: { GOPRIVATE: `limit-${Date.now()}` },
    });
    const view = await getComparison(testDb.db, id);
    expect(view?.status).toBe("failed");
    expect(view?.error?.code).toBe("NOTHING_BUILT");
    expect(view?.variants[0]).toMatchObject({ status: "failed" });
    expect(view?.variants[0].reason).toMatch(/^The build took longer than .+ and was stopped\.$/);
  });
});
