// Pure: what the CI budget says when an image is over budget — the proven steps of the
// advice, in the order of its waterfall, that would bring it under: the first steps whose
// image is within the limit (or all of them, with `fits: false`, when even the smallest
// proven image is over). Sizes on disk or compressed, as the budget was asked.
import type { AdviceView } from "./types";
import { buildWaterfall } from "./waterfall";

export interface BudgetAdvice {
  /** Whether the smallest proven image is within the limit. */
  fits: boolean;
  /** The size after the steps listed. */
  sizeBytes: number;
  steps: Array<{ key: string; title: string; sizeBytes: number; patch: string | null; command: string | null }>;
  /** Where every step and its Dockerfile are. */
  url: string;
}

export function adviceForBudget(advice: Pick<AdviceView, "id" | "status" | "steps">, limitBytes: number, size: "disk" | "compressed"): BudgetAdvice | null {
  if (advice.status !== "done") return null;
  const kept = buildWaterfall(advice).rows.filter((row) => row.kept);
  const sizeOf = (row: (typeof kept)[number]) => (size === "compressed" ? row.compressedBytes : row.sizeBytes);
  const steps: BudgetAdvice["steps"] = [];
  for (const row of kept) {
    const bytes = sizeOf(row);
    if (bytes === null) return null;
    steps.push({ key: row.key, title: row.title, sizeBytes: bytes, patch: row.patch, command: row.command });
    if (bytes <= limitBytes) return { fits: true, sizeBytes: bytes, steps, url: `/c/${advice.id}/smaller` };
  }
  if (steps.length === 0) return null;
  return { fits: false, sizeBytes: steps[steps.length - 1].sizeBytes, steps, url: `/c/${advice.id}/smaller` };
}
