"use client";
// A repository's image sizes over time: one line per variant key, one point per
// comparison (oldest left). Every point is a link to its comparison. Log scale by default,
// since a 700 MB single-stage line would flatten the few-MB lines into the axis.
// This is the chart's frame, rendered with the page (its button, its description, the
// box holding the plot's height); the plot itself (recharts) is a chunk of its own, and
// its points a small JSON answer (GET /api/repositories/history), both fetched when the
// chart comes into view or is reached for (./history-chart-plot.tsx).
import { lazy, use, useRef, useState } from "react";
import type { HistoryLine, HistorySeries } from "@/lib/views/history";
import { InView } from "./in-view";
import styles from "./history-chart.module.css";

export const PLOT_HEIGHT = 320;

const loadPlot = () => import("./history-chart-plot");
// Rendered only once the box is in view in the browser (InView), inside its Suspense.
const HistoryChartPlot = lazy(loadPlot);

interface HistoryChartProps {
  /** The repository as the page names it: where the points come from. */
  repo: string;
  /** How many comparisons the plot has a point for, and its lines: what the description says. */
  count: number;
  lines: HistoryLine[];
}

/** The points, or null when they could not be fetched (the box says so). */
type Loaded = HistorySeries | null;

export function HistoryChart({ repo, count, lines }: HistoryChartProps) {
  const [logScale, setLogScale] = useState(true);
  // Kept by the frame, which never suspends, so the plot's retries share one request.
  const points = useRef<Promise<Loaded> | null>(null);
  const load = () => (points.current ??= fetchSeries(repo));
  const description =
    `Image size per variant over ${count} comparison${count === 1 ? "" : "s"}, ` + `oldest first: ${lines.map((line) => line.key).join(", ")}`;

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
        <LoadedPlot load={load} logScale={logScale} />
      </InView>
    </figure>
  );
}

// Asks for the plot's chunk and its points at once, then draws them (or says they failed).
function LoadedPlot({ load, logScale }: { load: () => Promise<Loaded>; logScale: boolean }) {
  void loadPlot();
  const series = use(load());
  if (!series) {
    return (
      <p className={styles.failed} role="status" data-testid="history-chart-failed">
        The chart could not be loaded; reload the page to try again.
      </p>
    );
  }
  return <HistoryChartPlot points={series.points} lines={series.lines} logScale={logScale} />;
}

async function fetchSeries(repo: string): Promise<Loaded> {
  try {
    const response = await fetch(`/api/repositories/history?repo=${encodeURIComponent(repo)}`, { headers: { Accept: "application/json" } });
    return response.ok ? ((await response.json()) as HistorySeries) : null;
  } catch {
    return null;
  }
}
