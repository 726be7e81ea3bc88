// The diff stored when a comparison finishes, on each dialect the machine has: stored from
// the compare page's own live read and read back equal to it, computed live again when
// its version is another or a side is no longer as it was, gone with either comparison,
// and written by the pipeline's end (here a comparison whose source cannot be read).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openReadDb, type Db, type ReadDb } from "@/lib/db";
import { databaseLayerFiles } from "@/lib/db/blob-stores";
import type { Engine } from "@/lib/engine/engine";
import { UserError } from "@/lib/errors";
import { storeDiffWithPrevious } from "@/lib/jobs/finish-diff";
import { runComparison } from "@/lib/jobs/pipeline";
import { compareComparisons, compareLive } from "@/lib/reads/compare-query";
import { encodeDiff, storedDiff, storedDiffHolds } from "@/lib/reads/stored-diff";
import { testBases } from "@/lib/testing/test-config";
import { createTestDb, dialects, type TestDb } from "@/lib/testing/test-db";
import { COMPARE_RESULT_VERSION } from "@/lib/views/compare-result";

const REPO = "https://github.com/o/app";
const at = (day: number) => new Date(Date.UTC(2026, 10, day));
const file = (path: string, size: number) => ({ path, size, type: "file" as const, mode: 0o755 });
const analysis = (std: number) => ({
  tree: {},
  binary: {
    goVersion: "go1.23.5", mainModule: { path: "example.com/app", version: "(devel)" }, fileBytes: 1_000, textBytes: 500, functionCount: 9,
    modules: [{ path: "std", version: "go1.23.5", group: "std", bytes: std, packages: 1 }],
    packages: [{ path: "fmt", group: "std", module: "std", version: "go1.23.5", bytes: std, functions: 1 }],
    omittedPackages: { count: 0, bytes: 0 },
  },
});

describe.each(dialects())("the stored diff on %s", (dialect) => {
  let testDb: TestDb;
  let db: Db;
  let read: ReadDb;

  beforeAll(async () => {
    testDb = await createTestDb({ dialect });
    db = testDb.db;
    read = openReadDb(testDb.url);
    const files = databaseLayerFiles(db);
    await files.putFiles("sha256:zone", { entries: [file("usr/share/zoneinfo/Berlin", 400)], truncated: false });
    await files.putFiles("sha256:app1", { entries: [file("app", 1_000_000)], truncated: false });
    await files.putFiles("sha256:app2", { entries: [file("app", 1_300_000), file("data.bin", 200)], truncated: false });
  }, 60_000);
  afterAll(async () => {
    await read?.close();
    await testDb?.dispose();
  });
  beforeEach(async () => {
    await db.comparison.deleteMany();
  });

  async function comparison(id: string, day: number, app: string | null, status = "succeeded") {
    await db.comparison.create({
      data: {
        id, repo: REPO, status, createdAt: at(day), finishedAt: status === "running" ? null : at(day + 1),
        variants: app
          ? { create: [{
              key: "scratch", position: 0, status: "built", dockerfile: "", sizeBytes: BigInt(day * 1_000), compressedBytes: BigInt(day * 500), runVerdict: "works",
              analysis: JSON.stringify(analysis(day * 10)),
              layers: { create: ["sha256:zone", app].map((digest, index) => ({ index, instruction: index ? "COPY /out/app /app" : "COPY zoneinfo", sizeBytes: BigInt(500 * (index + 1)), digest })) },
            }] }
          : undefined,
      },
    });
  }
  const rows = () => db.comparisonDiff.findMany({ select: { beforeId: true, afterId: true, version: true } });

  it("stores the live result for a comparison and the previous one, and reads it back the same", async () => {
    await comparison("c1", 1, "sha256:app1");
    await comparison("c2", 5, "sha256:app2");
    expect(await storeDiffWithPrevious(db, read, "c2")).toEqual({ stored: "c1" });
    expect(await rows()).toEqual([{ beforeId: "c1", afterId: "c2", version: COMPARE_RESULT_VERSION }]);
    const live = await compareLive(db, read, "c1", "c2");
    expect(live.variants[0].files?.added.map((c) => c.name)).toEqual(["/data.bin"]);
    expect(await storedDiff(read, "c1", "c2")).toStrictEqual(JSON.parse(JSON.stringify(live)));
    expect(await compareComparisons(db, read, "c1", "c2")).toEqual(live);
    // The first comparison of a program has nothing to be compared with.
    expect(await storeDiffWithPrevious(db, read, "c1")).toEqual({ none: "no earlier finished comparison of the same program" });
  });

  it("is not stored while a layer's file list is missing (it may be stored later)", async () => {
    await comparison("c1", 1, "sha256:app1");
    await comparison("c2", 5, "sha256:not-listed");
    expect(await storeDiffWithPrevious(db, read, "c2")).toEqual({ none: "scratch's file lists are not all stored yet" });
    expect(await rows()).toEqual([]);
  });

  it.each<[string, (db: Db) => Promise<unknown>]>([
    ["another version of the shape", (db) => db.comparisonDiff.updateMany({ data: { version: COMPARE_RESULT_VERSION + 1 } })],
    ["a side running again", (db) => db.comparison.update({ where: { id: "c1" }, data: { status: "running", finishedAt: null } })],
    ["a side ended again", (db) => db.comparison.update({ where: { id: "c2" }, data: { finishedAt: at(20) } })],
  ])("is computed live again after %s", async (_name, change) => {
    await comparison("c1", 1, "sha256:app1");
    await comparison("c2", 5, "sha256:app2");
    await storeDiffWithPrevious(db, read, "c2");
    // A stored result that differs from the live one shows which of the two was served.
    const marked = await compareLive(db, read, "c1", "c2");
    marked.variants[0].key = "marked";
    await db.comparisonDiff.update({ where: { beforeId_afterId: { beforeId: "c1", afterId: "c2" } }, data: { result: encodeDiff(marked) } });
    expect((await compareComparisons(db, read, "c1", "c2")).variants[0].key).toBe("marked");
    await change(db);
    expect(await storedDiff(read, "c1", "c2")).toBeNull();
    expect((await compareComparisons(db, read, "c1", "c2")).variants[0].key).toBe("scratch");
  });

  it.each([["c1"], ["c2"]])("goes when comparison %s is deleted", async (id) => {
    await comparison("c1", 1, "sha256:app1");
    await comparison("c2", 5, "sha256:app2");
    await storeDiffWithPrevious(db, read, "c2");
    await db.comparison.delete({ where: { id } });
    expect(await rows()).toEqual([]);
  });

  it("is stored when the pipeline ends a comparison", async () => {
    await comparison("c1", 1, "sha256:app1");
    await comparison("c2", 5, null, "running");
    const engine = { version: async () => ({ version: "test", apiVersion: "1.47" }) } as Pick<Engine, "version">;
    const resolveSource = async () => {
      throw new UserError("NO_GO_MOD", "The source has no go.mod at its root.");
    };
    await runComparison("c2", { db, engine: engine as Engine, bases: testBases(), resolveSource, read: () => read });
    expect((await db.comparison.findUniqueOrThrow({ where: { id: "c2" } })).status).toBe("failed");
    expect(await rows()).toEqual([{ beforeId: "c1", afterId: "c2", version: COMPARE_RESULT_VERSION }]);
    expect(await storedDiff(read, "c1", "c2")).toStrictEqual(JSON.parse(JSON.stringify(await compareLive(db, read, "c1", "c2"))));
  });
});

describe("storedDiffHolds", () => {
  const result = { before: { status: "succeeded", finishedAt: "2026-11-02T00:00:00.000Z" }, after: { status: "failed", finishedAt: "2026-11-06T00:00:00.000Z" } } as const;
  const state = (change: object = {}) => ({ version: COMPARE_RESULT_VERSION, before: { ...result.before }, after: { ...result.after }, ...change });
  it.each<[string, ReturnType<typeof state>, boolean]>([
    ["both as they ended", state(), true],
    ["another version", state({ version: COMPARE_RESULT_VERSION - 1 }), false],
    ["a side running", state({ after: { status: "running", finishedAt: null } }), false],
    ["a side with another status", state({ before: { status: "failed", finishedAt: result.before.finishedAt } }), false],
    ["a side ended at another time", state({ after: { status: "failed", finishedAt: "2026-11-07T00:00:00.000Z" } }), false],
  ])("%s: %s", (_name, now, holds) => {
    expect(storedDiffHolds(now, result)).toBe(holds);
  });
});
