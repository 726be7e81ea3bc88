// Engine test: the pipeline against the real Docker Engine and the configured base
// images. Builds examples/loadlocation single-stage and onto scratch, and a program
// that does not compile.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseImages } from "@/lib/config";
import { dockerEngine } from "@/lib/engine/docker-engine";
import { resolveSource, type SourceResolver } from "@/lib/source/resolve";
import { createTestDb, type TestDb } from "@/lib/testing/test-db";
import { runComparison } from "./pipeline";
import { getComparisonFrom } from "./queries";

const engine = dockerEngine();
let testDb: TestDb;
const builtImages: string[] = [];

beforeAll(async () => {
  await engine.version(); // fails the file at once, with the reason, when no engine answers
  testDb = await createTestDb();
});

afterAll(async () => {
  for (const imageId of builtImages) await engine.removeImage(imageId).catch(() => {});
  await testDb?.dispose();
});

async function compare(id: string, repo: string, resolve: SourceResolver = resolveSource) {
  await testDb.db.comparison.create({ data: { id, repo, status: "running" } });
  await runComparison(id, { db: testDb.db, engine, bases: baseImages(), resolveSource: resolve });
  const view = await getComparisonFrom(testDb.db, id);
  for (const variant of view?.variants ?? []) if (variant.imageId) builtImages.push(variant.imageId);
  return view!;
}

describe("pipeline on the real engine", () => {
  it("builds loadlocation single-stage and onto scratch, and stores their layers", async () => {
    const comparison = await compare("loadloc001", "example:loadlocation");
    expect(comparison.error).toBeUndefined();
    expect(comparison.status).toBe("succeeded");
    expect(comparison.module).toBe("example.com/slimstage/loadlocation");

    const byKey = Object.fromEntries(comparison.variants.map((v) => [v.key, v]));
    expect(Object.keys(byKey)).toEqual(["single", "scratch"]);
    const { single, scratch } = byKey;
    expect(single.status).toBe("built");
    expect(scratch.status).toBe("built");
    expect(single.sizeBytes).toBeGreaterThan(100e6);
    expect(scratch.sizeBytes).toBeLessThan(5e6);
    expect(scratch.sizeBytes).toBeGreaterThan(0.5e6);

    expect(single.layers.length).toBeGreaterThan(2);
    expect(single.layers.some((l) => l.fromBase)).toBe(true);
    expect(single.layers.some((l) => !l.fromBase && l.instruction.includes("go build"))).toBe(true);
    expect(scratch.layers).toHaveLength(1);
    expect(scratch.layers[0]).toMatchObject({ fromBase: false, instruction: expect.stringContaining("COPY") });
    // The layers add up to the image: nothing is counted twice or left out.
    for (const variant of [single, scratch]) {
      const sum = variant.layers.reduce((total, layer) => total + layer.sizeBytes, 0);
      expect(sum).toBe(variant.sizeBytes);
    }
    expect(scratch.buildLog).toContain("Successfully built");
  });

  it("reports a program that does not compile as a failed variant with the compiler's message", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "slimstage-broken-"));
    try {
      await writeFile(path.join(dir, "go.mod"), "module example.com/broken\n\ngo 1.21\n");
      await writeFile(path.join(dir, "main.go"), 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println(notDefined)\n}\n');
      const broken: SourceResolver = async () => ({ dir, commit: null, cleanup: async () => {} });
      const comparison = await compare("broken0001", "example:broken", broken);

      expect(comparison.status).toBe("succeeded"); // the comparison ran; its variants failed
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
});
