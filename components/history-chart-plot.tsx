"use client";
// The history chart's plot (components/history-chart.tsx draws its frame and its button):
// recharts' lines, one per variant key, each point a link to its comparison. A chunk of
// its own, loaded when the chart comes into view.
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
  type ActiveDotProps,
  type DotItemDotProps,
} from "recharts";
import type { HistoryLine, HistoryPoint } from "@/lib/views/history";
import { formatBytes } from "@/lib/format";
import { PLOT_HEIGHT } from "./history-chart";
import styles from "./history-chart.module.css";

export default function HistoryChartPlot({ points, lines, logScale }: { points: HistoryPoint[]; lines: HistoryLine[]; logScale: boolean }) {
  const byId = new Map(points.map((point) => [point.id, point]));
  const order = new Map(lines.map((line, index) => [line.key, index]));
  return (
    <ResponsiveContainer width="100%" height={PLOT_HEIGHT} initialDimension={{ width: 600, height: PLOT_HEIGHT }}>
      <LineChart data={points} margin={{ top: 12, right: 24, bottom: 4, left: 4 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis
          dataKey="id"
          tick={{ fontSize: 12 }}
          tickFormatter={(id: string) => byId.get(id)?.label ?? id}
          padding={{ left: 16, right: 16 }}
        />
        <YAxis
          width={64}
          tick={{ fontSize: 12 }}
          tickFormatter={(value: number) => formatBytes(value)}
          scale={logScale ? "log" : "auto"}
          domain={logScale ? [(min: number) => min / 2, (max: number) => max * 2] : [0, "auto"]}
          allowDataOverflow={logScale}
        />
        <Tooltip
          itemSorter={(item) => order.get(String(item.name)) ?? 0}
          formatter={(value, name) => [formatBytes(Number(value)), name]}
          labelFormatter={(id) => pointTitle(byId.get(String(id)))}
        />
        {/* The lines' own order (variant order, naive twin after its fix), not alphabetical. */}
        <Legend wrapperStyle={{ fontSize: 13 }} itemSorter={(item) => order.get(String(item.value)) ?? 0} />
        {lines.map((line) => (
          <Line
            key={line.key}
            name={line.key}
            dataKey={(point: HistoryPoint) => point.sizes[line.key] ?? null}
            stroke={line.color}
            strokeWidth={2}
            strokeDasharray={line.dash}
            connectNulls
            isAnimationActive={false}
            dot={(props: DotItemDotProps) => <PointLink {...props} color={line.color} lineKey={line.key} radius={4} />}
            activeDot={(props: ActiveDotProps) => <PointLink {...props} color={line.color} lineKey={line.key} radius={6} />}
          />
        ))}
      </LineChart>
    </ResponsiveContainer>
  );
}

/** A point as a link to its comparison (an SVG <a>, so it works without JavaScript handlers). */
function PointLink({
  cx,
  cy,
  payload,
  value,
  color,
  lineKey,
  radius,
}: Pick<DotItemDotProps | ActiveDotProps, "cx" | "cy" | "payload" | "value"> & { color: string; lineKey: string; radius: number }) {
  const point = payload as HistoryPoint;
  if (cx === undefined || cy === undefined || value === null || value === undefined) return <g key={`${lineKey}-${point.id}`} />;
  return (
    <a
      key={`${lineKey}-${point.id}`}
      href={`/c/${point.id}`}
      className={styles.point}
      data-testid="history-point"
      aria-label={`${lineKey}: ${formatBytes(Number(value))}, ${pointTitle(point)}`}
    >
      <circle cx={cx} cy={cy} r={radius} fill="#fff" stroke={color} strokeWidth={2} />
      {/* A larger, invisible target for fingers. */}
      <circle cx={cx} cy={cy} r={12} fill="transparent" />
    </a>
  );
}

function pointTitle(point: HistoryPoint | undefined): string {
  if (!point) return "";
  const time = `${point.createdAt.slice(0, 16).replace("T", " ")} UTC`;
  return point.commit ? `${point.commit.slice(0, 7)} · ${time}` : time;
}
