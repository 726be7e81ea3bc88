import { describe, expect, it } from "vitest";
import { nextLayerSort, sortLayers, type LayerSort } from "@/lib/views/layer-order";
import type { LayerView } from "@/lib/comparisons/types";

const layer = (index: number, sizeBytes: number, compressedBytes: number | null): LayerView => ({
  index,
  instruction: `STEP ${index}`,
  sizeBytes,
  compressedBytes,
  fromBase: index < 2,
});

const layers = [layer(0, 80, 30), layer(1, 5, null), layer(2, 200, 90), layer(3, 5, 2), layer(4, 60, null)];

describe("sortLayers", () => {
  it.each<[LayerSort, number[]]>([
    [{ column: "index", direction: "ascending" }, [0, 1, 2, 3, 4]],
    [{ column: "index", direction: "descending" }, [4, 3, 2, 1, 0]],
    [{ column: "size", direction: "descending" }, [2, 0, 4, 1, 3]],
    [{ column: "size", direction: "ascending" }, [1, 3, 4, 0, 2]],
    [{ column: "compressed", direction: "descending" }, [2, 0, 3, 1, 4]],
    [{ column: "compressed", direction: "ascending" }, [3, 0, 2, 1, 4]],
  ])("%o → %o", (sort, want) => {
    expect(sortLayers(layers, sort).map((l) => l.index)).toEqual(want);
  });

  it("leaves its input alone", () => {
    const input = [layer(1, 1, 1), layer(0, 2, 2)];
    sortLayers(input, { column: "index", direction: "ascending" });
    expect(input.map((l) => l.index)).toEqual([1, 0]);
  });
});

describe("nextLayerSort", () => {
  it.each<[LayerSort, LayerSort["column"], LayerSort]>([
    [{ column: "index", direction: "ascending" }, "index", { column: "index", direction: "descending" }],
    [{ column: "index", direction: "ascending" }, "size", { column: "size", direction: "descending" }],
    [{ column: "size", direction: "descending" }, "size", { column: "size", direction: "ascending" }],
    [{ column: "size", direction: "ascending" }, "compressed", { column: "compressed", direction: "descending" }],
    [{ column: "compressed", direction: "descending" }, "index", { column: "index", direction: "ascending" }],
  ])("%o, click %s → %o", (current, column, want) => {
    expect(nextLayerSort(current, column)).toEqual(want);
  });
});
