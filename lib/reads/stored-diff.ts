// The compare page's stored diff: what changed from one comparison to the next of the same
// program, computed once when the later one finished (lib/jobs/finish-diff.ts) and kept
// as gzip-compressed JSON in ComparisonDiff. Read in one statement on the read connection
// with both comparisons' status and end; used only while the shape's version is today's and
// both are still terminal with the ends the result was computed from (what else could make
// it stale: lib/jobs/finish-diff.ts).
import { gunzipSync, gzipSync } from "node:zlib";
import type { ReadDb } from "@/lib/db";
import { isTerminal, type ComparisonStatus } from "@/lib/comparisons/types";
import { isoOf, sqlParams, timeColumn } from "@/lib/reads/read-sql";
import { COMPARE_RESULT_VERSION, type ComparisonBrief, type CompareResult } from "@/lib/views/compare-result";

type Ends = Pick<ComparisonBrief, "status" | "finishedAt">;

export const encodeDiff = (result: CompareResult): Uint8Array<ArrayBuffer> => new Uint8Array(gzipSync(JSON.stringify(result)));
export const decodeDiff = (bytes: Uint8Array): CompareResult => JSON.parse(gunzipSync(bytes).toString("utf8")) as CompareResult;

/** A stored row's version and what the two comparisons are now. */
export interface StoredDiffState {
  version: number;
  before: { status: string; finishedAt: string | null };
  after: { status: string; finishedAt: string | null };
}

/** Pure: whether a stored result still says what a live one would (the ends as ISO text). */
export function storedDiffHolds(state: StoredDiffState, result: { before: Ends; after: Ends }): boolean {
  if (state.version !== COMPARE_RESULT_VERSION) return false;
  return ([["before", state.before], ["after", state.after]] as const).every(
    ([side, now]) =>
      isTerminal(now.status as ComparisonStatus) && now.status === result[side].status && now.finishedAt !== null && now.finishedAt === result[side].finishedAt,
  );
}

interface Row {
  version: number;
  result: Uint8Array;
  beforeStatus: string;
  beforeFinishedAt: string | null;
  afterStatus: string;
  afterFinishedAt: string | null;
}

/** The stored result of `beforeId` → `afterId`, or null when there is none that holds (then the caller computes it). */
export async function storedDiff(read: ReadDb, beforeId: string, afterId: string): Promise<CompareResult | null> {
  const sql = sqlParams(read.dialect);
  const end = (table: string) => timeColumn(read.dialect, `${table}."finishedAt"`);
  const row = await read.first<Row>(
    `SELECT d."version", d."result", b."status" AS "beforeStatus", ${end("b")} AS "beforeFinishedAt", a."status" AS "afterStatus", ${end("a")} AS "afterFinishedAt" ` +
      `FROM "ComparisonDiff" d JOIN "Comparison" b ON b."id" = d."beforeId" JOIN "Comparison" a ON a."id" = d."afterId" ` +
      `WHERE d."beforeId" = ${sql.param(beforeId)} AND d."afterId" = ${sql.param(afterId)}`,
    sql.params,
  );
  if (!row || row.version !== COMPARE_RESULT_VERSION) return null;
  let result: CompareResult;
  try {
    result = decodeDiff(row.result);
  } catch {
    return null; // a damaged row: computed live instead
  }
  const iso = (text: string | null) => (text === null ? null : isoOf(text));
  const state = {
    version: row.version,
    before: { status: row.beforeStatus, finishedAt: iso(row.beforeFinishedAt) },
    after: { status: row.afterStatus, finishedAt: iso(row.afterFinishedAt) },
  };
  return storedDiffHolds(state, result) ? result : null;
}
