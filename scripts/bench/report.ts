// How the benchmark prints: one row per figure with the baseline measured in the same
// run, the ratio, the target and whether the figure meets it. Pure formatting.

export type Verdict = "PASS" | "FAIL" | "—";

export interface Row {
  id: string;
  figure: string;
  value: string;
  baseline: string;
  ratio: string;
  target: string;
  verdict: Verdict;
  /** Extra lines printed under the table (what was measured, why it may fail). */
  notes?: string[];
}

export function seconds(value: number): string {
  return value >= 100 ? `${value.toFixed(0)} s` : value >= 10 ? `${value.toFixed(1)} s` : `${value.toFixed(2)} s`;
}

export function ms(value: number): string {
  return value >= 100 ? `${value.toFixed(0)} ms` : `${value.toFixed(1)} ms`;
}

/** Decimal megabytes, as `docker images` and the app print sizes. */
export function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(bytes >= 100e6 ? 0 : 2)} MB`;
}

/** Binary kilobytes, as bundle sizes are usually given. */
export function kibibytes(bytes: number): string {
  return `${(bytes / 1024).toFixed(0)} KiB`;
}

export function perMinute(value: number): string {
  return `${value.toFixed(1)}/min`;
}

export function ratio(value: number, baseline: number): string {
  if (!(baseline > 0) || !Number.isFinite(value)) return "—";
  return `${(value / baseline).toFixed(2)}`;
}

export const verdict = (ok: boolean): Verdict => (ok ? "PASS" : "FAIL");

export function table(rows: Row[]): string {
  const header: Row = { id: "id", figure: "figure", value: "value", baseline: "baseline (same run)", ratio: "ratio", target: "target", verdict: "—" };
  const cells = (row: Row, head = false) => [row.id, row.figure, row.value, row.baseline, row.ratio, row.target, head ? "result" : row.verdict];
  const all = [cells(header, true), ...rows.map((row) => cells(row))];
  const widths = all[0].map((_, column) => Math.max(...all.map((line) => line[column].length)));
  const line = (values: string[]) => values.map((value, column) => value.padEnd(widths[column])).join("  ").trimEnd();
  const rule = widths.map((width) => "-".repeat(width)).join("  ");
  return [line(all[0]), rule, ...all.slice(1).map(line)].join("\n");
}
