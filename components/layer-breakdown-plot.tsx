"use client";
// The layer breakdown's plot (components/layer-breakdown.tsx draws its frame, its buttons
// and its legend): recharts' stacked bars, one per variant, as shares or in bytes, with
// each segment's instruction on hover. A chunk of its own, loaded when the chart comes
// into view.
import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
  type TooltipContentProps,
  type YAxisTickContentProps,
} from "recharts";
import { segmentBytes, type BreakdownRow, type LayerBreakdown } from "@/lib/views/layer-breakdown";
import { formatBytes } from "@/lib/format";
import { plotHeight, type Scale } from "./layer-breakdown";

const MAX_INSTRUCTION = 160;

export default function LayerBreakdownPlot({ breakdown, scale }: { breakdown: LayerBreakdown; scale: Scale }) {
  const { rows, depth } = breakdown;
  return (
    <ResponsiveContainer
      width="100%"
      height={plotHeight(rows.length)}
      initialDimension={{ width: 600, height: plotHeight(rows.length) }}
    >
      <BarChart
        layout="vertical"
        data={rows}
        stackOffset={scale === "share" ? "expand" : "none"}
        margin={{ top: 4, right: 22, bottom: 4, left: 0 }}
        barCategoryGap={10}
      >
        <CartesianGrid strokeDasharray="3 3" horizontal={false} />
        <XAxis
          type="number"
          tick={{ fontSize: 12 }}
          tickFormatter={(value: number) => (scale === "share" ? `${Math.round(value * 100)}%` : formatBytes(value))}
          domain={scale === "share" ? [0, 1] : [0, "auto"]}
        />
        <YAxis
          type="category"
          dataKey="key"
          width={104}
          interval={0}
          tick={(props: YAxisTickContentProps) => <RowTick {...props} rows={rows} />}
        />
        <Tooltip shared={false} content={SegmentTooltip} cursor={{ fill: "rgba(11, 99, 206, 0.06)" }} />
        {Array.from({ length: depth }, (_, position) => (
          <Bar
            key={position}
            name={String(position)}
            dataKey={(row: BreakdownRow) => segmentBytes(row, position)}
            stackId="layers"
            isAnimationActive={false}
          >
            {rows.map((row) => (
              <Cell key={row.key} fill={row.segments[position]?.color ?? "transparent"} stroke="#ffffff" strokeWidth={1} />
            ))}
          </Bar>
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}

/** The variant, and under it its size (and "fails" when its run check failed). */
function RowTick({ x, y, payload, rows }: YAxisTickContentProps & { rows: BreakdownRow[] }) {
  const row = rows.find((candidate) => candidate.key === payload.value);
  return (
    <text x={x} y={y} dx={-6} textAnchor="end" fontSize={12} fill="#1b1f24">
      <tspan x={x} dy={-2}>
        {String(payload.value)}
      </tspan>
      {row ? (
        <tspan x={x} dy={14} fill="#5b6470">
          {formatBytes(row.sizeBytes)}
          {row.fails ? (
            <tspan fill="#a01c1c" fontWeight={700}>
              {" "}
              ✗ fails
            </tspan>
          ) : null}
        </tspan>
      ) : null}
    </text>
  );
}

function SegmentTooltip({ active, payload }: TooltipContentProps) {
  const entry = active ? payload?.[0] : undefined;
  const row = entry?.payload as BreakdownRow | undefined;
  const segment = row?.segments[Number(entry?.name)];
  if (!row || !segment) return null;
  const share = row.sizeBytes > 0 ? (segment.sizeBytes / row.sizeBytes) * 100 : 0;
  const instruction = segment.instruction.replace(/\s+/g, " ").trim();
  return (
    <div className="chart-tooltip chart-tooltip-wide">
      <strong>
        {row.key}, layer #{segment.index} ({segment.fromBase ? "base image" : "app"})
      </strong>
      <code className="chart-tooltip-instruction">
        {instruction.length > MAX_INSTRUCTION ? `${instruction.slice(0, MAX_INSTRUCTION - 1)}…` : instruction}
      </code>
      <div>
        {formatBytes(segment.sizeBytes)}
        {share >= 0.1 ? ` · ${share < 1 ? share.toFixed(1) : Math.round(share)}% of the image` : ""}
      </div>
    </div>
  );
}
