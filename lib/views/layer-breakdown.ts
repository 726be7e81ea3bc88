// Pure: a comparison's variants -> the rows of the layer breakdown chart, one stacked bar
// per built variant, its layers oldest first (the base image's at the start), base layers
// in greys and app layers in blues, neighbours in alternating shades so each stays visible.
import type { VariantView } from "@/lib/comparisons/types";

/** Greys: bytes the base image brought. */
export const BASE_COLORS = ["#8a939e", "#b9c0c8", "#6f7883", "#a3abb5"] as const;
/** Blues: bytes the variant's own Dockerfile added. */
export const APP_COLORS = ["#0b63ce", "#6aa6ec", "#084c9e", "#3d86dc"] as const;

export interface BreakdownSegment {
  /** The layer's index in its image (oldest first), as the layer table numbers it. */
  index: number;
  instruction: string;
  sizeBytes: number;
  fromBase: boolean;
  color: string;
}

export interface BreakdownRow {
  key: string;
  naive: boolean;
  /** The image was built but its run check failed. */
  fails: boolean;
  /** The image's size on disk (the layers' sum when it was not measured). */
  sizeBytes: number;
  baseBytes: number;
  appBytes: number;
  /** Only layers with bytes: a zero-width segment could not be seen or hovered. */
  segments: BreakdownSegment[];
}

export interface LayerBreakdown {
  rows: BreakdownRow[];
  /** The most segments in one row: the chart draws this many stacked bars. */
  depth: number;
}

export function buildLayerBreakdown(variants: readonly VariantView[]): LayerBreakdown {
  const rows: BreakdownRow[] = [];
  for (const variant of variants) {
    if (variant.status !== "built") continue;
    const layers = [...variant.layers]
      .filter((layer) => Number.isFinite(layer.sizeBytes) && layer.sizeBytes > 0)
      .sort((a, b) => a.index - b.index);
    if (layers.length === 0) continue;

    const shade = { base: 0, app: 0 };
    const segments = layers.map((layer): BreakdownSegment => {
      const family = layer.fromBase ? "base" : "app";
      const palette = layer.fromBase ? BASE_COLORS : APP_COLORS;
      const color = palette[shade[family] % palette.length];
      shade[family] += 1;
      return { index: layer.index, instruction: layer.instruction, sizeBytes: layer.sizeBytes, fromBase: layer.fromBase, color };
    });
    const baseBytes = sum(segments.filter((segment) => segment.fromBase));
    const appBytes = sum(segments.filter((segment) => !segment.fromBase));
    rows.push({
      key: variant.key,
      naive: variant.naive,
      fails: variant.runCheck?.verdict === "fails",
      sizeBytes: variant.sizeBytes !== null && variant.sizeBytes > 0 ? variant.sizeBytes : baseBytes + appBytes,
      baseBytes,
      appBytes,
      segments,
    });
  }
  return { rows, depth: Math.max(0, ...rows.map((row) => row.segments.length)) };
}

/** The bytes of a row's n-th segment, or null where the row has fewer (recharts skips it). */
export const segmentBytes = (row: BreakdownRow, position: number): number | null =>
  row.segments[position]?.sizeBytes ?? null;

const sum = (segments: readonly BreakdownSegment[]): number =>
  segments.reduce((total, segment) => total + segment.sizeBytes, 0);
