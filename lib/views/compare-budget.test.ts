// The CI size budget: limits in bytes and in growth against the previous comparison, the
// variant judged by default, and a specific error for every reason not to answer.
import { describe, expect, it } from "vitest";
import { UserError } from "@/lib/errors";
import { runCheckOf, variantView } from "@/lib/testing/variant-view";
import type { ComparisonStatus, VariantView } from "@/lib/comparisons/types";
import { judgeBudget, type BudgetSubject } from "@/lib/views/compare-budget";
import { parseBudgetQuery } from "@/lib/views/compare-budget-query";

const v = (key: string, sizeBytes: number, verdict: "works" | "fails", fields: Partial<VariantView> = {}) =>
  variantView(key, { sizeBytes, compressedBytes: Math.round(sizeBytes / 2), runCheck: runCheckOf(verdict), ...fields });
const subject = (id: string, variants: VariantView[], status: ComparisonStatus = "succeeded"): BudgetSubject => ({ id, status, variants });

const now = subject("new1", [v("single", 726_000_000, "works"), v("scratch", 2_100_000, "works"), v("scratch-naive", 1_900_000, "fails"), v("distroless", 3_000_000, "works")]);
const earlier = subject("old1", [v("single", 720_000_000, "works"), v("scratch", 2_000_000, "works"), v("distroless", 2_900_000, "works")]);

const query = (text: string) => parseBudgetQuery(new URLSearchParams(text));

describe("judgeBudget", () => {
  it.each<[string, string, BudgetSubject | null, { ok: boolean; variant: string; sizeBytes: number; limitBytes: number | null; previous?: unknown; message: RegExp }]>([
    ["within maxBytes, the smallest working variant by default", "maxBytes=2500000", earlier, { ok: true, variant: "scratch", sizeBytes: 2_100_000, limitBytes: 2_500_000, previous: { id: "old1", sizeBytes: 2_000_000 }, message: /within the budget/ }],
    ["over maxBytes by the difference", "maxBytes=2000000", null, { ok: false, variant: "scratch", sizeBytes: 2_100_000, limitBytes: 2_000_000, message: /^scratch is 2,100,000 bytes \(2.1 MB\), 100,000 bytes over the budget of 2,000,000 bytes \(maxBytes\)\.$/ }],
    ["growth within 10% of the previous", "maxGrowthPercent=10", earlier, { ok: true, variant: "scratch", sizeBytes: 2_100_000, limitBytes: 2_200_000, previous: { id: "old1", sizeBytes: 2_000_000 }, message: /within the budget of 2,200,000 bytes \(10% more than 2,000,000 bytes in old1\)/ }],
    ["growth over 2%", "maxGrowthPercent=2", earlier, { ok: false, variant: "scratch", sizeBytes: 2_100_000, limitBytes: 2_040_000, previous: { id: "old1", sizeBytes: 2_000_000 }, message: /over the budget/ }],
    ["both limits: the tighter applies", "maxBytes=2050000&maxGrowthPercent=10", earlier, { ok: false, variant: "scratch", sizeBytes: 2_100_000, limitBytes: 2_050_000, previous: { id: "old1", sizeBytes: 2_000_000 }, message: /50,000 bytes over the budget of 2,050,000 bytes \(maxBytes\)/ }],
    ["a named variant", "variant=distroless&maxBytes=3000000", earlier, { ok: true, variant: "distroless", sizeBytes: 3_000_000, limitBytes: 3_000_000, previous: { id: "old1", sizeBytes: 2_900_000 }, message: /^distroless is 3,000,000 bytes \(3 MB\), within/ }],
    ["a failing variant may be judged when named", "variant=scratch-naive&maxBytes=1000000", earlier, { ok: false, variant: "scratch-naive", sizeBytes: 1_900_000, limitBytes: 1_000_000, message: /over/ }],
    ["the compressed size", "size=compressed&maxBytes=1100000", null, { ok: true, variant: "scratch", sizeBytes: 1_050_000, limitBytes: 1_100_000, message: /^scratch is 1,050,000 bytes compressed/ }],
    ["growth with no previous comparison passes and says why", "maxGrowthPercent=5", null, { ok: true, variant: "scratch", sizeBytes: 2_100_000, limitBytes: null, message: /no growth to judge/ }],
    ["growth when the previous did not build that variant", "variant=scratch-naive&maxGrowthPercent=5", earlier, { ok: true, variant: "scratch-naive", sizeBytes: 1_900_000, limitBytes: null, message: /no growth to judge/ }],
  ])("%s", (_name, text, previous, expected) => {
    const answer = judgeBudget(now, query(text), previous);
    const { message, ...rest } = expected;
    expect(answer).toMatchObject(rest);
    if (previous === null || !("previous" in expected)) expect(answer.previous).toBeUndefined();
    expect(answer.message).toMatch(message);
  });

  it.each<[string, BudgetSubject, string, string, number | undefined]>([
    ["a comparison still running", subject("r", [], "running"), "maxBytes=1", "NOT_FINISHED", 15],
    ["a queued one", subject("q", [], "queued"), "maxBytes=1", "NOT_FINISHED", 15],
    ["a failed one", subject("f", [], "failed"), "maxBytes=1", "COMPARISON_FAILED", undefined],
    ["an unknown variant", now, "variant=alpine&maxBytes=1", "UNKNOWN_VARIANT", undefined],
    ["a variant that was not built", subject("s", [v("single", 1, "works"), variantView("alpine", { status: "skipped", reason: "no base image" })]), "variant=alpine&maxBytes=1", "VARIANT_NOT_BUILT", undefined],
    ["no variant works and none is named", subject("n", [v("single", 700, "fails"), v("scratch", 2, "fails")]), "maxBytes=1", "NO_WORKING_VARIANT", undefined],
  ])("refuses %s", (_name, comparison, text, code, retryAfter) => {
    let error: unknown;
    try {
      judgeBudget(comparison, query(text), null);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).code).toBe(code);
    expect((error as UserError).retryAfterSeconds).toBe(retryAfter);
  });
});

describe("parseBudgetQuery", () => {
  it.each<[string, object]>([
    ["maxBytes=5000000", { size: "disk", maxBytes: 5_000_000 }],
    ["maxGrowthPercent=12.5&variant=scratch", { size: "disk", maxGrowthPercent: 12.5, variant: "scratch" }],
    ["maxGrowthPercent=0&size=compressed", { size: "compressed", maxGrowthPercent: 0 }],
  ])("reads %s", (text, expected) => {
    expect(parseBudgetQuery(new URLSearchParams(text))).toEqual(expected);
  });

  it.each<[string, string, string]>([
    ["", "NO_LIMIT", "maxBytes"],
    ["variant=scratch", "NO_LIMIT", "maxBytes"],
    ["maxBytes=0", "INVALID_MAX_BYTES", "maxBytes"],
    ["maxBytes=5MB", "INVALID_MAX_BYTES", "maxBytes"],
    ["maxBytes=-3", "INVALID_MAX_BYTES", "maxBytes"],
    ["maxBytes=1.5", "INVALID_MAX_BYTES", "maxBytes"],
    ["maxGrowthPercent=-1", "INVALID_MAX_GROWTH_PERCENT", "maxGrowthPercent"],
    ["maxGrowthPercent=ten", "INVALID_MAX_GROWTH_PERCENT", "maxGrowthPercent"],
    ["maxGrowthPercent=20000", "INVALID_MAX_GROWTH_PERCENT", "maxGrowthPercent"],
    ["maxBytes=1&variant=Scratch!", "INVALID_VARIANT", "variant"],
    ["maxBytes=1&size=gzip", "INVALID_SIZE", "size"],
    ["maxBytes=1&maxBytes=2", "DUPLICATE_PARAMETER", "maxBytes"],
  ])("refuses %j", (text, code, field) => {
    expect(() => parseBudgetQuery(new URLSearchParams(text))).toThrow(expect.objectContaining({ code, field, kind: "invalid" }));
  });
});
