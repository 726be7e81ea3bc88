"use client";
// The layers of one image, oldest first as the engine stacked them, with the base-vs-app
// split that tells the user which bytes their Dockerfile actually added. Sortable by
// index, size or compressed size; it is also the text alternative of the layer chart,
// so its "From" column carries the same colour as the chart's segment.
import { useState } from "react";
import {
  DEFAULT_LAYER_SORT,
  nextLayerSort,
  sortLayers,
  type LayerSort,
  type LayerSortColumn,
} from "@/lib/views/layer-order";
import type { LayerView } from "@/lib/comparisons/types";
import { formatBytes } from "@/lib/format";
import { SortableHeader } from "@/components/sortable-header";

const MAX_INSTRUCTION = 80;

const SORT_TEXT: Record<LayerSortColumn, string> = {
  index: "position, oldest first",
  size: "size",
  compressed: "compressed size",
};

interface LayerTableProps {
  layers: LayerView[];
  variantKey: string;
  /** Layer index -> the colour of its segment in the layer chart. */
  colors?: Record<number, string>;
}

export function LayerTable({ layers, variantKey, colors = {} }: LayerTableProps) {
  const [sort, setSort] = useState<LayerSort>(DEFAULT_LAYER_SORT);
  if (layers.length === 0) return <p className="muted">No layers recorded.</p>;
  const rows = sortLayers(layers, sort);

  const header = (column: LayerSortColumn, label: string) => (
    <SortableHeader label={label} numeric direction={sort.column === column ? sort.direction : null} onSort={() => setSort(nextLayerSort(sort, column))} />
  );

  return (
    <div className="table-scroll">
      <table data-testid="layer-table">
        <caption className="visually-hidden">
          Layers of {variantKey}, sorted by {SORT_TEXT[sort.column]}
          {sort.column === "index" ? "" : `, ${sort.direction === "ascending" ? "smallest" : "largest"} first`}
        </caption>
        <thead>
          <tr>
            {header("index", "#")}
            <th scope="col">Instruction</th>
            {header("size", "Size")}
            {header("compressed", "Compressed")}
            <th scope="col">From</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((layer) => (
            <tr key={layer.index}>
              <td className="num">{layer.index}</td>
              <td className="instruction" title={layer.instruction}>
                {truncate(layer.instruction)}
              </td>
              <td className="num">{formatBytes(layer.sizeBytes)}</td>
              <td className="num">{formatBytes(layer.compressedBytes)}</td>
              <td className={layer.fromBase ? "origin-base" : "origin-app"}>
                {colors[layer.index] ? (
                  <span className="swatch swatch-small" style={{ background: colors[layer.index] }} aria-hidden="true" />
                ) : null}
                {layer.fromBase ? "base" : "app"}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function truncate(text: string): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length > MAX_INSTRUCTION ? `${oneLine.slice(0, MAX_INSTRUCTION - 1)}…` : oneLine;
}
