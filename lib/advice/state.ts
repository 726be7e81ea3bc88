// The one writer of the advice's state: the comparison's advice columns and its
// AdviceStep rows. The runner (runner.ts) decides what happened; this module writes it.
// Writes are conditional on the comparison still existing (a delete may come first).
import type { Db } from "@/lib/db";
import { plainText } from "@/lib/plain-text";
import type { AdviceStatus, AdviceSummary, StepRole, StepStatus } from "./types";

export interface PlannedStep {
  key: string;
  role: StepRole;
  title: string;
  why: string;
  status: StepStatus;
  reason?: string | null;
  sizeBytes?: number | null;
  compressedBytes?: number | null;
  buildSeconds?: number | null;
  dockerfile?: string | null;
  patch?: string | null;
  command?: string | null;
}

export interface StepOutcome {
  status?: StepStatus;
  reason?: string | null;
  sizeBytes?: number | null;
  compressedBytes?: number | null;
  buildSeconds?: number | null;
  startMs?: number | null;
  memoryBytes?: number | null;
  dockerfile?: string | null;
  patch?: string | null;
  command?: string | null;
  diagnosis?: { code: string; message: string; fix: string } | null;
  runOutput?: string | null;
}

/** Claims the advice of a succeeded comparison: only one worker (and only once) moves it from queued to running. */
export async function startAdvice(db: Db, id: string): Promise<boolean> {
  const { count } = await db.comparison.updateMany({
    where: { id, status: "succeeded", adviceStatus: "queued" },
    data: { adviceStatus: "running", advicePhase: "planning", adviceError: null },
  });
  return count === 1;
}

export async function setAdvicePhase(db: Db, id: string, phase: string): Promise<void> {
  await db.comparison.updateMany({ where: { id, adviceStatus: "running" }, data: { advicePhase: phase } });
}

/**
 * The end of the advice: done, failed, skipped or canceled (with why), or off (asked not
 * to, or this server's setting). Steps still planned or building when it stops are not tried.
 */
export async function finishAdvice(
  db: Db,
  id: string,
  status: Exclude<AdviceStatus, "queued" | "running">,
  details: { error?: string | null; summary?: AdviceSummary | null } = {},
): Promise<void> {
  await db.comparison.updateMany({
    where: { id },
    data: {
      adviceStatus: status,
      advicePhase: null,
      adviceError: plainText(details.error ?? undefined) ?? null,
      ...(details.summary ? { adviceSummary: JSON.stringify(details.summary) } : {}),
    },
  });
  if (status === "failed" || status === "canceled") {
    await db.adviceStep.updateMany({
      where: { comparisonId: id, status: { in: ["planned", "building"] } },
      data: { status: "not-tried", reason: status === "canceled" ? "Not tried: the advice was canceled." : "Not tried: the advice stopped before it." },
    });
  }
}

/**
 * The owner cancels the advice of a finished comparison: queued, it ends at once; running,
 * a cancel request is written to the row for the worker running it (lib/jobs/queue.ts
 * aborts it, the runner records "canceled"). Null when there is no advice to cancel.
 */
export async function requestAdviceCancel(db: Db, id: string): Promise<"canceled" | "running" | null> {
  const queued = await db.comparison.updateMany({
    where: { id, status: "succeeded", adviceStatus: "queued" },
    data: { adviceStatus: "canceled", advicePhase: null, adviceError: CANCELED },
  });
  if (queued.count === 1) return "canceled";
  const running = await db.comparison.updateMany({ where: { id, status: "succeeded", adviceStatus: "running" }, data: { cancelRequested: true } });
  return running.count === 1 ? "running" : null;
}

export const CANCELED = "The advice was canceled by the comparison's owner.";

/** One planned step as its row, at `position`. */
const stepRow = (id: string, step: PlannedStep, position: number) => ({
  comparisonId: id,
  position,
  key: step.key,
  role: step.role,
  title: step.title,
  why: step.why,
  status: step.status,
  reason: step.reason ?? null,
  sizeBytes: big(step.sizeBytes),
  compressedBytes: big(step.compressedBytes),
  buildSeconds: step.buildSeconds ?? null,
  dockerfile: step.dockerfile ?? null,
  patch: step.patch ?? null,
  command: step.command ?? null,
});

/** Replaces the steps with the plan (a retried advice starts again). */
export async function recordSteps(db: Db, id: string, steps: PlannedStep[]): Promise<void> {
  await db.$transaction([
    db.adviceStep.deleteMany({ where: { comparisonId: id } }),
    db.adviceStep.createMany({ data: steps.map((step, position) => stepRow(id, step, position)) }),
  ]);
}

/** The leads again, once the import graph is known (which ones, and the chain to each). */
export async function replaceLeads(db: Db, id: string, leads: PlannedStep[]): Promise<void> {
  await db.adviceStep.deleteMany({ where: { comparisonId: id, role: "lead" } });
  await addSteps(db, id, leads);
}

/** Steps found after the plan (the repository's own Dockerfile), added after the others. */
export async function addSteps(db: Db, id: string, steps: PlannedStep[]): Promise<void> {
  if (steps.length === 0) return;
  const last = await db.adviceStep.aggregate({ where: { comparisonId: id }, _max: { position: true } });
  const from = (last._max.position ?? -1) + 1;
  await db.adviceStep.createMany({ data: steps.map((step, i) => stepRow(id, step, from + i)) });
}

export async function changeStep(db: Db, id: string, key: string, outcome: StepOutcome): Promise<void> {
  const { diagnosis, sizeBytes, compressedBytes, memoryBytes, runOutput, reason, ...rest } = outcome;
  await db.adviceStep.updateMany({
    where: { comparisonId: id, key },
    data: {
      ...rest,
      ...(reason !== undefined ? { reason: plainText(reason ?? undefined) ?? null } : {}),
      ...(sizeBytes !== undefined ? { sizeBytes: big(sizeBytes) } : {}),
      ...(compressedBytes !== undefined ? { compressedBytes: big(compressedBytes) } : {}),
      ...(memoryBytes !== undefined ? { memoryBytes: big(memoryBytes) } : {}),
      ...(diagnosis !== undefined ? { diagnosis: diagnosis ? JSON.stringify(diagnosis) : null } : {}),
      ...(runOutput !== undefined ? { runOutput: runOutput === null ? null : (plainText(runOutput.slice(0, 4000)) ?? null) } : {}),
    },
  });
}

/** Advice left running on this engine by a worker that stopped (restart, crash): failed, so a page never waits for it. */
export async function failInterruptedAdvice(db: Db, engineId: string): Promise<number> {
  const { count } = await db.comparison.updateMany({
    where: { adviceStatus: "running", engineId },
    data: { adviceStatus: "failed", advicePhase: null, adviceError: "The worker giving this advice stopped before it finished." },
  });
  return count;
}

const big = (n: number | null | undefined) => (n === null || n === undefined ? null : BigInt(Math.round(n)));
