// The vocabulary of "Make it smaller, proven": the advice's states, its steps as the API
// returns them (GET /api/comparisons/<id>/advice) and the page renders them, and its figures.
import type { DiagnosisCode } from "@/lib/comparisons/types";

/** null in the database: a comparison made before advice existed. canceled: by the comparison's owner. */
export const ADVICE_STATUSES = ["queued", "running", "done", "failed", "skipped", "off", "canceled"] as const;
export type AdviceStatus = (typeof ADVICE_STATUSES)[number];

/**
 * planned / building: not yet known. works: built, proven and smaller. no-gain: works but
 * saves nothing. breaks: built, but the run check fails against the single-stage image.
 * failed: did not build. not-tried: with the reason. lead: bytes only the user's code can cut.
 */
export const STEP_STATUSES = ["planned", "building", "works", "no-gain", "breaks", "failed", "not-tried", "lead"] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

export type StepRole = "chain" | "alternative" | "lead" | "start" | "repo";

export interface AdviceStepView {
  key: string;
  role: StepRole;
  title: string;
  why: string;
  status: StepStatus;
  reason: string | null;
  sizeBytes: number | null;
  compressedBytes: number | null;
  buildSeconds: number | null;
  /** The run check's wall time (ms, median of a few runs); set where a cost is shown (UPX). */
  startMs: number | null;
  memoryBytes: number | null;
  /** The step's whole Dockerfile, as a reader copies it. */
  dockerfile: string | null;
  /** A unified diff from the step before it, or the build command of a flag. */
  patch: string | null;
  command: string | null;
  diagnosis: { code: DiagnosisCode; message: string; fix: string } | null;
  runOutput: string | null;
}

export interface AdviceSummary {
  /** The stripped binary plus the data it needs (or the binary with embedded time zones). */
  limitBytes: number | null;
  limitWhat: string | null;
  /** Worker time the advice took, and the comparison's own (start to finish). */
  adviceSeconds: number | null;
  comparisonSeconds: number | null;
  /** Build seconds of the candidates: all of them, and the first build of each (cold cache) when known. */
  buildSeconds: number | null;
}

export interface AdviceView {
  id: string;
  comparisonStatus: string;
  status: AdviceStatus | null;
  phase: string | null;
  error: string | null;
  summary: AdviceSummary | null;
  steps: AdviceStepView[];
}
