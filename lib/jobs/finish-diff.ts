// When a comparison has finished: what changed since the previous comparison of the same
// program (lib/reads/previous-query.ts, the one the comparison page's compare link names),
// computed by the compare page's own live read and stored (state.ts), so that
// /compare/<previous>/<this> reads one row instead of two comparisons, 14-odd file lists
// and eight analyses on every view. Never fails the comparison: a failure is logged.
//
// Can what the diff reads change once both comparisons are terminal? What was checked:
// - The rows: a terminal comparison is never claimed, requeued or cancelled again (the
//   queue's writes in state.ts are conditional on queued or running); "build again" makes
//   a new comparison. Its variants are replaced only by recordPlan, before the end; its
//   layers and analyses are written with each variant's outcome, before the end too (the
//   pipeline waits for every build and check before finishing). The stored row is used
//   only while both comparisons are terminal with the status and finishedAt it was
//   computed from, so a comparison ended again (finishComparison without a holder) is
//   computed live.
// - Written later, but not read by the diff: the analysis summaries of older variants
//   (backfillAnalysisSummaries; the diff parses the analysis itself), and the advice
//   (lib/advice: the comparison's advice columns and AdviceStep rows).
// - Retention and the disk budget remove images from the engine, never rows; a deleted
//   comparison's diffs go with it (ON DELETE CASCADE on both sides).
// - BlobFiles: a layer's file list may be stored after the comparison ended (another
//   comparison or the worker's warm-up lists the same digest later), which would let the
//   live diff compare files it could not at the end. A result missing a file list of a
//   variant built on both sides is therefore not stored; it is computed live each time.
import type { Db, ReadDb } from "@/lib/db";
import type { Logger } from "@/lib/log";
import { isTerminal } from "@/lib/comparisons/types";
import { storeComparisonDiff } from "@/lib/jobs/state";
import { compareLive } from "@/lib/reads/compare-query";
import { previousComparisonId } from "@/lib/reads/previous-query";
import { encodeDiff } from "@/lib/reads/stored-diff";
import { COMPARE_RESULT_VERSION, type CompareResult } from "@/lib/views/compare-result";

export type DiffStored = { stored: string } | { none: string };

/** Computes and stores the diff of comparison `id` against its previous one; says what it did. */
export async function storeDiffWithPrevious(db: Db, read: ReadDb, id: string): Promise<DiffStored> {
  const row = await db.comparison.findUnique({ where: { id }, select: { id: true, status: true, repo: true, subdir: true, mainPackage: true, createdAt: true } });
  if (!row || !isTerminal(row.status as Parameters<typeof isTerminal>[0])) return { none: "the comparison has not finished" };
  const previousId = await previousComparisonId(read, { ...row, createdAt: row.createdAt.toISOString() });
  if (!previousId) return { none: "no earlier finished comparison of the same program" };
  const result = await compareLive(db, read, previousId, id);
  if (!isTerminal(result.before.status) || !isTerminal(result.after.status)) return { none: "a side is not terminal" };
  const missing = filesMissing(result);
  if (missing) return { none: `${missing}'s file lists are not all stored yet` };
  await storeComparisonDiff(db, { beforeId: previousId, afterId: id, version: COMPARE_RESULT_VERSION, result: encodeDiff(result) });
  return { stored: previousId };
}

/** The same at the end of a comparison, for the pipeline: a failure is logged, never thrown. */
export async function afterFinish(db: Db, read: (() => ReadDb) | undefined, id: string, log: Logger): Promise<void> {
  if (!read) return; // a pipeline without a read connection (some engine tests) stores nothing
  try {
    const done = await storeDiffWithPrevious(db, read(), id);
    if ("stored" in done) log.debug({ previousId: done.stored }, "stored the diff with the previous comparison");
    else log.debug({ why: done.none }, "no diff with a previous comparison stored");
  } catch (error) {
    log.warn({ err: error }, "could not store the diff with the previous comparison; the compare page computes it when asked");
  }
}

// A variant built on both sides whose files could not be compared: a layer's list missing.
const filesMissing = (result: CompareResult): string | null =>
  result.variants.find((v) => v.before?.status === "built" && v.after?.status === "built" && v.files === null)?.key ?? null;
