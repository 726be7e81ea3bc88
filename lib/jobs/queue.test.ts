// The leased queue on SQLite and PostgreSQL with fake runs: claiming order, concurrency,
// fair turns, two workers over one database, a dead worker's lease taken over, cancel
// requests written to the row, what runs after a comparison in its slot, waiting for the
// engine, the time limit.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestDb, dialects, type TestDb } from "@/lib/testing/test-db";
import { CancelledError, createQueue, fairOrder, LeaseLostError, MAX_ATTEMPTS, TimeLimitError, type Queue, type QueueOptions } from "@/lib/jobs/queue";
import { finishComparison, requestCancel } from "@/lib/jobs/state";

let testDb: TestDb;
let queues: Queue[] = [];

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const seed = (ids: string[], extra: { status?: string; attempts?: number; clientKey?: string; workerId?: string; leaseUntil?: Date } = {}) =>
  testDb.db.comparison.createMany({
    data: ids.map((id, i) => ({ id, repo: "example:hello", createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)), ...extra })),
  });

const rowOf = (id: string) => testDb.db.comparison.findUniqueOrThrow({ where: { id } });
const statusOf = async (id: string) => (await rowOf(id)).status;

function queue(options: Partial<QueueOptions> & { worker?: string }): Queue {
  const worker = options.worker ?? "w1";
  const q = createQueue({
    db: testDb.db,
    dialect: testDb.dialect,
    holder: { workerId: worker, engineId: `engine-${worker}` },
    concurrency: 1,
    leaseMs: 60_000,
    pollMs: 50,
    run: async (id) => void (await finishComparison(testDb.db, id, worker, "succeeded")),
    ...options,
  });
  queues.push(q);
  return q;
}

describe.each(dialects())("queue on %s", (dialect) => {
  beforeAll(async () => {
    testDb = await createTestDb({ dialect });
  });
  afterAll(async () => {
    await testDb.dispose();
  });
  beforeEach(async () => {
    await testDb.db.comparison.deleteMany();
  });
  afterEach(async () => {
    queues.forEach((queue) => queue.stop());
    queues = [];
  });

  it("claims queued comparisons oldest first, one at a time, with a lease", async () => {
    await seed(["a", "b", "c"]);
    const started: string[] = [];
    const gates = new Map<string, ReturnType<typeof deferred>>();
    const q = queue({
      run: async (id) => {
        started.push(id);
        const gate = deferred();
        gates.set(id, gate);
        await gate.promise;
        await finishComparison(testDb.db, id, "w1", "succeeded");
      },
    });
    await q.start();
    await expect.poll(() => started).toEqual(["a"]);
    const a = await rowOf("a");
    expect(a).toMatchObject({ status: "running", workerId: "w1", engineId: "engine-w1", attempts: 1 });
    expect(a.leaseUntil!.getTime()).toBeGreaterThan(Date.now());
    expect(await statusOf("b")).toBe("queued");
    gates.get("a")!.resolve();
    await expect.poll(() => started).toEqual(["a", "b"]);
    gates.get("b")!.resolve();
    await expect.poll(() => started).toEqual(["a", "b", "c"]);
    gates.get("c")!.resolve();
    await q.idle();
    expect(await Promise.all(["a", "b", "c"].map(statusOf))).toEqual(["succeeded", "succeeded", "succeeded"]);
  });

  it("runs up to the configured concurrency", async () => {
    await seed(["a", "b", "c"]);
    const started: string[] = [];
    const gate = deferred();
    const q = queue({
      concurrency: 2,
      run: async (id) => {
        started.push(id);
        await gate.promise;
        await finishComparison(testDb.db, id, "w1", "succeeded");
      },
    });
    await q.start();
    await expect.poll(() => started.length).toBe(2);
    expect(started.sort()).toEqual(["a", "b"]);
    gate.resolve();
    await q.idle();
    expect(started.sort()).toEqual(["a", "b", "c"]);
  });

  it("never gives one comparison to two workers", async () => {
    await seed(Array.from({ length: 12 }, (_, i) => `c${String(i).padStart(2, "0")}`));
    const runs: Array<[string, string]> = [];
    for (const worker of ["w1", "w2", "w3"]) {
      queue({
        worker,
        concurrency: 2,
        run: async (id) => {
          runs.push([worker, id]);
          await new Promise((resolve) => setTimeout(resolve, 20));
          await finishComparison(testDb.db, id, worker, "succeeded");
        },
      });
    }
    await Promise.all(queues.map((q) => q.start()));
    await Promise.all(queues.map((q) => q.idle()));
    const ids = runs.map(([, id]) => id);
    expect(ids).toHaveLength(12);
    expect(new Set(ids).size).toBe(12);
    expect(new Set(runs.map(([worker]) => worker)).size).toBeGreaterThan(1);
  });

  it("takes over a comparison whose worker stopped renewing its lease, and ends it INTERRUPTED after the second time", async () => {
    const expired = new Date(Date.now() - 1000);
    await seed(["dead"], { status: "running", attempts: 1, workerId: "gone", leaseUntil: expired });
    await seed(["dead-twice"], { status: "running", attempts: MAX_ATTEMPTS, workerId: "gone", leaseUntil: expired });
    await seed(["alive"], { status: "running", attempts: 1, workerId: "other", leaseUntil: new Date(Date.now() + 60_000) });
    const started: string[] = [];
    const q = queue({
      run: async (id) => {
        started.push(id);
        await finishComparison(testDb.db, id, "w1", "succeeded");
      },
    });
    await q.start();
    await expect.poll(() => started).toEqual(["dead"]);
    await expect.poll(() => statusOf("dead")).toBe("succeeded");
    expect(await rowOf("dead")).toMatchObject({ attempts: 2 });
    expect(await rowOf("dead-twice")).toMatchObject({ status: "failed", errorCode: "INTERRUPTED" });
    // A comparison a live worker holds is never touched.
    expect(await rowOf("alive")).toMatchObject({ status: "running", workerId: "other" });
  });

  it("renews the lease while it runs, and stops a run whose lease another worker took", async () => {
    await seed(["a"]);
    let seen: AbortSignal | undefined;
    const q = queue({
      leaseMs: 600,
      run: (_id, signal) =>
        new Promise<void>((resolve) => {
          seen = signal;
          signal.addEventListener("abort", () => resolve());
        }),
    });
    await q.start();
    await expect.poll(() => seen).toBeDefined();
    const first = (await rowOf("a")).leaseUntil!.getTime();
    await expect.poll(async () => (await rowOf("a")).leaseUntil!.getTime(), { timeout: 3000 }).toBeGreaterThan(first);
    await testDb.db.comparison.update({ where: { id: "a" }, data: { workerId: "thief" } });
    await expect.poll(() => seen!.aborted, { timeout: 3000 }).toBe(true);
    expect(seen!.reason).toBeInstanceOf(LeaseLostError);
  });

  it("releases at once what this worker held before a restart", async () => {
    await seed(["mine"], { status: "running", attempts: 1, workerId: "w1", leaseUntil: new Date(Date.now() + 60_000) });
    const started: string[] = [];
    const q = queue({
      previousSelf: "w1",
      run: async (id) => {
        started.push(id);
        await finishComparison(testDb.db, id, "w1", "succeeded");
      },
    });
    await q.start();
    await q.idle();
    expect(started).toEqual(["mine"]);
  });

  it("stops a running comparison when a cancel is written to its row", async () => {
    await seed(["a"]);
    let seen: AbortSignal | undefined;
    const q = queue({
      run: (id, signal) =>
        new Promise<void>((resolve) => {
          seen = signal;
          signal.addEventListener("abort", () => void finishComparison(testDb.db, id, "w1", "canceled").then(() => resolve()));
        }),
    });
    await q.start();
    await expect.poll(() => seen).toBeDefined();
    expect(await requestCancel(testDb.db, "a")).toBe("running");
    await q.idle();
    expect(seen!.reason).toBeInstanceOf(CancelledError);
    expect(await statusOf("a")).toBe("canceled");
  });

  it("runs `after` in the same slot once the comparison has ended, unleased; a cancel request or a deleted row stops it, then the slot is free", async () => {
    await seed(["a", "b", "c"]);
    const seen = new Map<string, AbortSignal>();
    const q = queue({
      leaseMs: 300, // renewed every 250 ms while it runs: `after` outlives several renewals
      after: (id, signal) =>
        new Promise<void>((resolve) => {
          seen.set(id, signal);
          signal.addEventListener("abort", () => resolve());
        }),
    });
    await q.start();
    await expect.poll(() => seen.has("a")).toBe(true);
    expect(await statusOf("a")).toBe("succeeded");
    expect(q.running()).toEqual(["a"]);
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(seen.get("a")!.aborted).toBe(false); // no lease to lose once the comparison has ended
    expect(await statusOf("b")).toBe("queued"); // the slot is still taken
    await testDb.db.comparison.update({ where: { id: "a" }, data: { cancelRequested: true } });
    await expect.poll(() => seen.has("b")).toBe(true);
    expect(seen.get("a")!.reason).toBeInstanceOf(CancelledError);
    expect(await statusOf("a")).toBe("succeeded");
    await testDb.db.comparison.delete({ where: { id: "b" } });
    await expect.poll(() => seen.has("c")).toBe(true);
    expect(seen.get("b")!.reason).toBeInstanceOf(CancelledError);
    expect(q.running()).toEqual(["c"]);
  });

  it("after a hand-back, `after` does not run", async () => {
    await seed(["a"]);
    let afterRan = false;
    const q = queue({
      run: (_id, signal) => new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve())),
      after: async () => void (afterRan = true),
    });
    await q.start();
    await expect.poll(() => q.running()).toEqual(["a"]);
    expect(await q.handBack()).toEqual(["a"]);
    expect(afterRan).toBe(false);
    expect(await statusOf("a")).toBe("queued");
  });

  it("cancels a queued comparison at once", async () => {
    await seed(["a"]);
    expect(await requestCancel(testDb.db, "a")).toBe("canceled");
    expect(await rowOf("a")).toMatchObject({ status: "canceled", errorCode: "CANCELED" });
    expect(await requestCancel(testDb.db, "a")).toBeNull();
  });

  it("leaves submissions queued, saying why, while its engine is unavailable", async () => {
    await seed(["a"]);
    let reason: string | null = "no Docker Engine answers";
    const started: string[] = [];
    const q = queue({
      ready: async () => reason,
      run: async (id) => {
        started.push(id);
        await finishComparison(testDb.db, id, "w1", "succeeded");
      },
    });
    await q.start();
    await expect.poll(async () => (await rowOf("a")).phase).toBe("waiting for the Docker Engine: no Docker Engine answers");
    expect(started).toEqual([]);
    reason = null;
    q.wake();
    await q.idle();
    expect(started).toEqual(["a"]);
  });

  it("stops a comparison that runs past its time limit", async () => {
    await seed(["slow"]);
    let reason: unknown;
    const q = queue({
      timeLimitMs: 50,
      run: (id, signal) =>
        new Promise<void>((resolve) => {
          signal.addEventListener("abort", () => {
            reason = signal.reason;
            void finishComparison(testDb.db, id, "w1", "failed").then(() => resolve());
          });
        }),
    });
    await q.start();
    await q.idle();
    expect(reason).toBeInstanceOf(TimeLimitError);
    expect(await statusOf("slow")).toBe("failed");
  });

  it("gives clients turns: a client with many queued does not starve another", async () => {
    await seed(["x1", "x2", "x3"], { clientKey: "x" });
    await seed(["y1"], { clientKey: "y" });
    await testDb.db.comparison.update({ where: { id: "y1" }, data: { createdAt: new Date(Date.UTC(2026, 0, 1, 0, 1)) } });
    const started: string[] = [];
    const q = queue({
      run: async (id) => {
        started.push(id);
        await finishComparison(testDb.db, id, "w1", "succeeded");
      },
    });
    await q.start();
    await q.idle();
    expect(started).toEqual(["x1", "y1", "x2", "x3"]);
  });
});

describe("fairOrder", () => {
  const rows = (spec: string) => spec.split(" ").map((id) => ({ id, clientKey: id[0] }));
  const clients = (spec: Record<string, [running: number, lastStarted: number]>) =>
    new Map(Object.entries(spec).map(([key, [running, lastStarted]]) => [key, { running, lastStarted }]));
  it.each([
    ["oldest first with one client", "a1 a2 a3", {}, ["a1", "a2", "a3"]],
    ["round-robin across clients", "a1 a2 a3 b1 b2 c1", {}, ["a1", "b1", "c1", "a2", "b2", "a3"]],
    ["a client with running work waits its turn", "a1 b1", { a: [1, 5] }, ["b1", "a1"]],
    ["running counts add to the queue position", "a1 b1 b2 b3", { a: [2, 5] }, ["b1", "b2", "b3", "a1"]],
    ["between equals, the client served longest ago first", "a1 b1", { a: [0, 9], b: [0, 3] }, ["b1", "a1"]],
    ["a client never served before one served", "a1 b1", { a: [0, 9] }, ["b1", "a1"]],
  ] as const)("%s", (_name, spec, running, expected) => {
    expect(fairOrder(rows(spec), clients(running as Record<string, [number, number]>))).toEqual(expected);
  });
});
