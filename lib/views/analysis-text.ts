// Pure: the sentences and figures of "Why is it this big?" — what a single-stage image
// carries for the build only, the one-line summary beside a variant's size, dive's
// efficiency as a percentage, and a binary's size by ELF section, every number with a unit.
import type { AnalysisSummary } from "@/lib/comparisons/types";
import type { BuildOnlySummary } from "@/lib/measure/file-tree";
import { formatBytes } from "@/lib/format";

export const BUILD_ONLY_LABELS: Record<Exclude<keyof BuildOnlySummary, "total">, string> = {
  goToolchain: "Go toolchain",
  moduleCache: "module cache",
  buildCache: "build cache",
  packageManager: "package manager files",
};

/** "627 MB of it is only for building: Go toolchain 233 MB, package manager files 28 MB"; null when nothing is. */
export function buildOnlyLine(buildOnly: BuildOnlySummary): string | null {
  if (buildOnly.total <= 0) return null;
  const parts = (Object.keys(BUILD_ONLY_LABELS) as Array<keyof typeof BUILD_ONLY_LABELS>)
    .filter((key) => buildOnly[key] > 0)
    .map((key) => `${BUILD_ONLY_LABELS[key]} ${formatBytes(buildOnly[key])}`);
  return `${formatBytes(buildOnly.total)} of it is only for building: ${parts.join(", ")}`;
}

/** A share as a percentage: one decimal near the ends, and never 100% or 0% unless exactly so. */
export function formatPercent(share: number): string {
  if (!Number.isFinite(share)) return "—";
  const percent = Math.min(Math.max(share, 0), 1) * 100;
  if (percent === 100 || percent === 0) return `${percent}%`;
  if (percent >= 99.95) return "99.9%";
  if (percent < 0.05) return "<0.1%";
  const text = percent >= 99 || percent < 10 ? percent.toFixed(1) : percent.toFixed(0);
  return `${text.endsWith(".0") ? text.slice(0, -2) : text}%`;
}

/** The line beside a variant's size: what it carries for the build, its Go binary, its waste. */
export function analysisSummaryLine(summary: AnalysisSummary): string {
  const parts: string[] = [];
  if (summary.buildOnly.total > 0) parts.push(`${formatBytes(summary.buildOnly.total)} only for building`);
  const binary = summary.binary;
  if (binary) {
    const top = binary.topModules[0];
    const modules = `${binary.moduleCount} module${binary.moduleCount === 1 ? "" : "s"}`;
    parts.push(`Go binary ${formatBytes(binary.fileBytes)} (${modules}${top ? `, largest ${top.path} ${formatBytes(top.bytes)}` : ""})`);
  } else {
    parts.push("no Go binary found");
  }
  if (summary.wastedBytes > 0) parts.push(`${formatBytes(summary.wastedBytes)} wasted, ${formatPercent(summary.efficiency)} efficient`);
  return parts.join(" · ");
}

export interface SectionRow {
  name: string;
  bytes: number;
  /** Of the whole file, 0..1. */
  share: number;
}

/** Sections largest first, then what no section holds (ELF and program headers, padding). */
export function sectionRows(sections: ReadonlyArray<{ name: string; bytes: number }>, fileBytes: number): SectionRow[] {
  const share = (bytes: number) => (fileBytes > 0 ? bytes / fileBytes : 0);
  const rows = [...sections].sort((a, b) => b.bytes - a.bytes).map((s) => ({ name: s.name, bytes: s.bytes, share: share(s.bytes) }));
  const rest = fileBytes - sections.reduce((sum, s) => sum + s.bytes, 0);
  if (rest > 0) rows.push({ name: "(headers, padding)", bytes: rest, share: share(rest) });
  return rows;
}
