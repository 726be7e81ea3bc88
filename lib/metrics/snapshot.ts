// What the database knows, as Prometheus metrics: read at scrape time (the database is
// the truth, so any web process answers the same, and a restart loses nothing), then
// written in Prometheus' text format by a pure function. The queue, comparisons by status
// and error code, run-check verdicts, build seconds by variant kind (a histogram over
// every variant that ran a build), and each worker's engine as the worker last reported
// it (up or down, disk used and its budget). The web process adds its own live figures
// (lib/metrics/web-metrics.ts).
import type { Db } from "@/lib/db";
import { PRESENCE_STALE_MS } from "@/lib/jobs/presence";

/** Upper bounds of the build-seconds histogram: a cached build takes a second, a cold Go compile minutes. */
export const BUILD_SECONDS_BUCKETS = [1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1200] as const;

/** Variant kinds as labels: a naive twin is built as its variant is; any other key is "other" (labels stay few). */
export const VARIANT_KINDS = ["single", "alpine", "scratch", "distroless", "repo"] as const;

export interface MetricsSnapshot {
  comparisons: Array<{ status: string; errorCode: string | null; count: number }>;
  /** Seconds the oldest queued comparison has waited; null when none waits. */
  oldestWaitSeconds: number | null;
  runChecks: Array<{ verdict: string; count: number }>;
  /** Per kind: how many builds finished at or under each of BUILD_SECONDS_BUCKETS (cumulative), all of them, and their seconds. */
  buildSeconds: Array<{ kind: string; buckets: number[]; count: number; sum: number }>;
  workers: Array<{ id: string; engineUp: boolean; live: boolean; heartbeatAgeSeconds: number; diskUsedBytes: number | null; diskBudgetBytes: number | null }>;
}

export const kindOf = (key: string): string => {
  const base = key.replace(/-naive$/, "");
  return (VARIANT_KINDS as readonly string[]).includes(base) ? base : "other";
};

/** Pure: the snapshot in Prometheus' text exposition format (version 0.0.4). */
export function renderSnapshot(snapshot: MetricsSnapshot): string {
  const out: string[] = [];
  const family = (name: string, type: "gauge" | "histogram", help: string, samples: string[]) => {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...samples);
  };
  const queued = snapshot.comparisons.filter((c) => c.status === "queued").reduce((sum, c) => sum + c.count, 0);

  family("slimstage_queue_length", "gauge", "Comparisons waiting for a worker.", [`slimstage_queue_length ${queued}`]);
  family("slimstage_queue_oldest_wait_seconds", "gauge", "How long the oldest queued comparison has waited (0 when none waits).", [
    `slimstage_queue_oldest_wait_seconds ${number(snapshot.oldestWaitSeconds ?? 0)}`,
  ]);
  family(
    "slimstage_comparisons",
    "gauge",
    "Comparisons in the database by status and error code (error_code is empty unless it failed or was canceled).",
    [...snapshot.comparisons]
      .sort((a, b) => a.status.localeCompare(b.status) || (a.errorCode ?? "").localeCompare(b.errorCode ?? ""))
      .map((c) => `slimstage_comparisons${labels({ status: c.status, error_code: c.errorCode ?? "" })} ${c.count}`),
  );
  family(
    "slimstage_run_checks",
    "gauge",
    "Run checks of variants in the database by verdict (works, same, fails, skipped).",
    [...snapshot.runChecks].sort((a, b) => a.verdict.localeCompare(b.verdict)).map((r) => `slimstage_run_checks${labels({ verdict: r.verdict })} ${r.count}`),
  );
  family(
    "slimstage_build_seconds",
    "histogram",
    "Seconds each variant's build took (built or failed), by variant kind, over the comparisons in the database.",
    [...snapshot.buildSeconds]
      .sort((a, b) => a.kind.localeCompare(b.kind))
      .flatMap((h) => [
        ...BUILD_SECONDS_BUCKETS.map((le, i) => `slimstage_build_seconds_bucket${labels({ kind: h.kind, le: String(le) })} ${h.buckets[i] ?? 0}`),
        `slimstage_build_seconds_bucket${labels({ kind: h.kind, le: "+Inf" })} ${h.count}`,
        `slimstage_build_seconds_sum${labels({ kind: h.kind })} ${number(h.sum)}`,
        `slimstage_build_seconds_count${labels({ kind: h.kind })} ${h.count}`,
      ]),
  );
  const workers = [...snapshot.workers].sort((a, b) => a.id.localeCompare(b.id));
  const live = workers.filter((w) => w.live);
  family("slimstage_workers", "gauge", `Build workers that reported in the last ${PRESENCE_STALE_MS / 1000} s.`, [`slimstage_workers ${live.length}`]);
  family(
    "slimstage_engine_up",
    "gauge",
    "1 when the worker's Docker Engine answers, 0 when it does not (workers that reported lately).",
    live.map((w) => `slimstage_engine_up${labels({ worker: w.id })} ${w.engineUp ? 1 : 0}`),
  );
  family(
    "slimstage_worker_heartbeat_age_seconds",
    "gauge",
    "Seconds since each worker in the Worker table last reported (a worker that stopped cleanly has no row).",
    workers.map((w) => `slimstage_worker_heartbeat_age_seconds${labels({ worker: w.id })} ${number(w.heartbeatAgeSeconds)}`),
  );
  family(
    "slimstage_engine_disk_used_bytes",
    "gauge",
    "Bytes the worker's engine holds (images and build cache, as docker system df counts them), as the worker last measured.",
    live.filter((w) => w.diskUsedBytes !== null).map((w) => `slimstage_engine_disk_used_bytes${labels({ worker: w.id })} ${w.diskUsedBytes}`),
  );
  family(
    "slimstage_engine_disk_budget_bytes",
    "gauge",
    "Bytes the worker's engine may hold (SLIMSTAGE_DISK_BUDGET_MB, or derived from its free space).",
    live.filter((w) => w.diskBudgetBytes !== null).map((w) => `slimstage_engine_disk_budget_bytes${labels({ worker: w.id })} ${w.diskBudgetBytes}`),
  );
  return `${out.join("\n")}\n`;
}

const escape = (value: string) => value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
const labels = (values: Record<string, string>) =>
  `{${Object.entries(values)
    .map(([name, value]) => `${name}="${escape(value)}"`)
    .join(",")}}`;
const number = (value: number) => (Number.isFinite(value) ? String(Math.round(value * 1000) / 1000) : "0");

/** Pure: the cumulative bucket counts of `seconds` (one entry per build). */
export function histogramOf(seconds: readonly number[]): { buckets: number[]; count: number; sum: number } {
  return {
    buckets: BUILD_SECONDS_BUCKETS.map((le) => seconds.filter((s) => s <= le).length),
    count: seconds.length,
    sum: seconds.reduce((total, s) => total + s, 0),
  };
}

interface BuildRow {
  key: string;
  n: number | bigint;
  total: number | null;
  [bucket: `b${number}`]: number | bigint | null;
}

/** Reads the snapshot: a handful of grouped queries, the same SQL on SQLite and PostgreSQL. */
export async function readMetricsSnapshot(db: Db, now = Date.now()): Promise<MetricsSnapshot> {
  const bucketColumns = BUILD_SECONDS_BUCKETS.map((le, i) => `SUM(CASE WHEN "buildSeconds" <= ${le} THEN 1 ELSE 0 END) AS "b${i}"`).join(", ");
  const [comparisons, oldest, verdicts, builds, workers] = await Promise.all([
    db.comparison.groupBy({ by: ["status", "errorCode"], _count: { _all: true } }),
    db.comparison.findFirst({ where: { status: "queued" }, orderBy: { createdAt: "asc" }, select: { createdAt: true } }),
    db.variant.groupBy({ by: ["runVerdict"], where: { runVerdict: { not: null } }, _count: { _all: true } }),
    db.$queryRawUnsafe<BuildRow[]>(
      `SELECT "key", COUNT(*) AS "n", SUM("buildSeconds") AS "total", ${bucketColumns} FROM "Variant" WHERE "buildSeconds" IS NOT NULL GROUP BY "key"`,
    ),
    db.worker.findMany(),
  ]);

  const byKind = new Map<string, { buckets: number[]; count: number; sum: number }>();
  for (const row of builds) {
    const kind = kindOf(row.key);
    const into = byKind.get(kind) ?? { buckets: BUILD_SECONDS_BUCKETS.map(() => 0), count: 0, sum: 0 };
    BUILD_SECONDS_BUCKETS.forEach((_le, i) => (into.buckets[i] += Number(row[`b${i}`] ?? 0)));
    into.count += Number(row.n);
    into.sum += Number(row.total ?? 0);
    byKind.set(kind, into);
  }
  // Read by name: the disk columns are written by the disk budget (lib/jobs/disk-budget.ts).
  const bytes = (value: unknown): number | null => (typeof value === "bigint" || typeof value === "number" ? Number(value) : null);
  return {
    comparisons: comparisons.map((c) => ({ status: c.status, errorCode: c.errorCode, count: c._count._all })),
    oldestWaitSeconds: oldest ? Math.max(0, (now - oldest.createdAt.getTime()) / 1000) : null,
    runChecks: verdicts.map((v) => ({ verdict: v.runVerdict ?? "", count: v._count._all })),
    buildSeconds: [...byKind.entries()].map(([kind, histogram]) => ({ kind, ...histogram })),
    workers: workers.map((w) => {
      const row = w as typeof w & { diskUsedBytes?: unknown; diskBudgetBytes?: unknown };
      const age = now - w.heartbeatAt.getTime();
      return {
        id: w.id,
        engineUp: w.problem === null,
        live: age < PRESENCE_STALE_MS,
        heartbeatAgeSeconds: Math.max(0, age / 1000),
        diskUsedBytes: bytes(row.diskUsedBytes),
        diskBudgetBytes: bytes(row.diskBudgetBytes),
      };
    }),
  };
}
