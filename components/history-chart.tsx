"use client";
// A repository's image sizes over time: one line per variant key, one point per
// comparison (oldest left). Every point is a link to its comparison. Log scale by default,
// since a 700 MB single-stage line would flatten the few-MB lines into the axis.
// This is the chart's frame, rendered with the page; the plot itself (recharts) is a
// chunk of its own, loaded when the chart comes into view (./history-chart-plot.tsx).
import { lazy, useState } from "react";
import type { HistoryLine, HistoryPoint } from "@/lib/views/history";
import { InView } from "./in-view";
import styles from "./history-chart.module.css";

export const PLOT_HEIGHT = 320;

// Rendered only once the box is in view in the browser (InView), inside its Suspense.
const HistoryChartPlot = lazy(() => import("./history-chart-plot"));

interface HistoryChartProps {
  points: HistoryPoint[];
  lines: HistoryLine[];
}

export function HistoryChart({ points, lines }: HistoryChartProps) {
  const [logScale, setLogScale] = useState(true);
  const description =
    `Image size per variant over ${points.length} comparison${points.length === 1 ? "" : "s"}, ` +
    `oldest first: ${lines.map((line) => line.key).join(", ")}`;

  return (
    <figure className={styles.chart} data-testid="history-chart" aria-label={description}>
      <div className={styles.controls}>
        <button
          type="button"
          className="button button-secondary button-small"
          aria-pressed={!logScale}
          onClick={() => setLogScale((value) => !value)}
        >
          {logScale ? "Linear scale" : "Log scale"}
        </button>
      </div>
      <InView height={PLOT_HEIGHT}>
        <HistoryChartPlot points={points} lines={lines} logScale={logScale} />
      </InView>
    </figure>
  );
}
