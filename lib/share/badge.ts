// The README badge of a comparison: a shields.io-style flat SVG, "image | 1.5 MB · −99.8%",
// built as a string from the same headline the page shows. Pure: the route handler only
// loads the comparison and sets the headers.
import { computeHeadline } from "@/lib/views/headline";
import { isTerminal, type ComparisonGlance, type ComparisonStatus } from "@/lib/comparisons/types";
import { formatBytes } from "@/lib/format";

export interface BadgeContent {
  label: string;
  message: string;
  /** A #rrggbb fill for the message half. */
  color: string;
}

export const BADGE_COLORS = {
  good: "#3c9a1f",
  info: "#007ec6",
  bad: "#e05d44",
  neutral: "#9f9f9f",
  label: "#555555",
} as const;

const LABEL = "image";

/** What the badge says about a comparison, or about an id that names none (null). */
export function badgeContent(comparison: Pick<ComparisonGlance, "status" | "variants"> | null): BadgeContent {
  if (!comparison) return { label: LABEL, message: "not found", color: BADGE_COLORS.neutral };
  const { status, variants } = comparison;
  if (!isTerminal(status)) return { label: LABEL, message: "building…", color: BADGE_COLORS.info };
  if (status === "failed") return { label: LABEL, message: "failed", color: BADGE_COLORS.bad };
  if (status === "canceled") return { label: LABEL, message: "canceled", color: BADGE_COLORS.neutral };

  const headline = computeHeadline(variants);
  if (headline) {
    // U+2212 minus: "−99.8%" reads as a reduction, not a hyphenated word.
    const message = `${formatBytes(headline.smallest.sizeBytes)} · \u2212${headline.reduction}`;
    return { label: LABEL, message, color: BADGE_COLORS.good };
  }
  // One working image and nothing to compare it with: its size is still the answer.
  const working = variants.filter(
    (v) => v.status === "built" && v.sizeBytes !== null && v.sizeBytes > 0 && v.runCheck?.verdict !== "fails",
  );
  if (working.length === 1) return { label: LABEL, message: formatBytes(working[0].sizeBytes), color: BADGE_COLORS.info };
  return { label: LABEL, message: "no image", color: BADGE_COLORS.neutral };
}

/** Badges of finished comparisons never change; a running one changes every few seconds. */
export function badgeCacheControl(status: ComparisonStatus | null): string {
  if (status === null) return "no-cache";
  return isTerminal(status) ? "public, max-age=300" : "public, max-age=10, must-revalidate";
}

const HEIGHT = 20;
const PADDING = 6;
const COLOR = /^#[0-9a-fA-F]{6}$/;

export function renderBadgeSvg({ label, message, color }: BadgeContent): string {
  const fill = COLOR.test(color) ? color : BADGE_COLORS.neutral;
  const labelText = Math.round(textWidth(label));
  const messageText = Math.round(textWidth(message));
  const labelWidth = labelText + 2 * PADDING;
  const messageWidth = messageText + 2 * PADDING;
  const width = labelWidth + messageWidth;
  const title = escapeXml(`${label}: ${message}`);
  // Ids unique to the content, so two badges inlined in one page do not share a clip path.
  const uid = contentId(`${label}\n${message}\n${fill}`);
  const text = (value: string, center: number, length: number) =>
    `<text x="${center}" y="15" fill="#010101" fill-opacity=".3" textLength="${length}" aria-hidden="true">${escapeXml(value)}</text>` +
    `<text x="${center}" y="14" textLength="${length}">${escapeXml(value)}</text>`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${HEIGHT}" role="img" aria-label="${title}">` +
    `<title>${title}</title>` +
    `<linearGradient id="s${uid}" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>` +
    `<clipPath id="r${uid}"><rect width="${width}" height="${HEIGHT}" rx="3" fill="#fff"/></clipPath>` +
    `<g clip-path="url(#r${uid})">` +
    `<rect width="${labelWidth}" height="${HEIGHT}" fill="${BADGE_COLORS.label}"/>` +
    `<rect x="${labelWidth}" width="${messageWidth}" height="${HEIGHT}" fill="${fill}"/>` +
    `<rect width="${width}" height="${HEIGHT}" fill="url(#s${uid})"/>` +
    `</g>` +
    `<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" text-rendering="geometricPrecision" font-size="11">` +
    text(label, labelWidth / 2, labelText) +
    text(message, labelWidth + messageWidth / 2, messageText) +
    `</g></svg>\n`
  );
}

function contentId(text: string): string {
  let hash = 5381;
  for (const char of text) hash = (hash * 33 + char.codePointAt(0)!) >>> 0;
  return hash.toString(36);
}

export function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => XML_ENTITIES[char]);
}

const XML_ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

// Advance widths of Verdana at 11 px (what shields.io measures with), so the boxes fit
// the text; textLength then makes any fallback font occupy exactly the same width.
const WIDTHS: Record<string, number> = {
  " ": 3.9, ".": 4, ",": 4, ":": 5, "-": 5, "/": 5, "(": 5, ")": 5, "%": 11.8, "+": 9,
  "·": 4, "\u2212": 9, "…": 11, "×": 9, "→": 11,
  a: 6.6, b: 6.9, c: 5.7, d: 6.9, e: 6.6, f: 3.9, g: 6.9, h: 7, i: 3, j: 3.8, k: 6.5, l: 3, m: 10.7,
  n: 7, o: 6.7, p: 6.9, q: 6.9, r: 4.7, s: 5.7, t: 4.3, u: 7, v: 6.5, w: 8.9, x: 6.5, y: 6.5, z: 5.8,
  A: 7.5, B: 7.6, C: 7.7, D: 8.5, E: 7, F: 6.3, G: 8.5, H: 8.3, I: 4.6, J: 5, K: 7.6, L: 6.1, M: 9.3,
  N: 8.2, O: 8.7, P: 6.6, Q: 8.7, R: 7.6, S: 7.5, T: 6.8, U: 8, V: 7.5, W: 10.9, X: 7.5, Y: 6.8, Z: 7.5,
};

export function textWidth(text: string): number {
  let width = 0;
  for (const char of text) width += WIDTHS[char] ?? (/[0-9]/.test(char) ? 7 : 7.5);
  return width;
}
