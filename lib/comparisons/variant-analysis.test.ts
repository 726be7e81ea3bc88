// A variant's stored analysis read back: made by the real analysis (lib/measure) from
// layer listings and a real Go binary (lib/binary/fixtures/greetapp.stripped: the main
// module and example.com/greet v1.2.3), stored in a real SQLite file, then read whole
// (zod-checked) for its endpoint and as the few figures the comparison's JSON carries.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAnalysisSummary, parseVariantAnalysis, summarizeAnalysis } from "@/lib/comparisons/analysis-schema";
import { backfillAnalysisSummaries } from "@/lib/jobs/state";
import { getComparison, getVariantAnalysis } from "@/lib/reads/queries";
import { analyzeImage } from "@/lib/measure/image-analysis";
import type { LayerEntry } from "@/lib/measure/layer-files";
import { createTestDb, type TestDb } from "@/lib/testing/test-db";

const greetapp = readFileSync(path.join(process.cwd(), "lib", "binary", "fixtures", "greetapp.stripped"));
const file = (p: string, size: number, mode = 0o644): LayerEntry => ({ path: p, size, type: "file", mode });
const dir = (p: string): LayerEntry => ({ path: p, size: 0, type: "dir", mode: 0o755 });

const analysis = analyzeImage([
  { files: { entries: [dir("usr"), dir("usr/lib"), file("usr/lib/go-1.23/bin/go", 9_000_000), file("var/lib/dpkg/status", 300_000)], truncated: false }, captured: null, fromBase: true },
  { files: { entries: [file("tmp/big", 5_000_000), file("app", greetapp.length, 0o755)], truncated: false }, captured: [{ path: "app", bytes: greetapp }], fromBase: false },
  { files: { entries: [{ path: "tmp/big", size: 0, type: "file", mode: 0, whiteout: "file" }], truncated: false }, captured: null, fromBase: false },
]);
const stored = JSON.stringify(analysis);

describe("parseVariantAnalysis", () => {
  it("reads back what the analysis stored", () => {
    expect(parseVariantAnalysis(stored)).toEqual(analysis);
  });

  it.each<[string, string | null]>([
    ["no column", null],
    ["an empty one", ""],
    ["text that is not JSON", "{tree:"],
    ["another shape", JSON.stringify({ files: [] })],
    ["a negative size in the tree", JSON.stringify({ ...analysis, tree: { ...analysis.tree, bytes: -1 } })],
    ["an unknown package group", JSON.stringify({ ...analysis, binary: { ...analysis.binary, modules: [{ path: "x", version: "", group: "vendor", bytes: 1, packages: 1 }] } })],
  ])("answers null for %s", (_, text) => {
    expect(parseVariantAnalysis(text)).toBeNull();
  });
});

describe("summarizeAnalysis", () => {
  it("keeps the figures the page shows, and the binary's three largest modules", () => {
    const summary = summarizeAnalysis(stored);
    expect(summary).not.toBeNull();
    expect(summary!.wastedBytes).toBe(5_000_000);
    expect(summary!.efficiency).toBeCloseTo(analysis.efficiency.efficiency, 10);
    expect(summary!.buildOnly).toEqual({ goToolchain: 9_000_000, moduleCache: 0, buildCache: 0, packageManager: 300_000, total: 9_300_000 });
    const binary = summary!.binary!;
    expect(binary.path).toBe("/app");
    expect(binary.goVersion).toMatch(/^go1\.23/);
    expect(binary.moduleCount).toBe(3);
    expect(binary.topModules.map((m) => m.path).sort()).toEqual(["example.com/greet", "example.com/slimstage/greetapp", "std"]);
    expect(binary.topModules[0]).toMatchObject({ path: "std", version: binary.goVersion });
    expect(binary.topModules.find((m) => m.path === "example.com/greet")?.version).toBe("v1.2.3");
    const sizes = binary.topModules.map((m) => m.bytes);
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
  });

  it("has no tree in it, whatever the tree's size", () => {
    expect(JSON.stringify(summarizeAnalysis(stored))).not.toContain("go-1.23");
  });

  it("answers null for what parseVariantAnalysis refuses to read", () => {
    expect(summarizeAnalysis(null)).toBeNull();
    expect(summarizeAnalysis("[]")).toBeNull();
  });

  it("reads the same from the analysis value as from its stored JSON", () => {
    expect(summarizeAnalysis(analysis)).toEqual(summarizeAnalysis(stored));
  });
});

describe("parseAnalysisSummary", () => {
  it("reads back a stored summary", () => {
    const summary = summarizeAnalysis(stored);
    expect(parseAnalysisSummary(JSON.stringify(summary))).toEqual(summary);
  });

  it.each<[string, string | null]>([
    ["no column", null],
    ["text that is not JSON", "{eff"],
    ["the analysis itself", stored],
    ["a percentage instead of a fraction", JSON.stringify({ ...summarizeAnalysis(stored), efficiency: 97 })],
  ])("answers null for %s", (_, text) => {
    expect(parseAnalysisSummary(text)).toBeNull();
  });
});

describe("getVariantAnalysis", () => {
  let testDb: TestDb;
  beforeAll(async () => {
    testDb = await createTestDb();
    await testDb.db.comparison.create({
      data: {
        id: "analysis01",
        repo: "example:greetapp",
        status: "succeeded",
        variants: {
          create: [
            // Stored before summaries were kept: the backfill writes its summary.
            { key: "scratch", position: 0, status: "built", dockerfile: "", sizeBytes: BigInt(2e6), analysis: stored },
            { key: "single", position: 1, status: "built", dockerfile: "", sizeBytes: BigInt(7e8) },
          ],
        },
      },
    });
  }, 60_000);
  afterAll(async () => {
    await testDb?.dispose();
  });

  it("answers the stored analysis, and why there is none", async () => {
    const found = await getVariantAnalysis(testDb.db, "analysis01", "scratch");
    expect(found).toEqual({ found: "analysis", analysis });
    expect(await getVariantAnalysis(testDb.db, "analysis01", "single")).toEqual({ found: "no-analysis" });
    expect(await getVariantAnalysis(testDb.db, "analysis01", "alpine")).toEqual({ found: "no-variant" });
    expect(await getVariantAnalysis(testDb.db, "nosuchone1", "scratch")).toEqual({ found: "no-comparison" });
  });

  it("puts the summary, not the tree, in the comparison's view, once the backfill wrote it", async () => {
    expect((await getComparison(testDb.db, "analysis01"))!.variants[0].analysisSummary).toBeNull();
    expect(await backfillAnalysisSummaries(testDb.db, 1)).toBe(1);
    expect(await backfillAnalysisSummaries(testDb.db, 1)).toBe(0);
    const view = await getComparison(testDb.db, "analysis01");
    const [scratch, single] = view!.variants;
    expect(scratch.analysisSummary?.binary?.moduleCount).toBe(3);
    expect(single.analysisSummary).toBeNull();
    expect(JSON.stringify(view)).not.toContain("go-1.23");
  });

  it("reads an analysis it cannot summarize once, and answers no summary for it", async () => {
    await testDb.db.variant.create({ data: { comparisonId: "analysis01", key: "distroless", position: 2, status: "built", dockerfile: "", analysis: "{not json" } });
    expect(await backfillAnalysisSummaries(testDb.db)).toBe(1);
    expect(await backfillAnalysisSummaries(testDb.db)).toBe(0);
    const view = await getComparison(testDb.db, "analysis01");
    expect(view!.variants.find((v) => v.key === "distroless")?.analysisSummary).toBeNull();
  });
});
