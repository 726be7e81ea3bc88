// Waiting for something the bench cannot be told about: polled, with a deadline.
import type { Db } from "@/lib/db";

/** Polls `check` every 250 ms until it gives a value; throws after `timeoutMs`. */
export async function waitUntil<T>(what: string, timeoutMs: number, check: () => Promise<T | null | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== null && value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const FINISHED = ["succeeded", "failed", "canceled"];

/** The rows of `ids` once every one of them has finished, in the order of `ids`. */
export async function waitForComparisons(db: Db, ids: string[], timeoutMs: number) {
  return waitUntil(`${ids.length} comparison(s) to finish`, timeoutMs, async () => {
    const rows = await db.comparison.findMany({ where: { id: { in: ids } } });
    if (rows.length !== ids.length || !rows.every((row) => FINISHED.includes(row.status))) return null;
    return ids.map((id) => rows.find((row) => row.id === id)!);
  });
}
