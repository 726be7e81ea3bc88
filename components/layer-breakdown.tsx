"use client";
// Where each image's bytes come from: one stacked bar per built variant, its layers oldest
// first, the base image's in greys and the Dockerfile's own in blues. By default every bar
// is its image's whole (shares), since a 700 MB golang bar would squash a 2 MB scratch bar
// to nothing; "Same scale" draws them in bytes. Hovering a segment names its instruction.
import { useState } from "react";
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
import { APP_COLORS, BASE_COLORS, segmentBytes, type BreakdownRow, type LayerBreakdown } from "@/lib/views/layer-breakdown";
import { formatBytes } from "@/lib/format";

type Scale = "share" | "bytes";

const ROW_HEIGHT = 52;
const MAX_INSTRUCTION = 160;

export function LayerBreakdownChart({ breakdown }: { breakdown: LayerBreakdown }) {
  const [scale, setScale] = useState<Scale>("share");
  const { rows, depth } = breakdown;
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
      <ResponsiveContainer
        width="100%"
        height={rows.length * ROW_HEIGHT + 40}
        initialDimension={{ width: 600, height: rows.length * ROW_HEIGHT + 40 }}
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
