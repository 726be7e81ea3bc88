// The database queue with a real SQLite file and a fake run: claiming order,
// concurrency, recovery after a crash, waiting for the engine, cancellation.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "@/lib/testing/test-db";
import { createRunner, MAX_ATTEMPTS, TimeLimitError, type Runner } from "./runner";

let testDb: TestDb;
let runner: Runner | undefined;

beforeAll(async () => {
  testDb = await createTestDb();
});
afterAll(async () => {
  await testDb.dispose();
});
beforeEach(async () => {
  await testDb.db.comparison.deleteMany();
});
afterEach(async () => {
  runner?.stop();
});

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const seed = (ids: string[], status = "queued", attempts = 0) =>
  testDb.db.comparison.createMany({
    data: ids.map((id, i) => ({ id, repo: "example:hello", status, attempts, createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)) })),
  });

const statusOf = async (id: string) => (await testDb.db.comparison.findUniqueOrThrow({ where: { id } })).status;

describe("runner", () => {
  it("claims queued comparisons oldest first, one at a time", async () => {
    await seed(["a", "b", "c"]);
    const started: string[] = [];
    const gates = new Map<string, ReturnType<typeof deferred>>();
    runner = createRunner({
      db: testDb.db,
      concurrency: 1,
      pollMs: 60_000,
      run: async (id) => {
        started.push(id);
        const gate = deferred();
        gates.set(id, gate);
        await gate.promise;
        await testDb.db.comparison.update({ where: { id }, data: { status: "succeeded" } });
      },
    });
    await runner.start();
    await expect.poll(() => started).toEqual(["a"]);
    expect(await statusOf("b")).toBe("queued");
    gates.get("a")!.resolve();
    await expect.poll(() => started).toEqual(["a", "b"]);
    gates.get("b")!.resolve();
    await expect.poll(() => started).toEqual(["a", "b", "c"]);
    gates.get("c")!.resolve();
    await runner.idle();
    expect(await Promise.all(["a", "b", "c"].map(statusOf))).toEqual(["succeeded", "succeeded", "succeeded"]);
  });

  it("runs up to the configured concurrency", async () => {
    await seed(["a", "b", "c"]);
    const started: string[] = [];
    const gate = deferred();
    runner = createRunner({
      db: testDb.db,
      concurrency: 2,
      pollMs: 60_000,
      run: async (id) => {
        started.push(id);
        await gate.promise;
        await testDb.db.comparison.update({ where: { id }, data: { status: "succeeded" } });
      },
    });
    await runner.start();
    await expect.poll(() => started.length).toBe(2);
    gate.resolve();
    await runner.idle();
    expect(started.sort()).toEqual(["a", "b", "c"]);
  });

  it("queues interrupted comparisons again once, then fails them as INTERRUPTED", async () => {
    await seed(["fresh"], "running", 1);
    await seed(["again"], "running", MAX_ATTEMPTS);
    const started: string[] = [];
    runner = createRunner({
      db: testDb.db,
      concurrency: 1,
      pollMs: 60_000,
      run: async (id) => {
        started.push(id);
        await testDb.db.comparison.update({ where: { id }, data: { status: "succeeded" } });
      },
    });
    await runner.start();
    await runner.idle();
    expect(started).toEqual(["fresh"]);
    const again = await testDb.db.comparison.findUniqueOrThrow({ where: { id: "again" } });
    expect(again).toMatchObject({ status: "failed", errorCode: "INTERRUPTED" });
  });

  it("leaves submissions queued, saying why, while the engine is unavailable", async () => {
    await seed(["a"]);
    let reason: string | null = "no Docker Engine answers";
    const started: string[] = [];
    runner = createRunner({
      db: testDb.db,
      concurrency: 1,
      pollMs: 60_000,
      ready: async () => reason,
      run: async (id) => {
        started.push(id);
        await testDb.db.comparison.update({ where: { id }, data: { status: "succeeded" } });
      },
    });
    await runner.start();
    await expect
      .poll(async () => (await testDb.db.comparison.findUniqueOrThrow({ where: { id: "a" } })).phase)
      .toBe("waiting for the Docker Engine: no Docker Engine answers");
    expect(started).toEqual([]);
    reason = null;
    runner.wake();
    await runner.idle();
    expect(started).toEqual(["a"]);
  });

  it("aborts a running comparison on cancel", async () => {
    await seed(["a"]);
    let seen: AbortSignal | undefined;
    runner = createRunner({
      db: testDb.db,
      concurrency: 1,
      pollMs: 60_000,
      run: (id, signal) =>
        new Promise<void>((resolve) => {
          seen = signal;
          signal.addEventListener("abort", () =>
            void testDb.db.comparison.update({ where: { id }, data: { status: "canceled" } }).then(() => resolve()),
          );
        }),
    });
    await runner.start();
    await expect.poll(() => seen).toBeDefined();
    expect(runner.cancel("a")).toBe(true);
    expect(runner.cancel("unknown")).toBe(false);
    await runner.idle();
    expect(await statusOf("a")).toBe("canceled");
  });

  it("stops a comparison that runs past its time limit", async () => {
    await seed(["slow"]);
    let reason: unknown;
    runner = createRunner({
      db: testDb.db,
      concurrency: 1,
      pollMs: 60_000,
      timeLimitMs: 50,
      run: (id, signal) =>
        new Promise<void>((resolve) => {
          signal.addEventListener("abort", () => {
            reason = signal.reason;
            void testDb.db.comparison.update({ where: { id }, data: { status: "failed" } }).then(() => resolve());
          });
        }),
    });
    await runner.start();
    await runner.idle();
    expect(reason).toBeInstanceOf(TimeLimitError);
    expect(await statusOf("slow")).toBe("failed");
  });
});
