import { describe, expect, it } from "vitest";
import { runCheckOf, variantView } from "@/lib/testing/variant-view";
import { APP_COLORS, BASE_COLORS, buildLayerBreakdown, segmentBytes, type BreakdownRow } from "@/lib/views/layer-breakdown";
import type { LayerView, RunVerdict, VariantStatus, VariantView } from "@/lib/comparisons/types";

const layer = (index: number, sizeBytes: number, fromBase: boolean, instruction = `STEP ${index}`): LayerView => ({
  index,
  instruction,
  sizeBytes,
  compressedBytes: null,
  fromBase,
});

function variant(
  key: string,
  layers: LayerView[],
  options: { status?: VariantStatus; sizeBytes?: number | null; verdict?: RunVerdict } = {},
): VariantView {
  const { status = "built", sizeBytes = layers.reduce((total, l) => total + l.sizeBytes, 0), verdict } = options;
  return variantView(key, { status, sizeBytes, layers, runCheck: runCheckOf(verdict) });
}

/** A row as [key, fails, sizeBytes, baseBytes, appBytes, [index, bytes, fromBase, color][]]. */
type RowShape = [string, boolean, number, number, number, [number, number, boolean, string][]];
const shape = (row: BreakdownRow): RowShape => [
  row.key,
  row.fails,
  row.sizeBytes,
  row.baseBytes,
  row.appBytes,
  row.segments.map((s) => [s.index, s.sizeBytes, s.fromBase, s.color]),
];

const [B0, B1, B2] = BASE_COLORS;
const [A0, A1, A2] = APP_COLORS;

describe("buildLayerBreakdown", () => {
  const cases: Array<{ name: string; variants: VariantView[]; rows: RowShape[]; depth: number }> = [
    {
      name: "base layers first in greys, app layers after in blues",
      variants: [variant("alpine", [layer(0, 7_800_000, true), layer(1, 1_500_000, false), layer(2, 300_000, false)])],
      rows: [["alpine", false, 9_600_000, 7_800_000, 1_800_000, [[0, 7_800_000, true, B0], [1, 1_500_000, false, A0], [2, 300_000, false, A1]]]],
      depth: 3,
    },
    {
      name: "scratch has no base bytes at all",
      variants: [variant("scratch", [layer(0, 1_450_000, false)], { verdict: "works" })],
      rows: [["scratch", false, 1_450_000, 0, 1_450_000, [[0, 1_450_000, false, A0]]]],
      depth: 1,
    },
    {
      name: "oldest first whatever order the layers arrive in, shades alternating per family",
      variants: [
        variant("single", [
          layer(3, 60_000_000, false),
          layer(1, 48_000_000, true),
          layer(0, 80_000_000, true),
          layer(2, 200_000_000, true),
          layer(4, 5_000_000, false),
        ]),
      ],
      rows: [
        [
          "single",
          false,
          393_000_000,
          328_000_000,
          65_000_000,
          [[0, 80_000_000, true, B0], [1, 48_000_000, true, B1], [2, 200_000_000, true, B2], [3, 60_000_000, false, A0], [4, 5_000_000, false, A1]],
        ],
      ],
      depth: 5,
    },
    {
      name: "empty layers (WORKDIR, metadata) are left out, their index kept on the others",
      variants: [variant("distroless", [layer(0, 2_000_000, true), layer(1, 0, false), layer(2, 1_000_000, false)])],
      rows: [["distroless", false, 3_000_000, 2_000_000, 1_000_000, [[0, 2_000_000, true, B0], [2, 1_000_000, false, A0]]]],
      depth: 2,
    },
    {
      name: "a failing image is marked; variants not built, or with no layers, get no row",
      variants: [
        variant("scratch-naive", [layer(0, 1_400_000, false)], { verdict: "fails" }),
        variant("alpine", [layer(0, 7_800_000, true)], { status: "failed" }),
        variant("repo", [], { status: "skipped", sizeBytes: null }),
        variant("scratch", [], { sizeBytes: 1_500_000 }),
        variant("single", [layer(0, 0, true)]),
      ],
      rows: [["scratch-naive", true, 1_400_000, 0, 1_400_000, [[0, 1_400_000, false, A0]]]],
      depth: 1,
    },
    {
      name: "the measured image size wins over the layers' sum; the sum stands in when unmeasured",
      variants: [
        variant("alpine", [layer(0, 7_000_000, true), layer(1, 1_000_000, false)], { sizeBytes: 8_150_000 }),
        variant("scratch", [layer(0, 1_500_000, false)], { sizeBytes: null }),
      ],
      rows: [
        ["alpine", false, 8_150_000, 7_000_000, 1_000_000, [[0, 7_000_000, true, B0], [1, 1_000_000, false, A0]]],
        ["scratch", false, 1_500_000, 0, 1_500_000, [[0, 1_500_000, false, A0]]],
      ],
      depth: 2,
    },
    {
      name: "the palette wraps around for images with many layers",
      variants: [variant("repo", [0, 1, 2, 3, 4].map((index) => layer(index, 1000 * (index + 1), false)))],
      rows: [["repo", false, 15_000, 0, 15_000, [[0, 1000, false, A0], [1, 2000, false, A1], [2, 3000, false, A2], [3, 4000, false, APP_COLORS[3]], [4, 5000, false, A0]]]],
      depth: 5,
    },
    { name: "nothing built", variants: [], rows: [], depth: 0 },
  ];

  it.each(cases)("$name", ({ variants, rows, depth }) => {
    const breakdown = buildLayerBreakdown(variants);
    expect(breakdown.rows.map(shape)).toEqual(rows);
    expect(breakdown.depth).toBe(depth);
  });

  it("keeps each layer's instruction for the tooltip", () => {
    const [row] = buildLayerBreakdown([variant("scratch", [layer(0, 10, false, "COPY /out/app /app")])]).rows;
    expect(row.segments[0].instruction).toBe("COPY /out/app /app");
  });
});

describe("segmentBytes", () => {
  it("gives a segment's bytes, or null past the row's end", () => {
    const [row] = buildLayerBreakdown([variant("alpine", [layer(0, 7, true), layer(1, 3, false)])]).rows;
    expect([0, 1, 2].map((position) => segmentBytes(row, position))).toEqual([7, 3, null]);
  });
});
