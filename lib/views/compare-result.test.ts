// Assembling the compare view per variant key: sizes with their change, a variant built
// on one side only, and what is said when files or the binary cannot be compared.
import { describe, expect, it } from "vitest";
import { runCheckOf, variantView } from "@/lib/testing/variant-view";
import type { ComparisonView, VariantView } from "@/lib/comparisons/types";
import { compareSides, sizeChange, type CompareSideInput, type CompareVariantInput } from "@/lib/views/compare-result";

const comparison = (id: string, variants: VariantView[]): ComparisonView => ({
  id, status: "succeeded", phase: null, repo: "https://example.com/o/app", ref: null, commit: null, subdir: null, mainPackage: null, mainPackages: [],
  module: null, goVersion: null, needs: { tzdata: false, caRoots: false, cgo: false }, notes: [], reusedFrom: null, createdAt: "2026-11-01T00:00:00.000Z", finishedAt: null, variants,
});

function side(id: string, inputs: Array<Partial<CompareVariantInput> & { view: VariantView }>): CompareSideInput {
  const full = inputs.map((input) => ({
    layers: [],
    files: { known: true as const, files: [{ path: "/app", bytes: input.view.sizeBytes ?? 0 }], fileCount: 1, totalBytes: input.view.sizeBytes ?? 0, truncated: false },
    binary: { missing: `no binary in ${id}` },
    ...input,
  }));
  return { comparison: comparison(id, full.map((v) => v.view)), variants: new Map(full.map((v) => [v.view.key, v])) };
}

describe("sizeChange", () => {
  it.each<[number | null, number | null, number | null, number | null]>([
    [2_000_000, 2_100_000, 100_000, 5],
    [3_000, 1_000, -2_000, -66.7],
    [null, 5, null, null],
    [0, 5, 5, null],
  ])("%s -> %s", (before, after, deltaBytes, deltaPercent) => {
    expect(sizeChange(before, after)).toEqual({ before, after, deltaBytes, deltaPercent });
  });
});

describe("compareSides", () => {
  const built = (key: string, sizeBytes: number) => variantView(key, { sizeBytes, compressedBytes: sizeBytes / 2, runCheck: runCheckOf("works") });

  it("lists every variant key of either side, the newer side's order first", () => {
    const result = compareSides(side("a", [{ view: built("single", 700) }, { view: built("alpine", 9) }]), side("b", [{ view: built("scratch", 2) }, { view: built("single", 710) }]));
    expect(result.variants.map((v) => v.key)).toEqual(["scratch", "single", "alpine"]);
    const single = result.variants.find((v) => v.key === "single");
    expect(single?.sizes.disk).toEqual({ before: 700, after: 710, deltaBytes: 10, deltaPercent: 1.4 });
    expect(single?.files?.grown.map((c) => c.name)).toEqual(["/app"]);
    expect(single?.unavailable).toEqual({ binary: "no binary in a" });
  });

  it("a variant built on one side only has sizes but nothing inside to compare, and says where it is missing", () => {
    const result = compareSides(side("a", [{ view: variantView("scratch", { status: "skipped", reason: "no base" }) }]), side("b", [{ view: built("scratch", 2) }]));
    const [scratch] = result.variants;
    expect(scratch).toMatchObject({ before: { status: "skipped", reason: "no base" }, after: { status: "built", runVerdict: "works" }, layers: null, files: null, binary: null });
    expect(scratch.unavailable.files).toBe("scratch was skipped in a, so there is nothing to compare inside it.");
    const absent = compareSides(side("a", []), side("b", [{ view: built("scratch", 2) }])).variants[0];
    expect(absent.unavailable.layers).toBe("scratch is not among the variants of a, so there is nothing to compare inside it.");
  });

  it("files unknown on either side give that side's reason", () => {
    const unknown = { known: false as const, reason: "a was made before the files of each layer were recorded" };
    const result = compareSides(side("a", [{ view: built("scratch", 1), files: unknown }]), side("b", [{ view: built("scratch", 2) }]));
    expect(result.variants[0].files).toBeNull();
    expect(result.variants[0].unavailable.files).toBe(unknown.reason);
    expect(result.variants[0].layers).not.toBeNull();
  });
});
