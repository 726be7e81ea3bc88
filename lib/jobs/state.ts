// The one writer of a comparison's and its variants' state: statuses are closed types
// (lib/comparisons/types.ts) and every change goes through a function here, so "who
// set this variant to failed" has one answer. The queue (queue.ts) decides when a
// comparison is claimed, renewed, taken over or finished; the pipeline decides what
// happened to a variant; the run check only returns its verdict. (The change counter
// the response cache compares is bumped by database triggers: see the migrations.)
import { plainText } from "@/lib/plain-text";
import type { Db, Dialect } from "@/lib/db";
import type { ComparisonStatus } from "@/lib/comparisons/types";
import { summarizeAnalysis } from "@/lib/comparisons/analysis-schema";
import type { RunCheckRecord } from "@/lib/verify/run-check";

export interface Holder {
  workerId: string;
  engineId: string;
}

/**
 * Claims the first of `candidates` (in that order) that is still queued, for `holder`,
 * with a lease until `leaseUntil`. On PostgreSQL the row is locked with FOR UPDATE SKIP
 * LOCKED, so two workers asking at once never wait on each other; on SQLite a write
 * transaction is serial and the update is conditional on the row still being queued.
 */
export async function claimComparison(db: Db, dialect: Dialect, candidates: string[], holder: Holder, leaseUntil: Date): Promise<string | null> {
  if (candidates.length === 0) return null;
  const data = {
    status: "running" satisfies ComparisonStatus,
    startedAt: new Date(),
    attempts: { increment: 1 },
    workerId: holder.workerId,
    engineId: holder.engineId,
    leaseUntil,
  };
  if (dialect === "postgresql") {
    return db.$transaction(async (tx) => {
      const locked = await tx.$queryRawUnsafe<Array<{ id: string }>>(
        `SELECT "id" FROM "Comparison" WHERE "id" = ANY($1::text[]) AND "status" = 'queued' FOR UPDATE SKIP LOCKED`,
        candidates,
      );
      const free = new Set(locked.map((row) => row.id));
      const id = candidates.find((candidate) => free.has(candidate));
      if (!id) return null;
      await tx.comparison.update({ where: { id }, data });
      return id;
    });
  }
  for (const id of candidates) {
    // SQLite writes one at a time: the update is conditional on the row still being queued.
    const { count } = await db.comparison.updateMany({ where: { id, status: "queued" }, data });
    if (count === 1) return id;
  }
  return null;
}

/** Extends the lease; false when the comparison is no longer this worker's to run. */
export async function renewLease(db: Db, id: string, workerId: string, leaseUntil: Date): Promise<boolean> {
  const { count } = await db.comparison.updateMany({ where: { id, workerId, status: "running" }, data: { leaseUntil } });
  return count === 1;
}

/**
 * Comparisons whose holder stopped renewing (a worker killed, its machine gone), or
 * held by `previousSelf` (this worker's own id from before a restart): queued again
 * for any worker, or failed INTERRUPTED once they have been claimed `maxAttempts` times.
 */
export async function releaseAbandoned(db: Db, now: Date, maxAttempts: number, previousSelf?: string): Promise<string[]> {
  const abandoned = await db.comparison.findMany({
    where: { status: "running", OR: [{ leaseUntil: { lt: now } }, { leaseUntil: null }, ...(previousSelf ? [{ workerId: previousSelf }] : [])] },
    select: { id: true, attempts: true, workerId: true, leaseUntil: true },
  });
  const released: string[] = [];
  for (const row of abandoned) {
    // Conditional on the row being exactly as read: a holder that renewed meanwhile keeps it.
    const still = { id: row.id, status: "running", workerId: row.workerId, leaseUntil: row.leaseUntil };
    const requeue = row.attempts < maxAttempts;
    const result = await db.comparison.updateMany({
      where: still,
      data: requeue
        ? { status: "queued", workerId: null, leaseUntil: null, phase: "queued again: the worker building it stopped answering" }
        : {
            status: "failed",
            workerId: null,
            leaseUntil: null,
            phase: null,
            finishedAt: now,
            errorCode: "INTERRUPTED",
            errorMessage: "The worker building this comparison stopped twice; submit it again to retry.",
          },
    });
    if (result.count === 1) {
      released.push(row.id);
      if (!requeue) await settleVariants(db, row.id, "Not built: the worker building this comparison stopped.");
    }
  }
  return released;
}

/**
 * A stopping worker's comparison, queued again at once for any worker (lib/jobs/queue.ts
 * handBack); the claim it had does not count towards the attempts. False when the
 * worker no longer held it (finished, canceled, taken over).
 */
export async function handBack(db: Db, id: string, workerId: string): Promise<boolean> {
  const { count } = await db.comparison.updateMany({
    where: { id, workerId, status: "running" },
    data: { status: "queued", workerId: null, leaseUntil: null, attempts: { decrement: 1 }, phase: "queued again: the worker building it was restarting" },
  });
  return count === 1;
}

/** Comparisons this worker runs whose cancel was requested, or which were deleted (a finished one's advice may still run). */
export async function cancelRequests(db: Db, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db.comparison.findMany({ where: { id: { in: ids } }, select: { id: true, cancelRequested: true } });
  const present = new Set(rows.map((row) => row.id));
  return [...rows.filter((row) => row.cancelRequested).map((row) => row.id), ...ids.filter((id) => !present.has(id))];
}

/** Cancel as a request written to the row: a queued one ends at once; a running one is stopped by its worker. */
export async function requestCancel(db: Db, id: string): Promise<ComparisonStatus | null> {
  const queued = await db.comparison.updateMany({
    where: { id, status: "queued" },
    data: { status: "canceled", phase: null, finishedAt: new Date(), errorCode: "CANCELED", errorMessage: "The comparison was canceled.", cancelRequested: true },
  });
  if (queued.count === 1) {
    await settleVariants(db, id, "The comparison was canceled.");
    return "canceled";
  }
  const { count } = await db.comparison.updateMany({ where: { id, status: "running" }, data: { cancelRequested: true } });
  return count === 1 ? "running" : null;
}

export async function setPhase(db: Db, id: string, phase: string | null): Promise<void> {
  await db.comparison.update({ where: { id }, data: { phase } });
}

/** Marks every waiting queued comparison with why it waits (null clears it). */
export async function setQueuedPhase(db: Db, phase: string | null): Promise<void> {
  await db.comparison.updateMany({
    where: phase === null ? { status: "queued", phase: { startsWith: "waiting for" } } : { status: "queued", OR: [{ phase: null }, { phase: { not: phase } }] },
    data: { phase },
  });
}

export interface FinishError {
  code: string;
  message: string;
}

/** Ends a comparison, if `workerId` still holds it. */
export async function finishComparison(db: Db, id: string, workerId: string | null, status: Exclude<ComparisonStatus, "queued" | "running">, error?: FinishError): Promise<boolean> {
  const result = await db.comparison.updateMany({
    where: { id, ...(workerId ? { workerId } : {}) },
    data: { status, phase: null, finishedAt: new Date(), workerId: null, leaseUntil: null, errorCode: error?.code ?? null, errorMessage: plainText(error?.message) ?? null },
  });
  return result.count === 1;
}

/** What changed since the previous comparison (lib/jobs/finish-diff.ts), stored or replaced. */
export async function storeComparisonDiff(db: Db, diff: { beforeId: string; afterId: string; version: number; result: Uint8Array<ArrayBuffer> }): Promise<void> {
  const { beforeId, afterId, version, result } = diff;
  await db.comparisonDiff.upsert({
    where: { beforeId_afterId: { beforeId, afterId } },
    create: { beforeId, afterId, version, result },
    update: { version, result, createdAt: new Date() },
  });
}

/** What the pipeline decided before building: the module's facts and one queued row per variant. */
export interface RecordedPlan {
  commit: string | null;
  module: string | null;
  goVersion: string | null;
  mainPackage: string;
  needs: { tzdata: boolean; caRoots: boolean; cgo: boolean };
  notes: string[];
  variants: Array<{ key: string; naive: boolean; dockerfile: string; baseImages: string[]; note?: string | null }>;
}

/** The choices of main package, kept before choosing, so a page can offer each one even when none was chosen. */
export async function recordMainPackages(db: Db, id: string, mainPackages: string[]): Promise<void> {
  await db.comparison.update({ where: { id }, data: { mainPackages: JSON.stringify(mainPackages) } });
}

/** Writes the plan: the comparison's facts, and its variants (replacing any from an earlier attempt). */
export async function recordPlan(db: Db, id: string, plan: RecordedPlan): Promise<void> {
  await db.$transaction([
    db.comparison.update({
      where: { id },
      data: {
        commit: plan.commit,
        module: plan.module,
        goVersion: plan.goVersion,
        mainPackage: plan.mainPackage,
        needsTzdata: plan.needs.tzdata,
        needsCaRoots: plan.needs.caRoots,
        needsCgo: plan.needs.cgo,
        notes: JSON.stringify(plan.notes),
      },
    }),
    db.variant.deleteMany({ where: { comparisonId: id } }),
    db.variant.createMany({
      data: plan.variants.map((variant, position) => ({
        comparisonId: id,
        key: variant.key,
        naive: variant.naive,
        position,
        dockerfile: variant.dockerfile,
        baseImages: JSON.stringify(variant.baseImages),
        reason: variant.note ?? null,
      })),
    }),
  ]);
}

/** What the comparison's results depend on (lib/jobs/build-key.ts), kept for later comparisons to find. */
export async function recordBuildKey(db: Db, id: string, buildKey: string): Promise<void> {
  await db.comparison.update({ where: { id }, data: { buildKey } });
}

/**
 * Makes comparison `id` show the results of the earlier comparison `from` (the same
 * build): every variant's outcome, layers, run check and analysis, and a note with the
 * link. The variants were planned alike (the same build key), so they match by key.
 */
export async function copyResults(db: Db, id: string, from: string, note: string): Promise<void> {
  const earlier = await db.variant.findMany({ where: { comparisonId: from }, include: { layers: { orderBy: { index: "asc" } } } });
  const current = await db.comparison.findUniqueOrThrow({ where: { id }, select: { notes: true } });
  await db.$transaction([
    ...earlier.map((variant) =>
      db.variant.update({
        where: { comparisonId_key: { comparisonId: id, key: variant.key } },
        data: {
          status: variant.status,
          reason: variant.reason,
          imageId: variant.imageId,
          sizeBytes: variant.sizeBytes,
          compressedBytes: variant.compressedBytes,
          buildSeconds: variant.buildSeconds,
          buildLog: variant.buildLog,
          runVerdict: variant.runVerdict,
          runExitCode: variant.runExitCode,
          runOutput: variant.runOutput,
          runDiagnosis: variant.runDiagnosis,
          analysis: variant.analysis,
          analysisSummary: variant.analysisSummary,
          layers: {
            deleteMany: {},
            create: variant.layers.map(({ index, instruction, sizeBytes, compressedBytes, fromBase, digest }) => ({ index, instruction, sizeBytes, compressedBytes, fromBase, digest })),
          },
        },
      }),
    ),
    db.comparison.update({ where: { id }, data: { reusedFrom: from, notes: JSON.stringify([note, ...(JSON.parse(current.notes) as string[])]) } }),
  ]);
}

/** How each variant ended, for the comparison's outcome (lib/jobs/outcome.ts). */
export async function variantEnds(db: Db, id: string): Promise<Array<{ key: string; status: string; reason: string | null }>> {
  return db.variant.findMany({ where: { comparisonId: id }, select: { key: true, status: true, reason: true }, orderBy: { position: "asc" } });
}

/** No variant is left looking as if it were still on its way. */
export async function settleVariants(db: Db, comparisonId: string, reason: string): Promise<void> {
  await db.variant.updateMany({
    where: { comparisonId, status: { in: ["queued", "building"] } },
    data: { status: "skipped", reason: plainText(reason), runVerdict: "skipped" },
  });
}

export interface VariantRef {
  comparisonId: string;
  key: string;
}

export interface MeasuredLayer {
  index: number;
  instruction: string;
  fromBase: boolean;
  sizeBytes: number;
  compressedBytes: number | null;
  digest: string | null;
}

/** What can happen to a variant; each case carries exactly what it records. */
export type VariantChange =
  | { status: "building" }
  | { status: "skipped"; reason: string }
  | { status: "failed"; reason: string; buildLog?: string; buildSeconds?: number }
  | { status: "log"; buildLog: string; buildSeconds?: number; imageId?: string }
  | { status: "built"; sizeBytes: number; compressedBytes: number; layers: MeasuredLayer[]; analysis?: unknown };

export async function changeVariant(db: Db, ref: VariantRef, change: VariantChange): Promise<void> {
  const where = { comparisonId_key: { comparisonId: ref.comparisonId, key: ref.key } };
  switch (change.status) {
    case "building":
      await db.variant.update({ where, data: { status: "building" } });
      return;
    case "log":
      await db.variant.update({ where, data: { buildLog: plainText(change.buildLog), buildSeconds: change.buildSeconds, imageId: change.imageId } });
      return;
    case "skipped":
      await db.variant.update({ where, data: { status: "skipped", reason: plainText(change.reason), runVerdict: "skipped" } });
      return;
    case "failed":
      await db.variant.update({
        where,
        data: { status: "failed", reason: plainText(change.reason), buildLog: plainText(change.buildLog), buildSeconds: change.buildSeconds, runVerdict: "skipped" },
      });
      return;
    case "built":
      await db.$transaction([
        db.layer.deleteMany({ where: { variant: ref } }),
        db.variant.update({
          where,
          data: {
            status: "built",
            sizeBytes: BigInt(change.sizeBytes),
            compressedBytes: BigInt(change.compressedBytes),
            // The summary is the pages' and the API's: they never read the analysis itself.
            ...(change.analysis === undefined
              ? {}
              : { analysis: JSON.stringify(change.analysis), analysisSummary: summaryColumn(change.analysis) }),
            layers: {
              create: change.layers.map((layer) => ({
                index: layer.index,
                instruction: layer.instruction,
                fromBase: layer.fromBase,
                digest: layer.digest,
                sizeBytes: BigInt(layer.sizeBytes),
                compressedBytes: layer.compressedBytes === null ? null : BigInt(layer.compressedBytes),
              })),
            },
          },
        }),
      ]);
      return;
  }
}

export async function recordRunCheck(db: Db, ref: VariantRef, record: RunCheckRecord): Promise<void> {
  await db.variant.update({
    where: { comparisonId_key: ref },
    data: {
      runVerdict: record.verdict,
      runExitCode: record.exitCode,
      runOutput: plainText(record.output),
      runDiagnosis: record.diagnosis ? JSON.stringify(record.diagnosis) : null,
    },
  });
}

// JSON of the summary; "null" when the analysis has none (an older shape): written either
// way, so the backfill never reads the same analysis twice.
const summaryColumn = (analysis: unknown): string => JSON.stringify(summarizeAnalysis(analysis));

/**
 * Writes the summary column of variants stored before it existed (each analysis is read
 * once, here: afterwards the column is never SQL NULL beside an analysis), a batch at a
 * time; answers how many were written. Run by each worker at start.
 */
/** An engine whose ID changed (lib/jobs/engine-takeover.ts): its comparisons and pending removals move to the new ID. */
export async function takeOverEngine(db: Db, fromEngineId: string, toEngineId: string): Promise<void> {
  await db.$transaction([
    db.comparison.updateMany({ where: { engineId: fromEngineId }, data: { engineId: toEngineId } }),
    db.imageRemoval.updateMany({ where: { engineId: fromEngineId }, data: { engineId: toEngineId } }),
  ]);
}

export async function backfillAnalysisSummaries(db: Db, batch = 50): Promise<number> {
  let written = 0;
  for (let after = 0; ; ) {
    const rows = await db.variant.findMany({
      where: { id: { gt: after }, analysis: { not: null }, analysisSummary: null },
      orderBy: { id: "asc" },
      take: batch,
      select: { id: true, analysis: true },
    });
    if (rows.length === 0) return written;
    for (const row of rows) {
      await db.variant.update({ where: { id: row.id }, data: { analysisSummary: summaryColumn(row.analysis) } });
      written++;
    }
    after = rows[rows.length - 1].id;
  }
}
