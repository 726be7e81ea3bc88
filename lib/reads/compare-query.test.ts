// The compare and budget reads on a real SQLite database: the previous comparison of the
// same program (spellings, folders, failures skipped), files from BlobFiles merged with
// whiteouts, binaries from the stored analyses, and the refusals.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseLayerFiles } from "@/lib/db/blob-stores";
import type { LayerEntry } from "@/lib/measure/layer-files";
import { openReadDb, type ReadDb } from "@/lib/db";
import { createTestDb, type TestDb } from "@/lib/testing/test-db";
import { checkBudget } from "@/lib/reads/budget-query";
import { compareComparisons } from "@/lib/reads/compare-query";
import { previousComparisonId } from "@/lib/reads/previous-query";

let testDb: TestDb;
let read: ReadDb;
const REPO = "https://github.com/o/app";
const at = (day: number) => new Date(Date.UTC(2026, 10, day));
const f = (path: string, size: number): LayerEntry => ({ path, size, type: "file", mode: 0o755 });
const binary = (modules: Array<[string, string, number]>) => ({
  tree: {},
  binary: {
    goVersion: "go1.23.5", mainModule: { path: "example.com/app", version: "(devel)" }, fileBytes: 1_000, textBytes: 500, functionCount: 9,
    modules: modules.map(([path, version, bytes]) => ({ path, version, group: path === "std" ? "std" : "dependency", bytes, packages: 1 })),
    packages: modules.map(([path, version, bytes]) => ({ path, group: path === "std" ? "std" : "dependency", module: path, version, bytes, functions: 1 })),
    omittedPackages: { count: 0, bytes: 0 },
  },
});

async function comparison(id: string, day: number, fields: { repo?: string; status?: string; subdir?: string; scratch?: { size: number; digests: Array<string | null>; analysis?: object } }) {
  const scratch = fields.scratch;
  await testDb.db.comparison.create({
    data: {
      id, repo: fields.repo ?? REPO, status: fields.status ?? "succeeded", subdir: fields.subdir ?? null, createdAt: at(day),
      variants: scratch
        ? { create: [{
            key: "scratch", position: 0, status: "built", dockerfile: "", sizeBytes: BigInt(scratch.size), compressedBytes: BigInt(Math.ceil(scratch.size / 2)), runVerdict: "works",
            analysis: scratch.analysis ? JSON.stringify(scratch.analysis) : null,
            layers: { create: scratch.digests.map((digest, index) => ({ index, instruction: index === 0 ? "COPY zoneinfo" : "COPY /out/app /app", sizeBytes: BigInt(index === 0 ? Math.min(400, scratch.size) : scratch.size - 400), digest })) },
          }] }
        : undefined,
    },
  });
}

beforeAll(async () => {
  testDb = await createTestDb();
  read = openReadDb(testDb.url);
  const files = databaseLayerFiles(testDb.db);
  await files.putFiles("sha256:zone", { entries: [f("usr/share/zoneinfo/Berlin", 400)], truncated: false });
  await files.putFiles("sha256:app1", { entries: [f("app", 1_000_000), f("tmp/old", 5)], truncated: false });
  await files.putFiles("sha256:app2", { entries: [f("app", 1_300_000), f("data.bin", 200_000), f("tmp/new", 5)], truncated: false });
  await files.putFiles("sha256:cleanup", { entries: [{ path: "usr/share/zoneinfo/Berlin", size: 0, type: "file", mode: 0, whiteout: "file" }], truncated: false });
  await comparison("old0", 1, { scratch: { size: 900_400, digests: ["sha256:zone", null] } });
  await comparison("c1", 2, { scratch: { size: 1_000_400, digests: ["sha256:zone", "sha256:app1"], analysis: binary([["std", "go1.23.5", 500]]) } });
  await comparison("f1", 3, { status: "failed" });
  await comparison("m1", 4, { subdir: "cmd/other", scratch: { size: 5, digests: [] } });
  await comparison("c2", 5, { repo: `${REPO}.git`, scratch: { size: 1_500_400, digests: ["sha256:zone", "sha256:app2", "sha256:cleanup"], analysis: binary([["std", "go1.23.5", 520], ["example.com/greet", "v1.2.3", 90]]) } });
  await comparison("r1", 6, { status: "running" });
  await comparison("x1", 7, { repo: "https://github.com/other/app", scratch: { size: 5, digests: [] } });
}, 60_000);
afterAll(async () => {
  await read?.close();
  await testDb?.dispose();
});

const key = (id: string, createdAt: Date, subdir: string | null = null) => ({ id, repo: REPO, subdir, mainPackage: null, createdAt: createdAt.toISOString() });

describe("previousComparisonId", () => {
  it.each<[string, ReturnType<typeof key>, string | null]>([
    ["the newest earlier finished one, whatever its spelling, skipping a failed one and another folder", key("r1", at(6)), "c2"],
    ["from c2: c1", key("c2", at(5)), "c1"],
    ["another folder has its own history", key("m2", at(9), "./cmd/other/"), "m1"],
    ["the first comparison has none", key("old0", at(1)), null],
  ])("%s", async (_name, of, expected) => {
    expect(await previousComparisonId(read, of)).toBe(expected);
  });
});

describe("compareComparisons", () => {
  it("files from the stored lists (a whiteout removes one), sizes, and the binary's new module", async () => {
    const result = await compareComparisons(testDb.db, read, "c1", "c2");
    const scratch = result.variants.find((v) => v.key === "scratch");
    expect(scratch?.sizes.disk).toMatchObject({ before: 1_000_400, after: 1_500_400, deltaBytes: 500_000, deltaPercent: 50 });
    expect(scratch?.files?.added.map((c) => [c.name, c.deltaBytes])).toEqual([["/data.bin", 200_000], ["/tmp/new", 5]]);
    expect(scratch?.files?.grown.map((c) => [c.name, c.deltaBytes])).toEqual([["/app", 300_000]]);
    expect(scratch?.files?.removed.map((c) => c.name)).toEqual(["/usr/share/zoneinfo/Berlin", "/tmp/old"]);
    expect(scratch?.layers?.counts).toMatchObject({ added: 1, grown: 1, unchanged: 1 });
    expect(scratch?.binary?.modules.added.map((c) => [c.name, c.after?.version])).toEqual([["example.com/greet", "v1.2.3"]]);
    expect(scratch?.binary?.modules.grown.map((c) => c.name)).toEqual(["std"]);
  });

  it("a comparison made before files and binaries were recorded says so", async () => {
    const [scratch] = (await compareComparisons(testDb.db, read, "old0", "c2")).variants;
    expect(scratch.files).toBeNull();
    expect(scratch.unavailable.files).toMatch(/Some layers of scratch in old0 have no file list/);
    expect(scratch.unavailable.binary).toMatch(/old0 was made before Go binaries were analysed/);
    expect(scratch.sizes.disk.deltaBytes).toBe(600_000);
  });

  it.each<[string, string, string, string]>([
    ["an unknown id", "c1", "nope", "NOT_FOUND"],
    ["another repository", "c1", "x1", "DIFFERENT_REPOSITORIES"],
  ])("refuses %s", async (_name, a, b, code) => {
    await expect(compareComparisons(testDb.db, read, a, b)).rejects.toMatchObject({ code });
  });
});

describe("checkBudget", () => {
  it("judges growth against the previous comparison of the same program", async () => {
    const answer = await checkBudget(testDb.db, read, "c2", { size: "disk", maxGrowthPercent: 10 });
    expect(answer).toMatchObject({ ok: false, variant: "scratch", sizeBytes: 1_500_400, limitBytes: 1_100_440, previous: { id: "c1", sizeBytes: 1_000_400 } });
    expect((await checkBudget(testDb.db, read, "c2", { size: "disk", maxGrowthPercent: 50 })).ok).toBe(true);
  });

  it.each<[string, string]>([["r1", "NOT_FINISHED"], ["f1", "COMPARISON_FAILED"], ["nope", "NOT_FOUND"]])("refuses %s with %s", async (id, code) => {
    await expect(checkBudget(testDb.db, read, id, { size: "disk", maxBytes: 1 })).rejects.toMatchObject({ code });
  });
});
