// The size chart drawn once, as plain SVG, at the width a desktop page gives it: what the
// server sends and what the reader sees until the chart is touched, focused or shown at
// another width, when its plot (recharts, ./size-chart-plot.tsx) takes over. It draws what
// that plot draws at this width (the same margins, ticks, bars, labels and colours), so
// nothing changes when it does. No state and no recharts: a few kilobytes in the page.
// The chart's vocabulary (a bar, the colours) lives here, at the bottom of the three.
import { formatBytes } from "@/lib/format";

export interface SizeChartBar {
  key: string;
  sizeBytes: number;
  /** Null when the engine's export could not be measured: no bar, not a zero bar. */
  compressedBytes: number | null;
  /** The run check failed; diagnosis is its code (MISSING_ZONEINFO...), when known. */
  fails: boolean;
  diagnosis: string | null;
}

export const COLORS = {
  disk: "#0b63ce",
  compressed: "#7fb2ee",
  failsDisk: "#b42318",
  failsCompressed: "#ee9a92",
  failsText: "#a01c1c",
} as const;
export const PATTERN = { disk: "size-chart-fails-disk", compressed: "size-chart-fails-compressed" } as const;
export const PLOT_HEIGHT = 300;

/** The plot's width in a desktop page (the main column, less the chart's padding). */
export const STILL_WIDTH = 910;

// recharts' layout for ./size-chart-plot.tsx: the chart's margins, the y axis' width, bars.
const TOP = 24;
const RIGHT = 8;
const BOTTOM = 4;
const Y_AXIS = 64;
const TICK = 6;
const TICK_COUNT = 5;
const CATEGORY_GAP = 0.18;
const BAR_GAP = 2;
const MAX_BAR = 64;
const MIN_BAR = 2;

/** recharts' "nice" ticks for [0, max] (getNiceTickValues): steps of 0.05 of a power of ten. */
export function niceTicks(max: number, count = TICK_COUNT): number[] {
  if (!(max > 0)) return [0];
  for (let correction = 0; ; correction += 1) {
    const rough = max / (count - 1);
    const digits = Math.floor(Math.log10(rough)) + 1;
    const power = 10 ** digits;
    const scale = digits !== 1 ? 0.05 : 0.1;
    const step = (Math.ceil(rough / power / scale) + correction) * scale * power;
    const above = Math.ceil(max / step);
    if (above + 1 > count) continue;
    return Array.from({ length: count }, (_, index) => index * step);
  }
}

const label = (bytes: number) => formatBytes(bytes).replace(" ", "\u00a0");

export function SizeChartStill({ bars }: { bars: SizeChartBar[] }) {
  const hasCompressed = bars.some((bar) => bar.compressedBytes !== null);
  const hasFailing = bars.some((bar) => bar.fails);
  const left = Y_AXIS;
  const right = STILL_WIDTH - RIGHT;
  const bottom = PLOT_HEIGHT - BOTTOM - (hasFailing ? 54 : 40);
  const ticks = niceTicks(Math.max(0, ...bars.flatMap((bar) => [bar.sizeBytes, bar.compressedBytes ?? 0])));
  const top = ticks.at(-1) ?? 1;
  const y = (bytes: number) => bottom - (bytes / (top || 1)) * (bottom - TOP);
  const band = (right - left) / Math.max(1, bars.length);
  const series = hasCompressed ? 2 : 1;
  const fitted = (band - 2 * band * CATEGORY_GAP - (series - 1) * BAR_GAP) / series;
  const barWidth = Math.min(MAX_BAR, fitted);
  const offset = (band - series * barWidth - (series - 1) * BAR_GAP) / 2;

  const rect = (bar: SizeChartBar, index: number, kind: "disk" | "compressed") => {
    const bytes = kind === "disk" ? bar.sizeBytes : bar.compressedBytes;
    if (bytes === null) return null;
    const height = Math.max(MIN_BAR, bottom - y(bytes));
    const x = left + band * index + offset + (kind === "disk" ? 0 : barWidth + BAR_GAP);
    const failing = kind === "disk" ? COLORS.failsDisk : COLORS.failsCompressed;
    return (
      <g key={`${kind}-${bar.key}`}>
        <rect
          x={x}
          y={bottom - height}
          width={barWidth}
          height={height}
          fill={bar.fails ? `url(#${PATTERN[kind]}-still)` : COLORS[kind]}
          stroke={bar.fails ? failing : undefined}
        />
        <text x={x + barWidth / 2} y={bottom - height - 5} textAnchor="middle" fontSize={11} fill={kind === "disk" ? "#1b1f24" : "#5b6470"}>
          {label(bytes)}
        </text>
      </g>
    );
  };

  return (
    <svg
      viewBox={`0 0 ${STILL_WIDTH} ${PLOT_HEIGHT}`}
      width="100%"
      height={PLOT_HEIGHT}
      preserveAspectRatio="xMidYMin meet"
      aria-hidden="true"
      style={{ display: "block" }}
    >
      <defs>
        <Hatch id={`${PATTERN.disk}-still`} color={COLORS.failsDisk} />
        <Hatch id={`${PATTERN.compressed}-still`} color={COLORS.failsCompressed} />
      </defs>
      <g stroke="#ccc" strokeDasharray="3 3">
        {ticks.map((tick) => (
          <line key={tick} x1={left} x2={right} y1={y(tick)} y2={y(tick)} />
        ))}
      </g>
      {bars.map((bar, index) => rect(bar, index, "disk"))}
      {hasCompressed ? bars.map((bar, index) => rect(bar, index, "compressed")) : null}
      <g stroke="#666">
        <line x1={left} x2={right} y1={bottom} y2={bottom} />
        <line x1={left} x2={left} y1={TOP} y2={bottom} />
        {bars.map((bar, index) => {
          const x = left + band * (index + 0.5);
          return <line key={bar.key} x1={x} x2={x} y1={bottom + TICK} y2={bottom} />;
        })}
        {ticks.map((tick) => (
          <line key={tick} x1={left - TICK} x2={left} y1={y(tick)} y2={y(tick)} />
        ))}
      </g>
      {bars.map((bar, index) => {
        const x = left + band * (index + 0.5);
        const [first, ...rest] = bar.key.split("-");
        return (
          <text key={bar.key} x={x} y={bottom + TICK + 2} dy={12} textAnchor="middle" fontSize={12} fill="#5b6470">
            <tspan x={x}>{first}</tspan>
            {rest.length > 0 ? (
              <tspan x={x} dy={14}>
                -{rest.join("-")}
              </tspan>
            ) : null}
            {bar.fails ? (
              <tspan x={x} dy={14} fill={COLORS.failsText} fontWeight={700}>
                ✗ fails
              </tspan>
            ) : null}
          </text>
        );
      })}
      {ticks.map((tick) => (
        <text key={tick} x={left - TICK - 2} y={y(tick)} dy="0.355em" textAnchor="end" fontSize={12} fill="#666">
          {formatBytes(tick)}
        </text>
      ))}
    </svg>
  );
}

/** As the plot's: diagonal stripes over the colour (ids of their own: both may be in the page). */
function Hatch({ id, color }: { id: string; color: string }) {
  return (
    <pattern id={id} width={6} height={6} patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
      <rect width={6} height={6} fill={color} />
      <line x1={0} y1={0} x2={0} y2={6} stroke="#ffffff" strokeWidth={2.5} />
    </pattern>
  );
}
