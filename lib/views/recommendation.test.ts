import { describe, expect, it } from "vitest";
import { runCheckOf, variantView } from "@/lib/testing/variant-view";
import { computeRecommendation } from "@/lib/views/recommendation";
import type { DiagnosisCode, RunVerdict, VariantStatus, VariantView } from "@/lib/comparisons/types";

function variant(
  key: string,
  sizeBytes: number | null,
  verdict: RunVerdict | null,
  options: { status?: VariantStatus; code?: DiagnosisCode } = {},
): VariantView {
  return variantView(key, { status: options.status ?? "built", sizeBytes, runCheck: runCheckOf(verdict, options.code) });
}

describe("computeRecommendation", () => {
  const cases: Array<{ name: string; variants: VariantView[]; text: string | null; caveat?: string | null; pick?: string | null }> = [
    {
      name: "the article: the naive scratch image is smaller but cannot load Berlin's zone",
      variants: [
        variant("single", 726_000_000, "works"),
        variant("scratch", 1_500_000, "works"),
        variant("scratch-naive", 1_450_000, "fails", { code: "MISSING_ZONEINFO" }),
        variant("distroless", 3_050_000, "works"),
      ],
      pick: "scratch",
      text: "Use scratch: 1.5 MB, runs.",
      caveat: "scratch-naive is smaller but fails: MISSING_ZONEINFO",
    },
    {
      name: "a larger working image when both small ones fail; the caveat names the smallest",
      variants: [
        variant("single", 726_000_000, "works"),
        variant("scratch", 1_500_000, "fails", { code: "MISSING_CA_ROOTS" }),
        variant("scratch-naive", 1_400_000, "fails", { code: "MISSING_ZONEINFO" }),
        variant("distroless", 3_000_000, "works"),
      ],
      pick: "distroless",
      text: "Use distroless: 3 MB, runs.",
      caveat: "scratch-naive is smaller but fails: MISSING_ZONEINFO",
    },
    {
      name: "the smallest image works: no caveat, even with a failing one in between",
      variants: [
        variant("alpine", 8_150_000, "works"),
        variant("alpine-naive", 9_000_000, "fails", { code: "MISSING_ZONEINFO" }),
        variant("scratch", 2_000_000, "works"),
      ],
      pick: "scratch",
      text: "Use scratch: 2 MB, runs.",
      caveat: null,
    },
    {
      name: "a failure without a diagnosis still says it fails",
      variants: [variant("single", 800_000_000, "works"), variant("scratch", 1_000_000, "fails")],
      pick: "single",
      text: "Use single: 800 MB, runs.",
      caveat: "scratch is smaller but fails: its run check",
    },
    {
      name: "a smaller image not yet checked (or skipped) is neither the pick nor a caveat",
      variants: [variant("single", 726_000_000, "works"), variant("scratch", 1_500_000, null), variant("distroless", 1_000_000, "skipped")],
      pick: "single",
      text: "Use single: 726 MB, runs.",
      caveat: null,
    },
    {
      name: "only built, measured variants count, whatever their verdict says",
      variants: [
        variant("alpine", 8_000_000, "works", { status: "failed" }),
        variant("repo", 1_000, "works", { status: "skipped" }),
        variant("scratch", 0, "works"),
        variant("single", null, "works"),
        variant("distroless", 3_000_000, "works"),
      ],
      pick: "distroless",
      text: "Use distroless: 3 MB, runs.",
      caveat: null,
    },
    {
      name: "equal sizes keep the variants' order",
      variants: [variant("alpine", 5_000_000, "works"), variant("scratch", 5_000_000, "works")],
      pick: "alpine",
      text: "Use alpine: 5 MB, runs.",
      caveat: null,
    },
    {
      name: "nothing works",
      variants: [variant("single", 726_000_000, "fails", { code: "DYNAMIC_LINKING" }), variant("scratch", 1_000_000, "fails")],
      pick: null,
      text: "No image passed its run check.",
      caveat: null,
    },
    { name: "nothing measured yet", variants: [variant("single", null, null, { status: "building" })], text: null },
    { name: "no variants", variants: [], text: null },
  ];

  it.each(cases)("$name", ({ variants, text, caveat, pick }) => {
    const recommendation = computeRecommendation(variants);
    if (text === null) {
      expect(recommendation).toBeNull();
      return;
    }
    expect(recommendation?.text).toBe(text);
    expect(recommendation?.caveat).toBe(caveat);
    expect(recommendation?.pick?.key ?? null).toBe(pick);
  });

  it("names the failing image's size and diagnosis separately", () => {
    const recommendation = computeRecommendation([
      variant("scratch", 1_500_000, "works"),
      variant("scratch-naive", 1_450_000, "fails", { code: "MISSING_ZONEINFO" }),
    ]);
    expect(recommendation).toMatchObject({
      pick: { key: "scratch", sizeBytes: 1_500_000 },
      smallerFailing: { key: "scratch-naive", sizeBytes: 1_450_000, code: "MISSING_ZONEINFO" },
    });
  });
});
