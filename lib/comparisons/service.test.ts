// The comparison service on each database the machine has: a submission becomes a
// queued row with its token's hash (never the token), the queue's caps hold, cancel acts
// on what is still queued and refuses what has finished, delete removes the rows and
// leaves the images' removal to the engine's worker.
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "@/lib/db";
import { createTestDb, dialects, type TestDb } from "@/lib/testing/test-db";
import { hashToken } from "./owners";
import { cancelComparison, createComparison, deleteComparison, type SubmitContext } from "./service";

const context = (overrides: Partial<SubmitContext> = {}): SubmitContext => ({
  clientKey: "client-a",
  caps: { perClient: 2, total: 3 },
  policy: { allowLocal: false, allowPrivateHosts: false },
  examplesDir: path.join(process.cwd(), "examples"),
  ...overrides,
});

describe.each(dialects())("the comparison service on %s", (dialect) => {
  let testDb: TestDb;
  let db: Db;

  beforeAll(async () => {
    testDb = await createTestDb({ dialect });
    db = testDb.db;
  }, 60_000);
  afterAll(async () => {
    await testDb?.dispose();
  });
  beforeEach(async () => {
    await db.comparison.deleteMany();
    await db.imageRemoval.deleteMany();
  });

  it("stores a submission as a queued row with the token's hash, and its settings", async () => {
    const created = await createComparison(db, { repo: "example:hello", variants: ["single", "scratch"], runArgs: ["--once"] }, context());
    expect(created).toMatchObject({ url: `/c/${created.id}`, status: "queued" });
    const row = await db.comparison.findUniqueOrThrow({ where: { id: created.id } });
    expect(row).toMatchObject({ status: "queued", repo: "example:hello", clientKey: "client-a", variantKeys: '["single","scratch"]', runArgs: '["--once"]' });
    expect(row.ownerTokenHash).toBe(hashToken(created.managementToken));
    expect(JSON.stringify(row)).not.toContain(created.managementToken);
  });

  it.each([
    ["an unknown example", { repo: "example:nope" }, "UNKNOWN_EXAMPLE"],
    ["a loopback host", { repo: "http://127.0.0.1/x.git" }, undefined],
    ["no repository", {}, undefined],
  ])("refuses %s and stores nothing", async (_name, body, code) => {
    const refused = await createComparison(db, body, context()).catch((error: unknown) => error as { code?: string });
    expect(refused).toBeInstanceOf(Error);
    if (code) expect((refused as { code?: string }).code).toBe(code);
    expect(await db.comparison.count()).toBe(0);
  });

  it("holds the caps: per client, then in total", async () => {
    await createComparison(db, { repo: "example:hello" }, context());
    await createComparison(db, { repo: "example:hello" }, context());
    await expect(createComparison(db, { repo: "example:hello" }, context())).rejects.toMatchObject({ code: "TOO_MANY_QUEUED" });
    await createComparison(db, { repo: "example:hello" }, context({ clientKey: "client-b" }));
    await expect(createComparison(db, { repo: "example:hello" }, context({ clientKey: "client-c" }))).rejects.toMatchObject({ code: "QUEUE_FULL" });
  });

  it("cancels a queued comparison at once, and refuses a finished one or an unknown id", async () => {
    const { id } = await createComparison(db, { repo: "example:hello" }, context());
    expect(await cancelComparison(db, id, 0)).toEqual({ id, status: "canceled" });
    expect((await db.comparison.findUniqueOrThrow({ where: { id } })).status).toBe("canceled");
    await expect(cancelComparison(db, id, 0)).rejects.toMatchObject({ code: "ALREADY_FINISHED" });
    await expect(cancelComparison(db, "nosuchidxx", 0)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("asks the worker to stop a running comparison", async () => {
    await db.comparison.create({ data: { id: "running001", repo: "example:hello", status: "running", workerId: "w1", leaseUntil: new Date(Date.now() + 60_000) } });
    expect(await cancelComparison(db, "running001", 0)).toEqual({ id: "running001", status: "running" });
    expect((await db.comparison.findUniqueOrThrow({ where: { id: "running001" } })).cancelRequested).toBe(true);
  });

  it("a succeeded comparison keeps its status; what a cancel stops is its advice: queued at once, running by a request", async () => {
    await db.comparison.create({ data: { id: "advqueued1", repo: "example:hello", status: "succeeded", adviceStatus: "queued" } });
    await db.comparison.create({ data: { id: "advrunning", repo: "example:hello", status: "succeeded", adviceStatus: "running" } });
    await db.comparison.create({ data: { id: "advdone001", repo: "example:hello", status: "succeeded", adviceStatus: "done" } });
    expect(await cancelComparison(db, "advqueued1", 0)).toEqual({ id: "advqueued1", status: "succeeded", adviceStatus: "canceled" });
    expect(await db.comparison.findUniqueOrThrow({ where: { id: "advqueued1" } })).toMatchObject({ status: "succeeded", adviceStatus: "canceled" });
    expect(await cancelComparison(db, "advrunning", 0)).toEqual({ id: "advrunning", status: "succeeded", adviceStatus: "running" });
    expect(await db.comparison.findUniqueOrThrow({ where: { id: "advrunning" } })).toMatchObject({ status: "succeeded", cancelRequested: true });
    await expect(cancelComparison(db, "advdone001", 0)).rejects.toMatchObject({ code: "ALREADY_FINISHED" });
    await expect(cancelComparison(db, "advqueued1", 0)).rejects.toMatchObject({ code: "ALREADY_FINISHED" });
  });

  it("deletes a finished comparison with its variants, and asks its engine's worker to remove the images", async () => {
    await db.comparison.create({
      data: {
        id: "finished01",
        repo: "example:hello",
        status: "succeeded",
        engineId: "engine-1",
        variants: { create: [{ key: "single", position: 0, dockerfile: "FROM x", imageId: "sha256:aaa" }, { key: "scratch", position: 1, dockerfile: "FROM y" }] },
      },
    });
    expect(await deleteComparison(db, "finished01")).toBe(true);
    expect(await db.comparison.count()).toBe(0);
    expect(await db.variant.count({ where: { comparisonId: "finished01" } })).toBe(0);
    expect(await db.imageRemoval.findMany({ select: { engineId: true, imageId: true } })).toEqual([{ engineId: "engine-1", imageId: "sha256:aaa" }]);
    expect(await deleteComparison(db, "finished01")).toBe(false);
  });

  it("refuses to delete a running comparison", async () => {
    await db.comparison.create({ data: { id: "running002", repo: "example:hello", status: "running" } });
    await expect(deleteComparison(db, "running002")).rejects.toMatchObject({ code: "STILL_RUNNING" });
    expect(await db.comparison.count()).toBe(1);
  });
});
