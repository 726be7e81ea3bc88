"use client";
// On-disk size per built variant as bars. A log scale is one click away because the
// interesting bars (a few MB) vanish next to the golang image (hundreds of MB).
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
  type XAxisTickContentProps,
} from "recharts";
import { formatBytes } from "@/lib/format";

export interface SizeChartBar {
  key: string;
  sizeBytes: number;
  naive: boolean;
}

const BAR_COLOR = "#0b63ce";
const NAIVE_COLOR = "#d08a00";

export function SizeChart({ bars }: { bars: SizeChartBar[] }) {
  const [logScale, setLogScale] = useState(false);
  const description = `Image size on disk per variant: ${bars
    .map((bar) => `${bar.key} ${formatBytes(bar.sizeBytes)}`)
    .join(", ")}`;

  return (
    <figure className="chart" data-testid="size-chart" aria-label={description}>
      <div className="chart-controls">
        <button
          type="button"
          className="button button-secondary button-small"
          aria-pressed={logScale}
          onClick={() => setLogScale((value) => !value)}
        >
          {logScale ? "Linear scale" : "Log scale"}
        </button>
      </div>
      <ResponsiveContainer width="100%" height={280} initialDimension={{ width: 600, height: 280 }}>
        <BarChart data={bars} margin={{ top: 24, right: 12, bottom: 4, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="key" interval={0} height={40} tick={VariantTick} />
          <YAxis
            width={64}
            tick={{ fontSize: 12 }}
            tickFormatter={(value: number) => formatBytes(value)}
            scale={logScale ? "log" : "auto"}
            domain={logScale ? [(min: number) => min / 2, (max: number) => max * 2] : [0, "auto"]}
            allowDataOverflow={logScale}
          />
          <Tooltip
            formatter={(value) => [formatBytes(Number(value)), "On disk"]}
            cursor={{ fill: "rgba(11, 99, 206, 0.08)" }}
          />
          <Bar dataKey="sizeBytes" name="On disk" maxBarSize={120} isAnimationActive={false}>
            {bars.map((bar) => (
              <Cell key={bar.key} fill={bar.naive ? NAIVE_COLOR : BAR_COLOR} />
            ))}
            <LabelList
              dataKey="sizeBytes"
              position="top"
              fontSize={12}
              formatter={(value) => barLabel(Number(value))}
            />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}

/** "726 MB" on one line: a no-break space keeps recharts from wrapping it inside a thin bar. */
function barLabel(bytes: number): string {
  return formatBytes(bytes).replace(" ", "\u00a0");
}

/** "alpine-naive" on two lines, so neighbouring keys stay apart on a phone. */
function VariantTick({ x, y, payload }: XAxisTickContentProps) {
  const [first, ...rest] = String(payload.value).split("-");
  return (
    <text x={x} y={y} dy={12} textAnchor="middle" fontSize={12} fill="#5b6470">
      <tspan x={x}>{first}</tspan>
      {rest.length > 0 ? (
        <tspan x={x} dy={14}>
          -{rest.join("-")}
        </tspan>
      ) : null}
    </text>
  );
}
