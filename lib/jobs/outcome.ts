// Pure: how a comparison ended, from what happened to its variants. One that built
// nothing did not succeed, whatever the reasons: it fails with NOTHING_BUILT, and when
// every variant failed for the same reason that reason is said once, at the top.
import { causeOf } from "@/lib/comparisons/shared-cause";

export interface VariantEnd {
  key: string;
  status: string;
  reason: string | null;
}

export type Outcome = { status: "succeeded" } | { status: "failed"; error: { code: "NOTHING_BUILT"; message: string } };

export function classifyOutcome(variants: VariantEnd[]): Outcome {
  if (variants.some((v) => v.status === "built")) return { status: "succeeded" };
  if (variants.length === 0) {
    return { status: "failed", error: { code: "NOTHING_BUILT", message: "Nothing was built: no variant was planned for this source." } };
  }
  const causes = new Set(variants.map((v) => causeOf(v.reason)));
  const [only] = causes;
  const message =
    causes.size === 1 && only
      ? `Nothing was built: every variant stopped for the same reason. ${only}`
      : `Nothing was built: ${variants.length === 1 ? "the variant" : `all ${variants.length} variants`} failed or were skipped; each one below says why.`;
  return { status: "failed", error: { code: "NOTHING_BUILT", message } };
}

/**
 * BuildKit runs a step that builds running side by side share once, and shows its output
 * in one build's log only: the other builds fail at the same step with its last line
 * alone ("executor failed running […]: exit code: 1"). Returns, for each failed variant
 * whose reason is only the end of another's, that fuller reason (the compiler's words).
 */
export function fullerReasons(variants: readonly VariantEnd[]): Map<string, string> {
  const failed = variants.filter((v) => v.status === "failed" && v.reason);
  const fuller = new Map<string, string>();
  for (const variant of failed) {
    const reason = variant.reason!.trim();
    const lastLine = reason.split("\n").filter((line) => line.trim()).at(-1) ?? "";
    if (!lastLine) continue;
    const longer = failed
      .map((other) => other.reason!.trim())
      .filter((other) => other.length > reason.length && other.endsWith(lastLine))
      .sort((a, b) => b.length - a.length)[0];
    if (longer) fuller.set(variant.key, longer);
  }
  return fuller;
}
