import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUILD_SECONDS_BUCKETS, histogramOf, kindOf, readMetricsSnapshot, renderSnapshot, type MetricsSnapshot } from "@/lib/metrics/snapshot";
import { createTestDb, dialects, type TestDb } from "@/lib/testing/test-db";

const EMPTY: MetricsSnapshot = { comparisons: [], oldestWaitSeconds: null, runChecks: [], buildSeconds: [], workers: [] };

const sample = (text: string, name: string): string | undefined => text.split("\n").find((line) => line.startsWith(`${name} `))?.slice(name.length + 1);

describe("renderSnapshot", () => {
  it.each<[string, MetricsSnapshot, Array<[string, string | undefined]>]>([
    [
      "nothing yet: the families are there, at zero",
      EMPTY,
      [
        ["slimstage_queue_length", "0"],
        ["slimstage_queue_oldest_wait_seconds", "0"],
        ["slimstage_workers", "0"],
        ['slimstage_build_seconds_count{kind="single"}', undefined],
      ],
    ],
    [
      "the queue and comparisons by status and error code",
      {
        ...EMPTY,
        comparisons: [
          { status: "queued", errorCode: null, count: 3 },
          { status: "running", errorCode: null, count: 1 },
          { status: "failed", errorCode: "NOTHING_BUILT", count: 2 },
          { status: "succeeded", errorCode: null, count: 7 },
        ],
        oldestWaitSeconds: 12.3456,
      },
      [
        ["slimstage_queue_length", "3"],
        ["slimstage_queue_oldest_wait_seconds", "12.346"],
        ['slimstage_comparisons{status="failed",error_code="NOTHING_BUILT"}', "2"],
        ['slimstage_comparisons{status="succeeded",error_code=""}', "7"],
      ],
    ],
    [
      "run checks and build seconds",
      {
        ...EMPTY,
        runChecks: [
          { verdict: "works", count: 5 },
          { verdict: "fails", count: 1 },
        ],
        buildSeconds: [{ kind: "scratch", ...histogramOf([0.5, 3, 45, 2000]) }],
      },
      [
        ['slimstage_run_checks{verdict="works"}', "5"],
        ['slimstage_run_checks{verdict="fails"}', "1"],
        ['slimstage_build_seconds_bucket{kind="scratch",le="1"}', "1"],
        ['slimstage_build_seconds_bucket{kind="scratch",le="5"}', "2"],
        ['slimstage_build_seconds_bucket{kind="scratch",le="60"}', "3"],
        ['slimstage_build_seconds_bucket{kind="scratch",le="1200"}', "3"],
        ['slimstage_build_seconds_bucket{kind="scratch",le="+Inf"}', "4"],
        ['slimstage_build_seconds_count{kind="scratch"}', "4"],
        ['slimstage_build_seconds_sum{kind="scratch"}', "2048.5"],
      ],
    ],
    [
      "workers: engines up and down, disk where measured, stale ones only by their age",
      {
        ...EMPTY,
        workers: [
          { id: "a", engineUp: true, live: true, heartbeatAgeSeconds: 2, diskUsedBytes: 1_500_000_000, diskBudgetBytes: 20_000_000_000 },
          { id: "b", engineUp: false, live: true, heartbeatAgeSeconds: 4, diskUsedBytes: null, diskBudgetBytes: null },
          { id: 'c"\\', engineUp: true, live: false, heartbeatAgeSeconds: 600, diskUsedBytes: 1, diskBudgetBytes: 2 },
        ],
      },
      [
        ["slimstage_workers", "2"],
        ['slimstage_engine_up{worker="a"}', "1"],
        ['slimstage_engine_up{worker="b"}', "0"],
        ['slimstage_engine_up{worker="c\\"\\\\"}', undefined],
        ['slimstage_worker_heartbeat_age_seconds{worker="c\\"\\\\"}', "600"],
        ['slimstage_engine_disk_used_bytes{worker="a"}', "1500000000"],
        ['slimstage_engine_disk_budget_bytes{worker="a"}', "20000000000"],
        ['slimstage_engine_disk_used_bytes{worker="b"}', undefined],
      ],
    ],
  ])("%s", (_name, snapshot, expected) => {
    const text = renderSnapshot(snapshot);
    for (const [name, value] of expected) expect(sample(text, name), name).toBe(value);
  });

  it("declares every family once, with its type, before its samples", () => {
    const text = renderSnapshot({ ...EMPTY, buildSeconds: [{ kind: "single", ...histogramOf([1]) }] });
    const types = text.split("\n").filter((line) => line.startsWith("# TYPE "));
    expect(new Set(types).size).toBe(types.length);
    expect(types).toContain("# TYPE slimstage_build_seconds histogram");
    for (const line of text.split("\n").filter((l) => l && !l.startsWith("#"))) {
      const family = line.split(/[{ ]/)[0].replace(/_(bucket|sum|count)$/, "");
      expect(text.indexOf(`# TYPE ${family} `), line).toBeLessThan(text.indexOf(line));
    }
    expect(text.endsWith("\n")).toBe(true);
  });
});

describe("kindOf and histogramOf", () => {
  it.each([
    ["single", "single"],
    ["scratch-naive", "scratch"],
    ["distroless", "distroless"],
    ["repo", "repo"],
    ["advice-ldflags", "other"],
  ])("%s is %s", (key, kind) => expect(kindOf(key)).toBe(kind));

  it("counts cumulatively", () => {
    const { buckets, count, sum } = histogramOf([1, 1.5, 30, 30.5]);
    expect(buckets.slice(0, 7)).toEqual([1, 2, 2, 2, 2, 3, 4]);
    expect(buckets).toHaveLength(BUILD_SECONDS_BUCKETS.length);
    expect([count, sum]).toEqual([4, 63]);
  });
});

describe.each(dialects())("readMetricsSnapshot on %s", (dialect) => {
  let testDb: TestDb;
  beforeAll(async () => {
    testDb = await createTestDb({ dialect });
    const { db } = testDb;
    const now = Date.now();
    await db.comparison.create({ data: { id: "q1", repo: "example:hello", createdAt: new Date(now - 90_000) } });
    await db.comparison.create({ data: { id: "q2", repo: "example:hello", createdAt: new Date(now - 10_000) } });
    await db.comparison.create({ data: { id: "f1", repo: "example:hello", status: "failed", errorCode: "NOTHING_BUILT" } });
    await db.comparison.create({
      data: {
        id: "s1",
        repo: "example:hello",
        status: "succeeded",
        variants: {
          create: [
            { key: "single", position: 0, dockerfile: "", buildSeconds: 40, runVerdict: "works" },
            { key: "scratch", position: 1, dockerfile: "", buildSeconds: 1.5, runVerdict: "works" },
            { key: "scratch-naive", position: 2, naive: true, dockerfile: "", buildSeconds: 0.5, runVerdict: "fails" },
            { key: "alpine", position: 3, dockerfile: "", status: "skipped" },
          ],
        },
      },
    });
    await db.worker.create({ data: { id: "w-up", engineId: "e1", engineHost: "/var/run/docker.sock" } });
    await db.worker.create({ data: { id: "w-down", engineId: "e2", engineHost: "tcp://x", problem: "no answer" } });
    await db.worker.create({ data: { id: "w-gone", engineId: "e3", engineHost: "tcp://y", heartbeatAt: new Date(now - 3_600_000) } });
  }, 120_000);
  afterAll(async () => {
    await testDb?.dispose();
  });

  it("reads the queue, the comparisons, the run checks, the builds by kind and the workers", async () => {
    const snapshot = await readMetricsSnapshot(testDb.db);
    expect(snapshot.oldestWaitSeconds).toBeGreaterThanOrEqual(89);
    expect(snapshot.comparisons).toEqual(
      expect.arrayContaining([
        { status: "queued", errorCode: null, count: 2 },
        { status: "failed", errorCode: "NOTHING_BUILT", count: 1 },
        { status: "succeeded", errorCode: null, count: 1 },
      ]),
    );
    expect(snapshot.runChecks).toEqual(expect.arrayContaining([{ verdict: "works", count: 2 }, { verdict: "fails", count: 1 }]));
    const scratch = snapshot.buildSeconds.find((h) => h.kind === "scratch");
    expect(scratch).toMatchObject({ count: 2, sum: 2 });
    expect(scratch?.buckets.slice(0, 2)).toEqual([1, 2]);
    expect(snapshot.buildSeconds.find((h) => h.kind === "single")).toMatchObject({ count: 1, sum: 40 });
    expect(snapshot.buildSeconds.find((h) => h.kind === "alpine")).toBeUndefined();
    const workers = Object.fromEntries(snapshot.workers.map((w) => [w.id, w]));
    expect(workers["w-up"]).toMatchObject({ engineUp: true, live: true });
    expect(workers["w-down"]).toMatchObject({ engineUp: false, live: true });
    expect(workers["w-gone"]).toMatchObject({ live: false });

    const text = renderSnapshot(snapshot);
    expect(sample(text, "slimstage_queue_length")).toBe("2");
    expect(sample(text, 'slimstage_build_seconds_count{kind="scratch"}')).toBe("2");
  });
});
