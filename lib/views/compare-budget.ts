// Pure: the size budget a CI job checks. Is a comparison's chosen variant within a given
// number of bytes, and/or within a percentage of the same variant in the previous finished
// comparison of the same repository? The variant is the one asked for, else the smallest
// image that works (the recommendation). Every reason not to answer is a UserError with
// its own code, so a CI log says what to change; parsing the query is budget-query.ts.
import { UserError } from "@/lib/errors";
import { formatBytes } from "@/lib/format";
import { isTerminal, type ComparisonStatus, type VariantView } from "@/lib/comparisons/types";
import { computeRecommendation } from "@/lib/views/recommendation";
import type { BudgetQuery } from "@/lib/views/compare-budget-query";

export interface BudgetSubject {
  id: string;
  status: ComparisonStatus;
  variants: readonly VariantView[];
}

export interface BudgetAnswer {
  ok: boolean;
  variant: string;
  /** Which size is judged: on disk (the default) or compressed (what a pull moves). */
  size: "disk" | "compressed";
  sizeBytes: number;
  /** The tighter of the limits; null when the only limit is a growth with nothing earlier to grow from. */
  limitBytes: number | null;
  previous?: { id: string; sizeBytes: number };
  message: string;
}

/** Seconds a CI job should wait before asking again about a comparison still running. */
export const NOT_FINISHED_RETRY_SECONDS = 15;

export function judgeBudget(subject: BudgetSubject, query: BudgetQuery, previous: BudgetSubject | null): BudgetAnswer {
  if (!isTerminal(subject.status)) {
    throw new UserError("NOT_FINISHED", `Comparison ${subject.id} is still ${subject.status}; ask again when it has finished.`, "conflict", undefined, NOT_FINISHED_RETRY_SECONDS);
  }
  if (subject.status !== "succeeded") {
    throw new UserError("COMPARISON_FAILED", `Comparison ${subject.id} ${subject.status === "canceled" ? "was canceled" : "failed"}, so it has no sizes to judge.`, "conflict");
  }
  const variant = chosenVariant(subject, query.variant);
  const sizeBytes = sizeOf(variant, query.size);
  if (sizeBytes === null) throw new UserError("NOT_MEASURED", `The ${query.size} size of ${variant.key} was not measured.`, "invalid", "size");

  const before = previous?.variants.find((v) => v.key === variant.key && v.status === "built");
  const beforeBytes = before ? sizeOf(before, query.size) : null;
  const limits: Array<{ bytes: number; text: string }> = [];
  if (query.maxBytes !== undefined) limits.push({ bytes: query.maxBytes, text: "maxBytes" });
  if (query.maxGrowthPercent !== undefined && previous && beforeBytes !== null) {
    const bytes = Math.floor(beforeBytes * (1 + query.maxGrowthPercent / 100));
    limits.push({ bytes, text: `${query.maxGrowthPercent}% more than ${exact(beforeBytes)} in ${previous.id}` });
  }
  const limit = limits.reduce<{ bytes: number; text: string } | null>((min, l) => (min === null || l.bytes < min.bytes ? l : min), null);
  const ok = limit === null || sizeBytes <= limit.bytes;
  const what = `${variant.key} is ${exact(sizeBytes)}${query.size === "compressed" ? " compressed" : ""} (${formatBytes(sizeBytes)})`;
  const verdict =
    limit === null
      ? ""
      : ok
        ? `, within the budget of ${exact(limit.bytes)} (${limit.text})`
        : `, ${exact(sizeBytes - limit.bytes)} over the budget of ${exact(limit.bytes)} (${limit.text})`;
  const noPrevious =
    query.maxGrowthPercent !== undefined && beforeBytes === null
      ? ` No earlier finished comparison of this repository built ${variant.key}, so there is no growth to judge.`
      : "";
  const message = `${what}${verdict}.${noPrevious}`;
  return {
    ok,
    variant: variant.key,
    size: query.size,
    sizeBytes,
    limitBytes: limit?.bytes ?? null,
    ...(previous && beforeBytes !== null ? { previous: { id: previous.id, sizeBytes: beforeBytes } } : {}),
    message,
  };
}

function chosenVariant(subject: BudgetSubject, key: string | undefined): VariantView {
  if (key === undefined) {
    const pick = computeRecommendation(subject.variants)?.pick;
    const variant = pick ? subject.variants.find((v) => v.key === pick.key) : undefined;
    if (!variant) {
      throw new UserError("NO_WORKING_VARIANT", `No image of comparison ${subject.id} passed its run check; name the one to judge with ?variant=KEY.`, "invalid", "variant");
    }
    return variant;
  }
  const variant = subject.variants.find((v) => v.key === key);
  if (!variant) {
    const keys = subject.variants.map((v) => v.key).join(", ") || "none";
    throw new UserError("UNKNOWN_VARIANT", `Comparison ${subject.id} has no variant "${key}" (it has: ${keys}).`, "invalid", "variant");
  }
  if (variant.status !== "built") {
    throw new UserError("VARIANT_NOT_BUILT", `${key} was not built (${variant.status}${variant.reason ? `: ${variant.reason}` : ""}).`, "invalid", "variant");
  }
  return variant;
}

// Budgets are set in bytes: the message shows them exactly, grouped for reading.
const exact = (bytes: number): string => `${bytes.toLocaleString("en-US")} ${bytes === 1 ? "byte" : "bytes"}`;

function sizeOf(variant: VariantView, size: BudgetQuery["size"]): number | null {
  const bytes = size === "compressed" ? variant.compressedBytes : variant.sizeBytes;
  return bytes !== null && Number.isFinite(bytes) && bytes > 0 ? bytes : null;
}
