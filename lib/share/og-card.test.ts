import { describe, expect, it } from "vitest";
import type { ComparisonView, VariantView } from "@/lib/comparisons/types";
import { variantView } from "@/lib/testing/variant-view";
import { ogCard, ogSafeText, shareTitle, shortRepo } from "./og-card";

function variant(key: string, sizeBytes: number | null, extra: Partial<VariantView> = {}): VariantView {
  return variantView(key, { status: sizeBytes === null ? "queued" : "built", sizeBytes, ...extra });
}

function comparison(extra: Partial<ComparisonView>): ComparisonView {
  return {
    id: "abcdefghij",
    status: "succeeded",
    phase: null,
    repo: "https://github.com/owner/name.git",
    ref: null,
    commit: null,
    subdir: null,
    mainPackage: null,
    mainPackages: [],
    module: null,
    goVersion: null,
    needs: { tzdata: false, caRoots: false, cgo: false },
    notes: [],
    reusedFrom: null,
    createdAt: "2026-11-28T00:00:00.000Z",
    finishedAt: null,
    variants: [],
    ...extra,
  };
}

describe("ogCard", () => {
  it("shows the repository, the headline and one bar per built variant, scaled to the largest", () => {
    const card = ogCard(
      comparison({
        variants: [
          variant("single", 726e6),
          variant("scratch-naive", 1.45e6, { runCheck: { verdict: "fails", exitCode: 1, output: "" } }),
          variant("scratch", 1.5e6),
          { ...variant("alpine", null), status: "skipped" },
        ],
      }),
    );
    expect(card.repo).toBe("github.com/owner/name");
    expect(card.title).toBe("726 MB → 1.5 MB");
    expect(card.subtitle).toBe("99.8% smaller (484× smaller): single → scratch");
    expect(card.bars.map((b) => [b.key, b.naive, b.sizeText])).toEqual([
      ["single", false, "726 MB"],
      ["scratch-naive", true, "1.4 MB"],
      ["scratch", false, "1.5 MB"],
    ]);
    expect(card.bars[0].fraction).toBe(1);
    expect(card.bars[2].fraction).toBeCloseTo(1.5 / 726);
  });

  it("says where a comparison without a headline stands", () => {
    const card = ogCard(comparison({ status: "running", variants: [variant("single", 700e6), variant("scratch", null)] }));
    expect([card.title, card.subtitle]).toEqual(["Building… (1 of 2 images built)", null]);
  });
});

describe("shareTitle", () => {
  it.each([
    ["queued", comparison({ status: "queued" }), "Queued…"],
    ["running before analysis", comparison({ status: "running" }), "Building…"],
    ["running", comparison({ status: "running", variants: [variant("single", 700e6), variant("scratch", null)] }), "Building… (1 of 2 images built)"],
    ["failed", comparison({ status: "failed", error: { code: "NOT_GO", message: "No go.mod found." } }), "Failed: No go.mod found."],
    ["canceled", comparison({ status: "canceled" }), "Canceled"],
    ["one image", comparison({ variants: [variant("single", 700e6)] }), "Fewer than two images were built, so there is no size comparison"],
  ])("%s", (_name, input, want) => {
    expect(shareTitle(input)).toBe(want);
  });
});

describe("ogSafeText", () => {
  it.each([
    ["keeps what the built-in font draws", "726 MB → 1.5 MB, 99.8% smaller (484× smaller)", 120, "end", "726 MB → 1.5 MB, 99.8% smaller (484× smaller)"],
    ["replaces what it would have to download", "repo-日本-🚀", 40, "end", "repo-??-?"],
    ["cuts sentences at the end", "abcdefghij", 6, "end", "abcde…"],
    ["cuts repository URLs at the start", "github.com/owner/name", 10, "start", "…wner/name"],
    ["folds line breaks", "a\n  b", 10, "end", "a b"],
  ] as const)("%s", (_name, text, max, cut, want) => {
    expect(ogSafeText(text, max, cut)).toBe(want);
  });
});

describe("shortRepo", () => {
  it.each([
    ["https://github.com/owner/name.git", "github.com/owner/name"],
    ["https://github.com/owner/name/", "github.com/owner/name"],
    ["git://host/x", "git://host/x"],
    ["example:hello", "example:hello"],
  ])("%s → %s", (repo, want) => expect(shortRepo(repo)).toBe(want));
});
