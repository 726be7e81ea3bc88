// What /api/health and the home page's engine banner report: the database, and the
// build workers' own reports of their engines (the Worker table). A web process never
// asks an engine itself. The public sees ok / not ok; the operator (admin token) sees
// each worker, its engine's version and problem, which base images it has, and which
// builder it builds with (BuildKit, or the classic builder where the engine has none).
import type { Db } from "@/lib/db";
import { PRESENCE_STALE_MS, type BaseImagePresence } from "@/lib/jobs/presence";
import type { BuilderInfo } from "@/lib/engine/engine";

export interface WorkerHealth {
  id: string;
  engineId: string;
  engineHost: string;
  engineVersion: string | null;
  problem: string | null;
  heartbeatAt: string;
  baseImages: BaseImagePresence[];
  /** BuildKit or the classic builder, and why (null: not reported yet). */
  builder: BuilderInfo | null;
  /** What the engine holds (images and build cache) and its budget, in bytes (lib/jobs/disk-budget.ts); null until measured. */
  disk: { usedBytes: number; budgetBytes: number } | null;
}

export interface Health {
  ok: boolean;
  db: { ok: boolean };
  engine: { ok: boolean };
}

export interface HealthDetails extends Health {
  db: { ok: boolean; error?: string };
  engine: { ok: boolean; version?: string; error?: string };
  workers: WorkerHealth[];
  baseImages: BaseImagePresence[];
}

export async function checkHealth(db: Db, now = Date.now()): Promise<HealthDetails> {
  const database = await db.$queryRaw`SELECT 1`.then(
    () => ({ ok: true }),
    (error: unknown) => ({ ok: false, error: error instanceof Error ? error.message : String(error) }),
  );
  const workers = database.ok ? await liveWorkers(db, now) : [];
  const working = workers.filter((w) => w.problem === null);
  const problem = buildProblem(workers);
  const images = new Map<string, BaseImagePresence>();
  for (const worker of working) for (const image of worker.baseImages) if (!images.get(image.image)?.present) images.set(image.image, image);
  return {
    ok: database.ok && problem === null,
    db: database,
    engine: problem === null ? { ok: true, version: working[0]?.engineVersion ?? undefined } : { ok: false, error: problem },
    workers,
    baseImages: [...images.values()],
  };
}

/** What the public may see. */
export const publicHealth = (health: HealthDetails): Health => ({ ok: health.ok, db: { ok: health.db.ok }, engine: { ok: health.engine.ok } });

async function liveWorkers(db: Db, now: number): Promise<WorkerHealth[]> {
  const rows = await db.worker.findMany({ where: { heartbeatAt: { gt: new Date(now - PRESENCE_STALE_MS) } }, orderBy: { id: "asc" } });
  return rows.map((row) => ({
    id: row.id,
    engineId: row.engineId,
    engineHost: row.engineHost,
    engineVersion: row.engineVersion,
    problem: row.problem,
    heartbeatAt: row.heartbeatAt.toISOString(),
    baseImages: JSON.parse(row.baseImages) as BaseImagePresence[],
    builder: row.builder ? (JSON.parse(row.builder) as BuilderInfo) : null,
    disk: row.diskUsedBytes !== null && row.diskBudgetBytes !== null ? { usedBytes: Number(row.diskUsedBytes), budgetBytes: Number(row.diskBudgetBytes) } : null,
  }));
}

/** Pure: why nothing can be built now, or null when some worker's engine answers. */
export function buildProblem(workers: Array<Pick<WorkerHealth, "problem">>): string | null {
  if (workers.length === 0) return "no build worker is running (start one with npm run worker; scripts/up.sh starts one)";
  if (workers.some((w) => w.problem === null)) return null;
  return workers[0].problem;
}

// The home page asks on every render whether anything can build; a few seconds' memory
// of the answer keeps that from costing a query per request.
let memo: { at: number; answer: Promise<string | null> } | null = null;

/** Why comparisons cannot be built now (null when they can), remembered for `maxAgeMs`. */
export function buildProblemCached(db: Db, maxAgeMs = 5000): Promise<string | null> {
  const now = Date.now();
  if (!memo || now - memo.at > maxAgeMs) {
    const answer = liveWorkers(db, now).then(buildProblem, (error: unknown) => `the database did not answer: ${error instanceof Error ? error.message : String(error)}`);
    memo = { at: now, answer };
  }
  return memo.answer;
}
