// The response cache's two checks, on the read connection, on each dialect the machine
// has: the change counter stays put while nobody writes and moves with every committed
// write that bumps it (made through Prisma, another connection); a comparison's state
// comes back in the shape the rules read (ISO finishedAt in UTC, as Prisma wrote it).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openReadDb, type Db, type ReadDb } from "@/lib/db";
import { finishComparison } from "@/lib/jobs/state";
import { databaseChecks, type DatabaseChecks } from "@/lib/response-cache/database-checks";
import { comparisonSettled, comparisonStillFinished } from "@/lib/response-cache/rules";
import { createTestDb, dialects, type TestDb } from "@/lib/testing/test-db";

describe.each(dialects())("database checks on %s", (dialect) => {
  let testDb: TestDb;
  let db: Db;
  let reader: ReadDb;
  let checks: DatabaseChecks;

  beforeAll(async () => {
    testDb = await createTestDb({ dialect });
    db = testDb.db;
    reader = openReadDb(testDb.url);
    checks = databaseChecks(reader);
  }, 60_000);
  afterAll(async () => {
    await reader?.close();
    await testDb?.dispose();
  });

  it("reads the counter's version, which stays put while nobody writes, reads included", async () => {
    const before = await checks.changeVersion();
    expect(before).toBe(Number((await db.changeCounter.findUniqueOrThrow({ where: { id: 1 } })).version));
    await db.comparison.count();
    await reader.first(`SELECT count(*) FROM "Comparison"`);
    expect(await checks.changeVersion()).toBe(before);
  });

  it("moves with every committed write the pages show, and not for one rolled back", async () => {
    const before = await checks.changeVersion();
    await db.comparison.create({ data: { id: "new", repo: "example:hello" } });
    const after = await checks.changeVersion();
    expect(after).toBeGreaterThan(before);
    await finishComparison(db, "new", null, "succeeded");
    const finished = await checks.changeVersion();
    expect(finished).toBeGreaterThan(after);
    await expect(
      db.$transaction(async (tx) => {
        await tx.comparison.create({ data: { id: "gone", repo: "example:hello" } });
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect(await checks.changeVersion()).toBe(finished);
  });

  it("reads a comparison's status and finish time as the rules expect them", async () => {
    const finishedAt = new Date("2026-11-30T12:34:56.789Z");
    await db.comparison.create({ data: { id: "done", repo: "example:hello", status: "succeeded", finishedAt } });
    await db.comparison.create({ data: { id: "busy", repo: "example:hello", status: "running" } });
    const done = await checks.comparisonState("done");
    // SQLite's text ends in +00:00, PostgreSQL's (formatted) in Z: the same instant.
    expect(done?.status).toBe("succeeded");
    expect(done?.finishedAt).toMatch(/^2026-11-30T12:34:56\.789(Z|\+00:00)$/);
    expect(Date.parse(done!.finishedAt!)).toBe(finishedAt.getTime());
    expect(comparisonSettled(done, finishedAt.getTime() + 60_000)).toBe(true);
    expect(await checks.comparisonState("busy")).toEqual({ status: "running", finishedAt: null });
    expect(comparisonStillFinished(await checks.comparisonState("busy"))).toBe(false);
    await db.comparison.delete({ where: { id: "done" } });
    expect(await checks.comparisonState("done")).toBeUndefined();
    expect(comparisonStillFinished(await checks.comparisonState("done"))).toBe(false);
  });

  it("is read-only", async () => {
    await expect(reader.first(`UPDATE "ChangeCounter" SET "version" = "version" + 1 WHERE "id" = 1 RETURNING "version"`)).rejects.toThrow(/read-?only/i);
  });

  it("refuses to answer when the counter's row is missing, so the cache is not trusted", async () => {
    const { version } = await db.changeCounter.delete({ where: { id: 1 } });
    try {
      await expect(checks.changeVersion()).rejects.toThrow(/ChangeCounter row is missing/);
    } finally {
      await db.changeCounter.create({ data: { id: 1, version } });
    }
  });
});
