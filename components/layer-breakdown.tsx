"use client";
// Where each image's bytes come from: one stacked bar per built variant, its layers oldest
// first, the base image's in greys and the Dockerfile's own in blues. By default every bar
// is its image's whole (shares), since a 700 MB golang bar would squash a 2 MB scratch bar
// to nothing; "Same scale" draws them in bytes. Hovering a segment names its instruction.
// This is the chart's frame, rendered with the page; the plot itself (recharts) is a
// chunk of its own, loaded when the chart comes into view (./layer-breakdown-plot.tsx).
import { lazy, useState } from "react";
import { APP_COLORS, BASE_COLORS, type LayerBreakdown } from "@/lib/views/layer-breakdown";
import { formatBytes } from "@/lib/format";
import { InView } from "./in-view";

export type Scale = "share" | "bytes";

const ROW_HEIGHT = 52;

export const plotHeight = (rows: number): number => rows * ROW_HEIGHT + 40;

// Rendered only once the box is in view in the browser (InView), inside its Suspense.
const LayerBreakdownPlot = lazy(() => import("./layer-breakdown-plot"));

export function LayerBreakdownChart({ breakdown }: { breakdown: LayerBreakdown }) {
  const [scale, setScale] = useState<Scale>("share");
  const { rows } = breakdown;
  const description = `Layers per image, base image versus app: ${rows
    .map((row) => `${row.key} ${formatBytes(row.sizeBytes)}, ${formatBytes(row.baseBytes)} from the base image and ${formatBytes(row.appBytes)} added by the app`)
    .join("; ")}. Each variant's layer table below lists every layer.`;

  return (
    <figure className="chart" data-testid="layer-breakdown" aria-label={description}>
      <figcaption className="chart-head">
        <span className="chart-title">Layers: base image and app</span>
        <span className="button-group" role="group" aria-label="Bar length">
          <ScaleButton scale="share" current={scale} onSelect={setScale}>
            Share of each image
          </ScaleButton>
          <ScaleButton scale="bytes" current={scale} onSelect={setScale}>
            Same scale
          </ScaleButton>
        </span>
      </figcaption>
      <InView height={plotHeight(rows.length)}>
        <LayerBreakdownPlot breakdown={breakdown} scale={scale} />
      </InView>
      <ul className="chart-legend" aria-hidden="true">
        <li>
          <span className="swatch swatch-pair" style={{ background: pairOf(BASE_COLORS) }} />
          Base image layers
        </li>
        <li>
          <span className="swatch swatch-pair" style={{ background: pairOf(APP_COLORS) }} />
          App layers (added by the Dockerfile)
        </li>
      </ul>
    </figure>
  );
}

function ScaleButton({
  scale,
  current,
  onSelect,
  children,
}: {
  scale: Scale;
  current: Scale;
  onSelect: (scale: Scale) => void;
  children: string;
}) {
  return (
    <button
      type="button"
      className="button button-secondary button-small"
      aria-pressed={scale === current}
      onClick={() => onSelect(scale)}
    >
      {children}
    </button>
  );
}

/** A two-shade swatch: each family alternates shades from one layer to the next. */
const pairOf = (palette: readonly string[]): string =>
  `linear-gradient(90deg, ${palette[0]} 0 50%, ${palette[1]} 50% 100%)`;
