// How numbers read on the page: sizes in decimal units as `docker images` prints them
// (MB with one decimal, KB for small), reductions as a percentage and a ratio.

const UNITS = [
  { unit: "GB", bytes: 1e9 },
  { unit: "MB", bytes: 1e6 },
  { unit: "KB", bytes: 1e3 },
] as const;

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return "—";
  for (const { unit, bytes: size } of UNITS) {
    if (bytes >= size) {
      const value = bytes / size;
      // 781 MB, not 781.0 MB; 8.2 MB and 1.5 MB keep their decimal.
      const text = value >= 100 ? Math.round(value).toString() : trimZero(value.toFixed(1));
      return `${text} ${unit}`;
    }
  }
  return `${bytes} B`;
}

/** "99.8%" for 726 MB -> 1.5 MB; never rounds a real reduction up to 100%. */
export function formatReduction(fromBytes: number, toBytes: number): string {
  if (fromBytes <= 0) return "—";
  const percent = (1 - toBytes / fromBytes) * 100;
  const digits = percent >= 99 && percent < 100 ? 1 : 0;
  let text = percent.toFixed(digits);
  if (Number(text) >= 100 && toBytes > 0) text = (Math.floor(percent * 10) / 10).toFixed(1);
  return `${trimZero(text)}%`;
}

/** "484×" — how many times smaller. */
export function formatRatio(fromBytes: number, toBytes: number): string {
  if (toBytes <= 0) return "—";
  const ratio = fromBytes / toBytes;
  return `${ratio >= 10 ? Math.round(ratio) : trimZero(ratio.toFixed(1))}×`;
}

export function formatSeconds(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return "—";
  if (seconds < 60) return `${trimZero(seconds.toFixed(1))} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.round(seconds - minutes * 60)} s`;
}

function trimZero(text: string): string {
  return text.endsWith(".0") ? text.slice(0, -2) : text;
}

/** "2026-11-26 09:30 UTC": what the server renders, the same for every reader. */
export function formatUtcTimestamp(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/**
 * "Nov 26, 2026, 10:30 AM" in the reader's own locale and time zone (both default to the
 * runtime's; tests pass them). Used in the browser only, after hydration.
 */
export function formatLocalTimestamp(iso: string, locale?: string, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(locale, { dateStyle: "medium", timeStyle: "short", timeZone });
}
