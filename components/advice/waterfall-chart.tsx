"use client";
// The waterfall: the single-stage image as a whole bar, each kept step as a bar floating
// from the size before it down to the size after it (an invisible base below), and the
// smallest proven image as a whole bar, each step labelled with its saving. recharts is
// loaded with this chunk only (waterfall-island.tsx).
import { Bar, BarChart, CartesianGrid, Cell, LabelList, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatBytes } from "@/lib/format";
import type { WaterfallBar } from "@/lib/advice/waterfall";

const COLORS = { start: "#6b7280", step: "#1a7f37", end: "#0b63ce" } as const;

export default function WaterfallChart({ bars, title }: { bars: WaterfallBar[]; title: string }) {
  const data = bars.map((bar) => ({
    name: bar.kind === "end" ? "smallest" : bar.key,
    title: bar.title,
    kind: bar.kind,
    base: bar.kind === "step" ? bar.toBytes : 0,
    value: bar.kind === "step" ? bar.savedBytes : bar.fromBytes,
    label: bar.kind === "step" ? `−${bar.savedPercent}%` : formatBytes(bar.fromBytes),
    detail: bar.kind === "step" ? `${formatBytes(bar.fromBytes)} → ${formatBytes(bar.toBytes)}: −${formatBytes(bar.savedBytes)} (${bar.savedPercent}%)` : formatBytes(bar.fromBytes),
  }));
  return (
    <div style={{ width: "100%", height: 260 }}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 20, right: 8, bottom: 40, left: 8 }} accessibilityLayer>
          <CartesianGrid vertical={false} strokeDasharray="3 3" />
          <XAxis dataKey="name" interval={0} angle={-30} textAnchor="end" height={50} tick={{ fontSize: 11 }} />
          <YAxis tickFormatter={(v: number) => formatBytes(v)} width={64} tick={{ fontSize: 11 }} />
          <Tooltip
            formatter={(_value, _name, item) => [(item.payload as { detail: string }).detail, (item.payload as { title: string }).title]}
            labelFormatter={() => title}
          />
          <Bar dataKey="base" stackId="w" fill="transparent" isAnimationActive={false} />
          <Bar dataKey="value" stackId="w" isAnimationActive={false}>
            {data.map((d) => (
              <Cell key={d.name} fill={COLORS[d.kind]} />
            ))}
            <LabelList dataKey="label" position="top" style={{ fontSize: 11 }} />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
