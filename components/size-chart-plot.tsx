"use client";
// The size chart's plot (components/size-chart.tsx draws its frame, its button and its
// legend): recharts' bars, on disk and compressed, hatched where the run check failed, on a
// linear or a log axis, with a tooltip. A chunk of its own, loaded when the reader reaches
// for the chart, or when it comes into view where the still drawing does not fit.
import { useState } from "react";
import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  LabelList,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
  type TooltipContentProps,
  type XAxisTickContentProps,
} from "recharts";
import { formatBytes } from "@/lib/format";
import { COLORS, PATTERN, PLOT_HEIGHT, STILL_WIDTH, type SizeChartBar } from "./size-chart-still";

/** Below this width, only the on-disk bars are labelled: two labels per variant collide. */
const NARROW = 560;

export default function SizeChartPlot({ bars, logScale }: { bars: SizeChartBar[]; logScale: boolean }) {
  // The still drawing's width until measured: on a desktop page, where the plot replaces it.
  const [width, setWidth] = useState(STILL_WIDTH);
  const narrow = width < NARROW;
  const hasCompressed = bars.some((bar) => bar.compressedBytes !== null);
  const hasFailing = bars.some((bar) => bar.fails);
  return (
    <ResponsiveContainer
      width="100%"
      height={PLOT_HEIGHT}
      initialDimension={{ width: STILL_WIDTH, height: PLOT_HEIGHT }}
      onResize={(newWidth) => setWidth(newWidth)}
    >
      <BarChart data={bars} margin={{ top: 24, right: 8, bottom: 4, left: 0 }} barGap={2} barCategoryGap="18%">
        <defs>
          <Hatch id={PATTERN.disk} color={COLORS.failsDisk} />
          <Hatch id={PATTERN.compressed} color={COLORS.failsCompressed} />
        </defs>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis
          dataKey="key"
          interval={0}
          height={hasFailing ? 54 : 40}
          tick={(props: XAxisTickContentProps) => <VariantTick {...props} bars={bars} />}
        />
        <YAxis
          width={64}
          tick={{ fontSize: 12 }}
          tickFormatter={(value: number) => formatBytes(value)}
          scale={logScale ? "log" : "auto"}
          domain={logScale ? [(min: number) => min / 2, (max: number) => max * 2] : [0, "auto"]}
          allowDataOverflow={logScale}
        />
        <Tooltip content={SizeTooltip} cursor={{ fill: "rgba(11, 99, 206, 0.08)" }} />
        {sizeBars(bars, "disk", true)}
        {hasCompressed ? sizeBars(bars, "compressed", !narrow) : null}
      </BarChart>
    </ResponsiveContainer>
  );
}

/** Diagonal stripes over the colour: a failing bar reads as failing without colour vision too. */
function Hatch({ id, color }: { id: string; color: string }) {
  return (
    <pattern id={id} width={6} height={6} patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
      <rect width={6} height={6} fill={color} />
      <line x1={0} y1={0} x2={0} y2={6} stroke="#ffffff" strokeWidth={2.5} />
    </pattern>
  );
}

/** "726 MB" on one line: a no-break space keeps recharts from wrapping it over a thin bar. */
function barLabel(value: unknown): string {
  if (typeof value !== "number") return "";
  return formatBytes(value).replace(" ", "\u00a0");
}

/** "alpine-naive" on two lines, so neighbouring keys stay apart on a phone; "fails" below. */
function VariantTick({ x, y, payload, bars }: XAxisTickContentProps & { bars: SizeChartBar[] }) {
  const key = String(payload.value);
  const [first, ...rest] = key.split("-");
  const fails = bars.find((bar) => bar.key === key)?.fails ?? false;
  return (
    <text x={x} y={y} dy={12} textAnchor="middle" fontSize={12} fill="#5b6470">
      <tspan x={x}>{first}</tspan>
      {rest.length > 0 ? (
        <tspan x={x} dy={14}>
          -{rest.join("-")}
        </tspan>
      ) : null}
      {fails ? (
        <tspan x={x} dy={14} fill={COLORS.failsText} fontWeight={700}>
          ✗ fails
        </tspan>
      ) : null}
    </text>
  );
}

function SizeTooltip({ active, payload }: TooltipContentProps) {
  const bar = active ? (payload?.[0]?.payload as SizeChartBar | undefined) : undefined;
  if (!bar) return null;
  return (
    <div className="chart-tooltip">
      <strong>{bar.key}</strong>
      {bar.fails ? (
        <div className="chart-tooltip-bad">Fails its run check{bar.diagnosis ? `: ${bar.diagnosis}` : ""}</div>
      ) : null}
      <div>On disk: {formatBytes(bar.sizeBytes)}</div>
      <div>Compressed: {formatBytes(bar.compressedBytes)}</div>
    </div>
  );
}

const SERIES = {
  disk: { dataKey: "sizeBytes", name: "On disk", className: "bar-on-disk", fails: "failsDisk", label: "#1b1f24" },
  compressed: { dataKey: "compressedBytes", name: "Compressed", className: "bar-compressed", fails: "failsCompressed", label: "#5b6470" },
} as const;

/** One series of bars (called, not rendered as a component: recharts reads its children's types). */
function sizeBars(bars: SizeChartBar[], kind: keyof typeof SERIES, labelled: boolean) {
  const series = SERIES[kind];
  return (
    <Bar dataKey={series.dataKey} name={series.name} className={series.className} maxBarSize={64} minPointSize={2} isAnimationActive={false}>
      {bars.map((bar) => (
        <Cell
          key={bar.key}
          fill={bar.fails ? `url(#${PATTERN[kind]})` : COLORS[kind]}
          stroke={bar.fails ? COLORS[series.fails] : undefined}
        />
      ))}
      {labelled ? <LabelList dataKey={series.dataKey} position="top" fontSize={11} fill={series.label} formatter={barLabel} /> : null}
    </Bar>
  );
}
