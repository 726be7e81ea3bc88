// The state writes whose SQL differs between the databases, on each dialect the machine
// has (lib/testing/test-db.ts): claiming (FOR UPDATE SKIP LOCKED on PostgreSQL, a
// conditional update on SQLite) with two clients racing as two workers would, lease
// renewal, taking over abandoned comparisons, cancel requests and the change counter.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createDb, type Db } from "@/lib/db";
import { MAX_ATTEMPTS } from "@/lib/jobs/queue";
import { cancelRequests, changeVariant, claimComparison, finishComparison, releaseAbandoned, renewLease, requestCancel } from "@/lib/jobs/state";
import { parseAnalysisSummary, summarizeAnalysis } from "@/lib/comparisons/analysis-schema";
import { createTestDb, dialects, type TestDb } from "@/lib/testing/test-db";

const MINUTE = 60_000;
const later = (ms = MINUTE) => new Date(Date.now() + ms);
const w1 = { workerId: "w1", engineId: "engine-1" };
const w2 = { workerId: "w2", engineId: "engine-2" };

describe.each(dialects())("job state on %s", (dialect) => {
  let testDb: TestDb;
  let db: Db;
  // Another worker, racing. On PostgreSQL a second client, as another process would
  // have. On SQLite the same one: better-sqlite3 waits for a lock synchronously, so two
  // clients of one file in one process stall each other for the whole busy timeout
  // (one process must share one client); its claims are serial writes either way.
  let other: Db;

  beforeAll(async () => {
    testDb = await createTestDb({ dialect });
    db = testDb.db;
    other = dialect === "postgresql" ? createDb(testDb.url) : db;
  }, 60_000);
  afterAll(async () => {
    if (other !== db) await other?.$disconnect();
    await testDb?.dispose();
  });
  beforeEach(async () => {
    await db.comparison.deleteMany();
  });

  const seed = (ids: string[], extra: { status?: string; attempts?: number; workerId?: string; leaseUntil?: Date | null } = {}) =>
    db.comparison.createMany({ data: ids.map((id, i) => ({ id, repo: "example:hello", createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)), ...extra })) });
  const rowOf = (id: string) => db.comparison.findUniqueOrThrow({ where: { id } });
  const version = async () => (await db.changeCounter.findUniqueOrThrow({ where: { id: 1 } })).version;
  const addVariants = (comparisonId: string) =>
    db.variant.createMany({
      data: [
        { comparisonId, key: "single", position: 0, dockerfile: "FROM x", status: "built" },
        { comparisonId, key: "scratch", position: 1, dockerfile: "FROM x", status: "building" },
        { comparisonId, key: "static", position: 2, dockerfile: "FROM x" },
      ],
    });

  describe("claimComparison", () => {
    it("claims the first candidate still queued, in the order given, with the holder and its lease", async () => {
      await seed(["a", "b", "c"]);
      await db.comparison.update({ where: { id: "b" }, data: { status: "canceled" } });
      const lease = later();
      const before = await version();
      expect(await claimComparison(db, dialect, ["b", "c", "a"], w1, lease)).toBe("c");
      expect(await version()).toBe(before + 1n);
      const c = await rowOf("c");
      expect(c).toMatchObject({ status: "running", workerId: "w1", engineId: "engine-1", attempts: 1 });
      expect(c.leaseUntil?.getTime()).toBe(lease.getTime());
      expect(c.startedAt).toBeInstanceOf(Date);
      expect(await claimComparison(db, dialect, ["b", "c", "a"], w2, lease)).toBe("a");
      expect(await claimComparison(db, dialect, ["b", "c", "a"], w2, lease)).toBeNull();
      expect(await claimComparison(db, dialect, [], w2, lease)).toBeNull();
      expect((await rowOf("a")).workerId).toBe("w2");
      expect((await rowOf("b")).status).toBe("canceled");
    });

    it("never lets two workers racing over the same candidates both win one", async () => {
      const ids = Array.from({ length: 8 }, (_, i) => `r${i}`);
      await seed(ids);
      const wins: Array<{ id: string; worker: string }> = [];
      for (let round = 0; round < ids.length; round++) {
        const [first, second] = await Promise.all([
          claimComparison(db, dialect, ids, w1, later()),
          claimComparison(other, dialect, ids, w2, later()),
        ]);
        if (first) wins.push({ id: first, worker: "w1" });
        if (second) wins.push({ id: second, worker: "w2" });
        expect(first === null || first !== second).toBe(true);
      }
      expect(wins.map((win) => win.id).sort()).toEqual([...ids].sort());
      const rows = await db.comparison.findMany({ where: { id: { in: ids } } });
      expect(rows).toHaveLength(ids.length);
      for (const row of rows) {
        expect(row.attempts).toBe(1);
        expect(row.workerId).toBe(wins.find((win) => win.id === row.id)?.worker);
      }
    });
  });

  describe("renewLease", () => {
    it("extends the holder's lease and refuses anyone else, or a finished comparison", async () => {
      await seed(["a"]);
      await claimComparison(db, dialect, ["a"], w1, later());
      const renewed = later(5 * MINUTE);
      expect(await renewLease(db, "a", "w1", renewed)).toBe(true);
      expect((await rowOf("a")).leaseUntil?.getTime()).toBe(renewed.getTime());
      expect(await renewLease(db, "a", "w2", later(10 * MINUTE))).toBe(false);
      expect((await rowOf("a")).leaseUntil?.getTime()).toBe(renewed.getTime());
      await finishComparison(db, "a", "w1", "succeeded");
      expect(await renewLease(db, "a", "w1", later())).toBe(false);
    });
  });

  describe("releaseAbandoned", () => {
    it("queues a comparison again when its lease ran out, and ends it INTERRUPTED the second time", async () => {
      await seed(["a"]);
      await addVariants("a");
      await claimComparison(db, dialect, ["a"], w1, new Date(Date.now() - 1000));
      expect(await releaseAbandoned(db, new Date(), MAX_ATTEMPTS)).toEqual(["a"]);
      expect(await rowOf("a")).toMatchObject({ status: "queued", workerId: null, leaseUntil: null, attempts: 1 });
      expect((await rowOf("a")).phase).toMatch(/queued again/);

      expect(await claimComparison(other, dialect, ["a"], w2, new Date(Date.now() - 1000))).toBe("a");
      expect((await rowOf("a")).attempts).toBe(MAX_ATTEMPTS);
      const before = await version();
      expect(await releaseAbandoned(db, new Date(), MAX_ATTEMPTS)).toEqual(["a"]);
      expect(await version()).toBeGreaterThan(before);
      const failed = await rowOf("a");
      expect(failed).toMatchObject({ status: "failed", errorCode: "INTERRUPTED", workerId: null, leaseUntil: null });
      expect(failed.finishedAt).toBeInstanceOf(Date);
      const variants = await db.variant.findMany({ where: { comparisonId: "a" }, orderBy: { position: "asc" } });
      expect(variants.map((v) => v.status)).toEqual(["built", "skipped", "skipped"]);
      expect(await releaseAbandoned(db, new Date(), MAX_ATTEMPTS)).toEqual([]);
    });

    it("leaves a renewed lease alone, but takes back what this worker held before a restart", async () => {
      await seed(["kept", "mine"]);
      await claimComparison(db, dialect, ["kept"], w2, new Date(Date.now() - 1000));
      await renewLease(other, "kept", "w2", later());
      await claimComparison(db, dialect, ["mine"], w1, later());
      expect(await releaseAbandoned(db, new Date(), MAX_ATTEMPTS)).toEqual([]);
      expect(await releaseAbandoned(db, new Date(), MAX_ATTEMPTS, "w1")).toEqual(["mine"]);
      expect(await rowOf("kept")).toMatchObject({ status: "running", workerId: "w2" });
      expect(await rowOf("mine")).toMatchObject({ status: "queued", workerId: null });
    });
  });

  describe("requestCancel", () => {
    it("ends a queued comparison at once and settles its variants", async () => {
      await seed(["q"]);
      await addVariants("q");
      const before = await version();
      expect(await requestCancel(db, "q")).toBe("canceled");
      expect(await version()).toBeGreaterThan(before);
      expect(await rowOf("q")).toMatchObject({ status: "canceled", errorCode: "CANCELED", cancelRequested: true });
      const variants = await db.variant.findMany({ where: { comparisonId: "q" }, orderBy: { position: "asc" } });
      expect(variants.map((v) => v.status)).toEqual(["built", "skipped", "skipped"]);
    });

    it("writes a request for its holder to a running one, and nothing to a finished one", async () => {
      await seed(["r", "done"]);
      await claimComparison(db, dialect, ["r"], w1, later());
      expect(await cancelRequests(db, ["r"])).toEqual([]);
      expect(await requestCancel(other, "r")).toBe("running");
      expect(await rowOf("r")).toMatchObject({ status: "running", cancelRequested: true });
      expect(await cancelRequests(db, ["r", "done"])).toEqual(["r"]);
      await db.comparison.update({ where: { id: "done" }, data: { status: "succeeded" } });
      expect(await requestCancel(db, "done")).toBeNull();
      expect(await requestCancel(db, "missing")).toBeNull();
      expect((await rowOf("done")).cancelRequested).toBe(false);
    });
  });

  describe("changeVariant built", () => {
    it("stores the analysis with its summary, the column the pages read", async () => {
      await seed(["a"]);
      await addVariants("a");
      const analysis = {
        tree: { name: "", path: "", bytes: 10, files: 1 },
        efficiency: { efficiency: 0.5, wastedBytes: 5, redundantBytes: 0, totalBytes: 10, inefficiencies: [], complete: true },
        buildOnly: { goToolchain: 0, moduleCache: 0, buildCache: 0, packageManager: 0, total: 0 },
        binary: null,
        analysisMs: 1,
      };
      await changeVariant(db, { comparisonId: "a", key: "scratch" }, { status: "built", sizeBytes: 10, compressedBytes: 5, layers: [], analysis });
      const row = await db.variant.findUniqueOrThrow({ where: { comparisonId_key: { comparisonId: "a", key: "scratch" } } });
      expect(JSON.parse(row.analysis!)).toEqual(analysis);
      expect(parseAnalysisSummary(row.analysisSummary)).toEqual(summarizeAnalysis(analysis));
      expect(parseAnalysisSummary(row.analysisSummary)).toMatchObject({ efficiency: 0.5, wastedBytes: 5, binary: null });
    });
  });

  describe("the change counter (database triggers)", () => {
    it("moves with every write the pages show, whoever makes it, and not for a rolled-back one", async () => {
      const start = await version();
      await db.comparison.create({ data: { id: "n", repo: "example:hello" } });
      const created = (await other.changeCounter.findUniqueOrThrow({ where: { id: 1 } })).version;
      expect(created).toBeGreaterThan(start);
      await db.comparison.update({ where: { id: "n" }, data: { phase: "only a phase" } });
      expect(await version()).toBe(created);
      await db.comparison.update({ where: { id: "n" }, data: { status: "canceled" } });
      const canceled = await version();
      expect(canceled).toBeGreaterThan(created);
      await expect(
        db.$transaction(async (tx) => {
          await tx.comparison.update({ where: { id: "n" }, data: { status: "failed" } });
          throw new Error("rolled back");
        }),
      ).rejects.toThrow("rolled back");
      expect(await version()).toBe(canceled);
    });
  });
});
