// A worker's row in the Worker table: which engine it serves, whether that engine
// answers, which base images it has, and when the worker last said so. Web processes
// read these rows for /api/health and the home page's engine banner: they never talk
// to an engine themselves.
import type { BaseImages } from "@/lib/config";
import type { Db } from "@/lib/db";
import type { Engine, EngineIdentity } from "@/lib/engine/engine";
import { isStandinBuilder } from "@/lib/engine/standin-builders";

/** A worker that has not reported for this long is taken for gone. */
export const PRESENCE_STALE_MS = 30_000;

export interface BaseImagePresence {
  base: string;
  image: string;
  present: boolean;
  /** Not on the engine yet, but made the first time a comparison needs it (a Go stand-in with a recipe). */
  onDemand?: boolean;
}

export function wantedBaseImages(bases: BaseImages): Array<{ base: string; image: string }> {
  return [
    ...Object.entries(bases.golang).map(([version, image]) => ({ base: `golang ${version}`, image })),
    { base: "alpine", image: bases.alpine },
    { base: "static", image: bases.static },
  ];
}

/** Asks the engine and writes the answer; returns why the engine cannot be used, or null. */
export async function reportPresence(db: Db, workerId: string, identity: EngineIdentity, engine: Engine, bases: BaseImages): Promise<string | null> {
  const problem = await engine.version().then(
    (v) => ({ version: v.version, problem: null }),
    (error: unknown) => ({ version: null, problem: error instanceof Error ? error.message : String(error) }),
  );
  const images: BaseImagePresence[] = await Promise.all(
    wantedBaseImages(bases).map(async (entry) => {
      const present = problem.problem === null ? Boolean(await engine.image(entry.image).catch(() => null)) : false;
      return { ...entry, present, ...(!present && isStandinBuilder(entry.image) ? { onDemand: true } : {}) };
    }),
  );
  const builder = problem.problem === null ? await engine.builder().catch(() => null) : null;
  const data = {
    engineId: identity.id,
    engineHost: identity.host,
    engineVersion: problem.version,
    problem: problem.problem,
    baseImages: JSON.stringify(images),
    builder: builder ? JSON.stringify(builder) : null,
    heartbeatAt: new Date(),
  };
  await db.worker.upsert({ where: { id: workerId }, create: { id: workerId, ...data }, update: data });
  return problem.problem;
}

/** A worker whose engine has not answered yet: no engine to name, only the problem. */
export async function reportWaiting(db: Db, workerId: string, engineHost: string, problem: string): Promise<void> {
  const data = { engineId: "", engineHost, engineVersion: null, problem, baseImages: "[]", heartbeatAt: new Date() };
  await db.worker.upsert({ where: { id: workerId }, create: { id: workerId, ...data }, update: data });
}

/** The engine's disk figures (lib/jobs/disk-budget.ts) in the worker's row. */
export async function reportDisk(db: Db, workerId: string, usedBytes: number, budgetBytes: number): Promise<void> {
  await db.worker.updateMany({ where: { id: workerId }, data: { diskUsedBytes: BigInt(usedBytes), diskBudgetBytes: BigInt(budgetBytes) } });
}

export async function removePresence(db: Db, workerId: string): Promise<void> {
  await db.worker.deleteMany({ where: { id: workerId } });
}
