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
