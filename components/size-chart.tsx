"use client";
// Size per built variant: on disk and compressed (what a registry push and pull moves)
// side by side. Images that fail their run check are hatched in red and say so under
// their name, so the smallest bar is never mistaken for the answer. A log scale is one
// click away because the interesting bars (a few MB) vanish next to the golang image.
// This is the chart's frame, rendered with the page, with the chart drawn still (plain
// SVG, ./size-chart-still.tsx); the plot that hovers, focuses and changes scale (recharts,
// ./size-chart-plot.tsx) is a chunk of its own, loaded when the reader touches the chart,
// or when it comes into view at a width the still drawing does not fit (a phone).
import { lazy, useState } from "react";
import { formatBytes } from "@/lib/format";
import { InView } from "./in-view";
import { COLORS, PLOT_HEIGHT, STILL_WIDTH, SizeChartStill, type SizeChartBar } from "./size-chart-still";

export type { SizeChartBar };

const SizeChartPlot = lazy(() => import("./size-chart-plot"));

export function SizeChart({ bars }: { bars: SizeChartBar[] }) {
  const [logScale, setLogScale] = useState(false);
  // The reader reached for the chart (pointer, touch, keyboard focus): its plot is wanted.
  const [live, setLive] = useState(false);
  const goLive = () => setLive(true);
  const hasCompressed = bars.some((bar) => bar.compressedBytes !== null);
  const hasFailing = bars.some((bar) => bar.fails);
  const description = `Image size per variant, on disk and compressed: ${bars
    .map(
      (bar) =>
        `${bar.key} ${formatBytes(bar.sizeBytes)} on disk, ${formatBytes(bar.compressedBytes)} compressed` +
        (bar.fails ? ", fails its run check" : ""),
    )
    .join("; ")}`;

  return (
    <figure
      className="chart"
      data-testid="size-chart"
      aria-label={description}
      onPointerEnter={goLive}
      onTouchStart={goLive}
      onFocus={goLive}
    >
      <figcaption className="chart-head">
        <span className="chart-title">Image size per variant</span>
        <button
          type="button"
          className="button button-secondary button-small"
          aria-pressed={logScale}
          onClick={() => {
            setLive(true);
            setLogScale((value) => !value);
          }}
        >
          Log scale
        </button>
      </figcaption>
      <InView height={PLOT_HEIGHT} live={live} still={<SizeChartStill bars={bars} />} stillWidth={STILL_WIDTH}>
        <SizeChartPlot bars={bars} logScale={logScale} />
      </InView>
      <ul className="chart-legend" aria-hidden="true">
        <li>
          <span className="swatch" style={{ background: COLORS.disk }} />
          On disk
        </li>
        {hasCompressed ? (
          <li>
            <span className="swatch" style={{ background: COLORS.compressed }} />
            Compressed (what a push or pull moves)
          </li>
        ) : null}
        {hasFailing ? (
          <li>
            <span className="swatch swatch-fails" />
            Fails its run check
          </li>
        ) : null}
      </ul>
    </figure>
  );
}
