// Pure: what the "Make it smaller" page draws from a comparison's advice — the waterfall
// from the single-stage image down to the smallest proven one (each kept step's saving in
// bytes and percent, floating between the size before and after it), the table of every
// step tried (kept, no gain, breaks it, not tried), and the leads; and UPX's cost beside its
// saving: its run time and peak memory against the image it was applied to.
import type { AdviceStepView, AdviceView } from "./types";

export interface WaterfallBar {
  key: string;
  title: string;
  /** "start" and "end" are whole images; "step" floats from `fromBytes` down to `toBytes`. */
  kind: "start" | "step" | "end";
  fromBytes: number;
  toBytes: number;
  savedBytes: number;
  /** Of the size before this step. */
  savedPercent: number;
}

export interface StepRow {
  key: string;
  title: string;
  why: string;
  role: AdviceStepView["role"];
  status: AdviceStepView["status"];
  /** Kept on the chain toward the smallest proven image. */
  kept: boolean;
  verdict: string;
  sizeBytes: number | null;
  compressedBytes: number | null;
  savedBytes: number | null;
  savedPercent: number | null;
  buildSeconds: number | null;
  startMs: number | null;
  /** What the step costs at run time against the step it applies to (UPX); null for the others. */
  cost: StepCost | null;
  reason: string | null;
  diagnosis: AdviceStepView["diagnosis"];
  patch: string | null;
  command: string | null;
  dockerfile: string | null;
}

/** Measured, not estimated: null where a figure was not measured (the step's reason says why). */
export interface StepCost {
  /** The run check's wall time, median of three runs (not for a server: it runs until it answers). */
  startMs: number | null;
  /** The run check container's peak memory. */
  memoryBytes: number | null;
  /** The same of the image the step was applied to. */
  without: { key: string; startMs: number | null; memoryBytes: number | null };
}

/** Steps whose run-time cost is measured against the step before them. */
const COSTED = new Set(["upx"]);

export interface Waterfall {
  bars: WaterfallBar[];
  rows: StepRow[];
  leads: AdviceStepView[];
  /** Advice on the repository's own Dockerfile (repo-steps.ts). */
  repo: AdviceStepView[];
  /** The last kept step: the smallest image proven to work. */
  smallest: { key: string; title: string; sizeBytes: number; compressedBytes: number | null; dockerfile: string | null } | null;
  /** From the single-stage image to the smallest proven one. */
  total: { fromBytes: number; toBytes: number; savedBytes: number; savedPercent: number } | null;
  /** Steps still to be built (the advice is running). */
  pending: number;
}

const VERDICT: Record<AdviceStepView["status"], string> = {
  planned: "waiting",
  building: "building…",
  works: "works",
  "no-gain": "works, saves nothing",
  breaks: "tried, breaks it",
  failed: "did not build",
  "not-tried": "not tried",
  lead: "lead",
};

const percent = (saved: number, of: number) => (of > 0 ? Math.round((saved / of) * 1000) / 10 : 0);

export function buildWaterfall(advice: Pick<AdviceView, "steps">): Waterfall {
  const start = advice.steps.find((s) => s.role === "start" && s.sizeBytes !== null);
  const bars: WaterfallBar[] = [];
  const rows: StepRow[] = [];
  let current = start ? start : null;
  if (start) bars.push({ key: start.key, title: start.title, kind: "start", fromBytes: start.sizeBytes!, toBytes: 0, savedBytes: 0, savedPercent: 0 });
  for (const step of advice.steps) {
    if (step.role === "lead" || step.role === "start" || step.role === "repo") continue;
    const before = current?.sizeBytes ?? null;
    const saved = before !== null && step.sizeBytes !== null ? before - step.sizeBytes : null;
    const kept = step.role === "chain" && step.status === "works" && saved !== null && saved > 0;
    rows.push({
      key: step.key,
      title: step.title,
      why: step.why,
      role: step.role,
      status: step.status,
      kept,
      verdict: VERDICT[step.status],
      sizeBytes: step.sizeBytes,
      compressedBytes: step.compressedBytes,
      savedBytes: saved,
      savedPercent: saved !== null && before !== null ? percent(saved, before) : null,
      buildSeconds: step.buildSeconds,
      startMs: step.startMs,
      cost:
        COSTED.has(step.key) && current && (step.status === "works" || step.status === "no-gain")
          ? { startMs: step.startMs, memoryBytes: step.memoryBytes, without: { key: current.key, startMs: current.startMs, memoryBytes: current.memoryBytes } }
          : null,
      reason: step.reason,
      diagnosis: step.diagnosis,
      patch: step.patch,
      command: step.command,
      dockerfile: step.dockerfile,
    });
    if (kept && before !== null) {
      bars.push({ key: step.key, title: step.title, kind: "step", fromBytes: before, toBytes: step.sizeBytes!, savedBytes: saved!, savedPercent: percent(saved!, before) });
      current = step;
    }
  }
  const smallest = current && start && current.key !== start.key ? { key: current.key, title: current.title, sizeBytes: current.sizeBytes!, compressedBytes: current.compressedBytes, dockerfile: current.dockerfile } : null;
  if (smallest) bars.push({ key: `${smallest.key}:end`, title: "Smallest proven", kind: "end", fromBytes: smallest.sizeBytes, toBytes: 0, savedBytes: 0, savedPercent: 0 });
  const total =
    start && smallest
      ? { fromBytes: start.sizeBytes!, toBytes: smallest.sizeBytes, savedBytes: start.sizeBytes! - smallest.sizeBytes, savedPercent: percent(start.sizeBytes! - smallest.sizeBytes, start.sizeBytes!) }
      : null;
  return {
    bars,
    rows,
    leads: advice.steps.filter((s) => s.role === "lead"),
    repo: advice.steps.filter((s) => s.role === "repo"),
    smallest,
    total,
    pending: advice.steps.filter((s) => s.status === "planned" || s.status === "building").length,
  };
}

/** The bars after the first step (multi-stage), whose saving dwarfs the rest: the page's zoomed chart. */
export function zoomedBars(waterfall: Waterfall): WaterfallBar[] {
  const steps = waterfall.bars.filter((b) => b.kind === "step");
  if (steps.length < 2) return [];
  const first = steps[0];
  return [{ key: first.key, title: first.title, kind: "start", fromBytes: first.toBytes, toBytes: 0, savedBytes: 0, savedPercent: 0 }, ...waterfall.bars.slice(waterfall.bars.indexOf(first) + 1)];
}
