// What the Open Graph preview of a comparison shows, as plain data: the repository, one
// title line (the page's headline, or where the comparison stands) and one bar per built
// variant. Pure, so the image route only lays it out and the tests need no renderer.
import { computeHeadline } from "@/lib/views/headline";
import { isTerminal, type ComparisonGlance, type ComparisonStatus } from "@/lib/comparisons/types";
import { formatBytes } from "@/lib/format";

export interface OgBar {
  key: string;
  naive: boolean;
  /** "726 MB" */
  sizeText: string;
  /** Share of the largest image, 0..1, on a linear scale: the gap is the story. */
  fraction: number;
}

export interface OgCard {
  repo: string;
  status: ComparisonStatus;
  /** "726 MB → 1.5 MB", or where the comparison stands. */
  title: string;
  /** "99.8% smaller (484× smaller)", with a headline. */
  subtitle: string | null;
  bars: OgBar[];
}

/** The most bars that stay readable in 630 px (five variants and three naive twins). */
export const MAX_OG_BARS = 8;

export function ogCard(comparison: ComparisonGlance): OgCard {
  const built = comparison.variants.filter(
    (v): v is typeof v & { sizeBytes: number } => v.status === "built" && v.sizeBytes !== null && v.sizeBytes > 0,
  );
  const largest = Math.max(0, ...built.map((v) => v.sizeBytes));
  const bars = built.slice(0, MAX_OG_BARS).map((v) => ({
    key: ogSafeText(v.key, 24),
    naive: v.naive,
    sizeText: formatBytes(v.sizeBytes),
    fraction: largest > 0 ? v.sizeBytes / largest : 0,
  }));
  // The headline in two lines: the sizes large, the reduction under them.
  const headline = computeHeadline(comparison.variants);
  return {
    repo: ogSafeText(shortRepo(comparison.repo), 64, "start"),
    status: comparison.status,
    title: headline
      ? `${formatBytes(headline.largest.sizeBytes)} → ${formatBytes(headline.smallest.sizeBytes)}`
      : ogSafeText(shareTitle(comparison), 100),
    subtitle: headline
      ? ogSafeText(`${headline.reduction} smaller (${headline.ratio} smaller): ${headline.largest.key} → ${headline.smallest.key}`, 70)
      : null,
    bars,
  };
}

/** The one line a shared link says: the headline once there is one, else where it stands. */
export function shareTitle(comparison: Pick<ComparisonGlance, "status" | "variants" | "error">): string {
  const { status, variants, error } = comparison;
  const headline = computeHeadline(variants);
  if (headline) return headline.text;
  if (!isTerminal(status)) {
    const built = variants.filter((v) => v.status === "built").length;
    if (status === "queued") return "Queued…";
    return variants.length > 0 ? `Building… (${built} of ${variants.length} images built)` : "Building…";
  }
  if (status === "failed") return error?.message ? `Failed: ${error.message}` : "Failed";
  if (status === "canceled") return "Canceled";
  return "Fewer than two images were built, so there is no size comparison";
}

/** "github.com/owner/name" for "https://github.com/owner/name.git". */
export function shortRepo(repo: string): string {
  return repo.replace(/^https:\/\//, "").replace(/\.git$/, "").replace(/\/+$/, "");
}

// The renderer's built-in font covers ASCII, Latin-1 and these symbols; any other
// character would make it fetch a fallback font from the internet, which this server
// must never do (and cannot, offline), so it becomes "?".
const DRAWABLE = /[\u0020-\u007e\u00a0-\u00ac\u00ae-\u00ff→×…−·—–]/u;

/**
 * Text the preview can draw with its built-in font, cut to `max` characters with "…" at
 * the end, or at the start for repository URLs, which say the most at their end.
 */
export function ogSafeText(text: string, max: number, cut: "end" | "start" = "end"): string {
  const chars = [...text.replace(/\s+/g, " ").trim()].map((char) => (DRAWABLE.test(char) ? char : "?"));
  if (chars.length <= max) return chars.join("");
  return cut === "end" ? `${chars.slice(0, max - 1).join("")}…` : `…${chars.slice(chars.length - max + 1).join("")}`;
}
