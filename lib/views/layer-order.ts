// Pure: the order of a layer table. By index is the image's own order (oldest first);
// by size or compressed size, ties keep that order and unknown sizes always go last.
import type { LayerView } from "@/lib/comparisons/types";

export type LayerSortColumn = "index" | "size" | "compressed";
export type SortDirection = "ascending" | "descending";

export interface LayerSort {
  column: LayerSortColumn;
  direction: SortDirection;
}

export const DEFAULT_LAYER_SORT: LayerSort = { column: "index", direction: "ascending" };

export function sortLayers(layers: readonly LayerView[], { column, direction }: LayerSort): LayerView[] {
  const sign = direction === "ascending" ? 1 : -1;
  const value = (layer: LayerView): number | null =>
    column === "index" ? layer.index : column === "size" ? layer.sizeBytes : layer.compressedBytes;
  return [...layers].sort((a, b) => {
    const [x, y] = [value(a), value(b)];
    if (x === null || y === null) {
      if (x !== y) return x === null ? 1 : -1;
    } else if (x !== y) {
      return (x - y) * sign;
    }
    return a.index - b.index;
  });
}

/** A header click: the same column flips its direction; another starts biggest-first (index: oldest-first). */
export function nextLayerSort(current: LayerSort, column: LayerSortColumn): LayerSort {
  if (current.column === column) {
    return { column, direction: current.direction === "ascending" ? "descending" : "ascending" };
  }
  return { column, direction: column === "index" ? "ascending" : "descending" };
}
