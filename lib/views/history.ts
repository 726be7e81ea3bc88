// A repository's comparisons over time, for /r/<repo>: the rows (newest first, as the
// list shows them) and the chart's series (oldest first, one line per variant key). Pure.
import { computeHeadline, type Headline, type HeadlineInput } from "@/lib/views/headline";
import type { ComparisonStatus, RunVerdict, VariantStatus, VariantView } from "@/lib/comparisons/types";

export interface HistoryVariant {
  key: string;
  naive: boolean;
  status: VariantStatus;
  sizeBytes: number | null;
  runVerdict: RunVerdict | null;
}

export interface HistoryItem {
  id: string;
  status: ComparisonStatus;
  repo: string;
  ref: string | null;
  commit: string | null;
  createdAt: string;
  finishedAt: string | null;
  variants: HistoryVariant[];
}

/** One comparison on the chart: x is the comparison, each variant key a y value. */
export interface HistoryPoint {
  id: string;
  createdAt: string;
  /** The commit's short SHA, else the time: what the x axis says. */
  label: string;
  /** The commit's short SHA (all the chart's tooltip shows: every point travels to the browser). */
  commit: string | null;
  sizes: Record<string, number>;
}

export interface HistoryLine {
  key: string;
  naive: boolean;
  color: string;
  /** SVG stroke-dasharray, or undefined for a solid line. */
  dash: string | undefined;
}

export interface HistorySeries {
  points: HistoryPoint[];
  lines: HistoryLine[];
}

/** Items newest first, as stored; the chart reads left to right, oldest first. */
export function historySeries(items: readonly HistoryItem[]): HistorySeries {
  const points: HistoryPoint[] = [];
  const lines = new Map<string, { key: string; naive: boolean }>();
  for (const item of [...items].reverse()) {
    const sizes: Record<string, number> = {};
    for (const variant of item.variants) {
      if (variant.status !== "built" || variant.sizeBytes === null || variant.sizeBytes <= 0) continue;
      sizes[variant.key] = variant.sizeBytes;
      if (!lines.has(variant.key)) lines.set(variant.key, variant);
    }
    if (Object.keys(sizes).length === 0) continue;
    points.push({ id: item.id, createdAt: item.createdAt, label: pointLabel(item), commit: item.commit?.slice(0, 7) ?? null, sizes });
  }
  return { points, lines: historyLines([...lines.values()]) };
}

/** The chart's outline, as the page describes it before its points load. */
export interface HistoryOutline {
  /** The comparisons the chart covers (at most the history's limit). */
  comparisons: number;
  /** Those with a point: an image built. */
  points: number;
  lines: HistoryLine[];
}

/** One line per variant key, in the order of the variants everywhere (naive after its fixed one), each styled. */
export function historyLines(variants: ReadonlyArray<{ key: string; naive: boolean }>): HistoryLine[] {
  const order = (line: HistoryLine) => {
    const base = VARIANT_ORDER.indexOf(line.key.replace(/-naive$/, ""));
    return (base === -1 ? VARIANT_ORDER.length : base) * 2 + (line.naive ? 1 : 0);
  };
  const lines = variants.map(({ key, naive }) => ({ key, naive, ...lineStyle(key, naive) }));
  return lines.sort((a, b) => order(a) - order(b) || a.key.localeCompare(b.key));
}

const VARIANT_ORDER = ["single", "alpine", "scratch", "distroless", "repo"];

const COLORS: Record<string, string> = {
  single: "#444c56",
  alpine: "#0f8a8a",
  scratch: "#0b63ce",
  distroless: "#7c3aed",
  repo: "#16653a",
};
const NAIVE_COLOR = "#d08a00";
const NAIVE_DASHES: Record<string, string> = { alpine: "2 3", scratch: "6 3", distroless: "10 4" };
const SPARE_COLORS = ["#b42318", "#9a6700", "#0e7490", "#be185d"];

/** Same colours as everywhere: naive variants amber (dashed, one dash per base), the rest by base. */
export function lineStyle(key: string, naive: boolean): { color: string; dash: string | undefined } {
  if (naive) return { color: NAIVE_COLOR, dash: NAIVE_DASHES[key.replace(/-naive$/, "")] ?? "4 4" };
  const color = COLORS[key] ?? SPARE_COLORS[[...key].reduce((sum, char) => sum + char.charCodeAt(0), 0) % SPARE_COLORS.length];
  return { color, dash: undefined };
}

function pointLabel(item: HistoryItem): string {
  if (item.commit) return item.commit.slice(0, 7);
  return item.createdAt.slice(5, 16).replace("T", " ");
}

/** The page's headline for one comparison of the list (the same rules as /c/<id>). */
export function historyHeadline(item: HistoryItem): Headline | null {
  return computeHeadline(item.variants.map(asVariantView));
}

// The headline reads only the key, status, size and verdict.
const asVariantView = (variant: HistoryVariant): HeadlineInput => ({
  key: variant.key,
  status: variant.status,
  sizeBytes: variant.sizeBytes,
  runCheck: variant.runVerdict ? { verdict: variant.runVerdict } : null,
});
