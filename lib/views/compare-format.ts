// Pure: how a change reads on the compare page: "+500 KB", "−1.2 MB", "±0" and "+50%",
// "−3.5%", with a direction the page colours (bigger is worse for an image).
import { formatBytes } from "@/lib/format";

export type Direction = "up" | "down" | "same";

export const directionOf = (delta: number | null): Direction => (delta === null || delta === 0 ? "same" : delta > 0 ? "up" : "down");

/** "+500 KB" / "−1.2 MB" / "±0"; "—" when unknown. */
export function formatByteDelta(delta: number | null): string {
  if (delta === null || !Number.isFinite(delta)) return "—";
  if (delta === 0) return "±0";
  return `${delta > 0 ? "+" : "−"}${formatBytes(Math.abs(delta))}`;
}

/** "+50%" / "−3.5%" / "±0%"; empty when unknown (no base to relate to). */
export function formatPercentDelta(percent: number | null): string {
  if (percent === null || !Number.isFinite(percent)) return "";
  if (percent === 0) return "±0%";
  const digits = Math.abs(percent) >= 10 ? 0 : 1;
  const text = Math.abs(percent).toFixed(digits).replace(/\.0$/, "");
  // A change too small to show at this precision is still a change, not ±0.
  return `${percent > 0 ? "+" : "−"}${text === "0" ? "<0.1" : text}%`;
}

/** "v1.0.0 → v1.1.0", "v1.0.0", "" — a version as it changed. */
export function formatVersionChange(before: string | undefined | null, after: string | undefined | null): string {
  const [b, a] = [before ?? "", after ?? ""];
  if (b && a && b !== a) return `${b} → ${a}`;
  return a || b;
}
