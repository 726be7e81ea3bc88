// Which image to ship: the smallest built variant whose run check works. When an even
// smaller image was built but fails (the naive twin, typically), one line says why it is
// not the answer. Pure, next to computeHeadline, which it agrees with on sizes.
import type { DiagnosisCode, VariantView } from "@/lib/comparisons/types";
import { formatBytes } from "@/lib/format";

export interface Recommendation {
  /** The smallest built image that runs; null when none passed its run check. */
  pick: { key: string; sizeBytes: number } | null;
  /** The smallest built image, when it is smaller than the pick and fails to run. */
  smallerFailing: { key: string; sizeBytes: number; code: DiagnosisCode | null } | null;
  /** "Use distroless: 3 MB, runs." */
  text: string;
  /** "scratch-naive is smaller but fails: MISSING_ZONEINFO" */
  caveat: string | null;
}

/** Null while nothing has been built and measured. Ties keep the variants' order. */
export function computeRecommendation(variants: readonly VariantView[]): Recommendation | null {
  const measured = variants.filter(
    (variant): variant is VariantView & { sizeBytes: number } =>
      variant.status === "built" && variant.sizeBytes !== null && Number.isFinite(variant.sizeBytes) && variant.sizeBytes > 0,
  );
  if (measured.length === 0) return null;

  // "same": behaves as the single-stage image does (which itself exits non-zero).
  const pick = smallest(measured.filter((variant) => variant.runCheck?.verdict === "works" || variant.runCheck?.verdict === "same"));
  if (!pick) {
    return { pick: null, smallerFailing: null, text: "No image passed its run check.", caveat: null };
  }

  const smallestBuilt = smallest(measured);
  const failing =
    smallestBuilt && smallestBuilt.sizeBytes < pick.sizeBytes && smallestBuilt.runCheck?.verdict === "fails"
      ? smallestBuilt
      : null;
  const code = failing?.runCheck?.diagnosis?.code ?? null;
  return {
    pick: { key: pick.key, sizeBytes: pick.sizeBytes },
    smallerFailing: failing ? { key: failing.key, sizeBytes: failing.sizeBytes, code } : null,
    text: `Use ${pick.key}: ${formatBytes(pick.sizeBytes)}, runs.`,
    caveat: failing ? `${failing.key} is smaller but fails: ${code ?? "its run check"}` : null,
  };
}

function smallest<T extends { sizeBytes: number }>(items: readonly T[]): T | null {
  let best: T | null = null;
  for (const item of items) if (best === null || item.sizeBytes < best.sizeBytes) best = item;
  return best;
}
