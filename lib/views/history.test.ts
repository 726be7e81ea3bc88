import { describe, expect, it } from "vitest";
import { historyHeadline, historySeries, lineStyle, type HistoryItem, type HistoryVariant } from "@/lib/views/history";

const v = (key: string, sizeBytes: number | null, extra: Partial<HistoryVariant> = {}): HistoryVariant => ({
  key,
  naive: key.endsWith("-naive"),
  status: sizeBytes === null ? "failed" : "built",
  sizeBytes,
  runVerdict: null,
  ...extra,
});

const item = (id: string, createdAt: string, variants: HistoryVariant[], extra: Partial<HistoryItem> = {}): HistoryItem => ({
  id,
  status: "succeeded",
  repo: "https://github.com/owner/name",
  ref: null,
  commit: null,
  createdAt,
  finishedAt: null,
  variants,
  ...extra,
});

describe("historySeries", () => {
  it("puts the oldest comparison first and gives every variant key one line", () => {
    const newestFirst = [
      item("c3", "2026-11-03T10:00:00.000Z", [v("single", 700e6), v("scratch", 2e6), v("scratch-naive", 1.9e6)], { commit: "cccccccccccc" }),
      item("c2", "2026-11-02T10:00:00.000Z", [v("single", 710e6), v("distroless", 4e6)]),
      item("c1", "2026-11-01T10:00:00.000Z", [v("scratch-naive", 1.8e6), v("single", 720e6), v("scratch", 2.1e6)], { commit: "aaaaaaaaaaaa" }),
    ];
    const { points, lines } = historySeries(newestFirst);
    expect(points.map((p) => p.id)).toEqual(["c1", "c2", "c3"]);
    expect(points.map((p) => p.label)).toEqual(["aaaaaaa", "11-02 10:00", "ccccccc"]);
    expect(points.map((p) => p.commit)).toEqual(["aaaaaaa", null, "ccccccc"]);
    expect(points[0].sizes).toEqual({ "scratch-naive": 1.8e6, single: 720e6, scratch: 2.1e6 });
    // Variant order, each naive twin after its fixed variant, whatever order they came in.
    expect(lines.map((l) => l.key)).toEqual(["single", "scratch", "scratch-naive", "distroless"]);
    expect(lines.find((l) => l.key === "scratch-naive")).toMatchObject({ naive: true, color: "#d08a00" });
  });

  it.each([
    ["a comparison that built nothing", [item("q", "2026-11-01T00:00:00.000Z", [], { status: "queued" })]],
    ["failed and unmeasured variants", [item("f", "2026-11-01T00:00:00.000Z", [v("single", null), v("scratch", 0)])]],
    ["no comparisons at all", []],
  ])("draws no point for %s", (_name, items) => {
    expect(historySeries(items)).toEqual({ points: [], lines: [] });
  });

  it("keeps a variant that only some comparisons built as one line with gaps", () => {
    const { points, lines } = historySeries([
      item("b", "2026-11-02T00:00:00.000Z", [v("single", 700e6), v("repo", 30e6)]),
      item("a", "2026-11-01T00:00:00.000Z", [v("single", 710e6)]),
    ]);
    expect(lines.map((l) => l.key)).toEqual(["single", "repo"]);
    expect(points.map((p) => p.sizes.repo)).toEqual([undefined, 30e6]);
  });
});

describe("lineStyle", () => {
  it.each([
    ["single", false, "#444c56", undefined],
    ["scratch", false, "#0b63ce", undefined],
    ["scratch-naive", true, "#d08a00", "6 3"],
    ["alpine-naive", true, "#d08a00", "2 3"],
    ["other-naive", true, "#d08a00", "4 4"],
  ])("%s", (key, naive, color, dash) => {
    expect(lineStyle(key, naive)).toEqual({ color, dash });
  });

  it("gives an unknown key a stable colour", () => {
    expect(lineStyle("custom", false)).toEqual(lineStyle("custom", false));
    expect(lineStyle("custom", false).color).toMatch(/^#[0-9a-f]{6}$/);
  });
});

describe("historyHeadline", () => {
  it("says what the comparison page says, ignoring an image that fails its run check", () => {
    const headline = historyHeadline(
      item("x", "2026-11-01T00:00:00.000Z", [
        v("single", 726e6, { runVerdict: "works" }),
        v("scratch-naive", 1.45e6, { runVerdict: "fails" }),
        v("scratch", 1.5e6, { runVerdict: "works" }),
      ]),
    );
    expect(headline?.text).toBe("726 MB → 1.5 MB, 99.8% smaller (484× smaller)");
  });
});
