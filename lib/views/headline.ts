// The one-line answer at the top of a comparison page: the largest built image against
// the smallest, as "726 MB → 1.5 MB, 99.8% smaller (484× smaller)". Pure, so the page
// and any later badge or preview image say exactly the same thing.
import type { VariantView } from "@/lib/comparisons/types";
import { formatBytes, formatRatio, formatReduction } from "@/lib/format";

export interface HeadlineVariant {
  key: string;
  sizeBytes: number;
}

export interface Headline {
  largest: HeadlineVariant;
  smallest: HeadlineVariant;
  /** "99.8%" */
  reduction: string;
  /** "484×" */
  ratio: string;
  /** "726 MB → 1.5 MB, 99.8% smaller (484× smaller)" */
  text: string;
}

/** What the headline reads of a variant. */
export type HeadlineInput = Pick<VariantView, "key" | "status" | "sizeBytes"> & { runCheck?: Pick<NonNullable<VariantView["runCheck"]>, "verdict"> | null };

/**
 * Largest built variant → smallest working one (with `includeFailing`, of every built
 * one: the page still compares sizes when no image passed its run check). Only variants that were built and
 * measured count (a size of 0 means "not measured", not an empty image), and an image
 * whose run check failed is never the small end: a broken image is no answer. Returns
 * null when fewer than two qualify. Ties keep the variants' order.
 */
export function computeHeadline(variants: readonly HeadlineInput[], options: { includeFailing?: boolean } = {}): Headline | null {
  const measured: HeadlineVariant[] = [];
  for (const variant of variants) {
    const size = variant.sizeBytes;
    if (variant.status !== "built" || size === null || !Number.isFinite(size) || size <= 0) continue;
    if (variant.runCheck?.verdict === "fails" && !options.includeFailing) continue;
    measured.push({ key: variant.key, sizeBytes: size });
  }
  if (measured.length < 2) return null;

  let largest = measured[0];
  let smallest = measured[0];
  for (const candidate of measured.slice(1)) {
    if (candidate.sizeBytes > largest.sizeBytes) largest = candidate;
    if (candidate.sizeBytes < smallest.sizeBytes) smallest = candidate;
  }
  // All the same size: still two distinct variants, so the line names two of them.
  if (largest === smallest) smallest = measured[1];

  const reduction = formatReduction(largest.sizeBytes, smallest.sizeBytes);
  const ratio = formatRatio(largest.sizeBytes, smallest.sizeBytes);
  const text =
    `${formatBytes(largest.sizeBytes)} → ${formatBytes(smallest.sizeBytes)}, ` +
    `${reduction} smaller (${ratio} smaller)`;
  return { largest, smallest, reduction, ratio, text };
}
