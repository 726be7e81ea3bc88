import { describe, expect, it } from "vitest";
import type { ComparisonStatus, RunVerdict, VariantStatus, VariantView } from "@/lib/comparisons/types";
import { runCheckOf, variantView } from "@/lib/testing/variant-view";
import { BADGE_COLORS, badgeCacheControl, badgeContent, escapeXml, renderBadgeSvg, textWidth } from "./badge";

function variant(key: string, status: VariantStatus, sizeBytes: number | null, verdict?: RunVerdict): VariantView {
  return variantView(key, { status, sizeBytes, runCheck: runCheckOf(verdict) });
}

const article = [
  variant("single", "built", 726_000_000, "works"),
  variant("scratch-naive", "built", 1_450_000, "fails"),
  variant("scratch", "built", 1_480_000, "works"),
];

describe("badgeContent", () => {
  const cases: Array<{
    name: string;
    status: ComparisonStatus | null;
    variants?: VariantView[];
    message: string;
    color: string;
  }> = [
    { name: "the smallest working image and the reduction", status: "succeeded", variants: article, message: "1.5 MB · −99.8%", color: BADGE_COLORS.good },
    {
      name: "a larger working image when the smallest fails its run check",
      status: "succeeded",
      variants: [variant("single", "built", 726_000_000), variant("scratch", "built", 1_400_000, "fails"), variant("distroless", "built", 3_000_000, "works")],
      message: "3 MB · −99.6%",
      color: BADGE_COLORS.good,
    },
    { name: "queued", status: "queued", message: "building…", color: BADGE_COLORS.info },
    { name: "running, even with sizes already measured", status: "running", variants: article, message: "building…", color: BADGE_COLORS.info },
    { name: "failed", status: "failed", variants: article, message: "failed", color: BADGE_COLORS.bad },
    { name: "canceled", status: "canceled", message: "canceled", color: BADGE_COLORS.neutral },
    {
      name: "one working image: its size alone",
      status: "succeeded",
      variants: [variant("single", "failed", null), variant("scratch", "built", 1_400_000, "works")],
      message: "1.4 MB",
      color: BADGE_COLORS.info,
    },
    { name: "nothing built", status: "succeeded", variants: [variant("single", "skipped", null)], message: "no image", color: BADGE_COLORS.neutral },
    { name: "an unknown id", status: null, message: "not found", color: BADGE_COLORS.neutral },
  ];
  it.each(cases)("$name → $message", ({ status, variants = [], message, color }) => {
    const content = badgeContent(status === null ? null : { status, variants });
    expect(content).toEqual({ label: "image", message, color });
  });
});

describe("badgeCacheControl", () => {
  it.each([
    ["queued", "public, max-age=10, must-revalidate"],
    ["running", "public, max-age=10, must-revalidate"],
    ["succeeded", "public, max-age=300"],
    ["failed", "public, max-age=300"],
    ["canceled", "public, max-age=300"],
    [null, "no-cache"],
  ] as const)("%s → %s", (status, want) => {
    expect(badgeCacheControl(status)).toBe(want);
  });
});

describe("renderBadgeSvg", () => {
  it("draws the label and the message with fitted widths", () => {
    const svg = renderBadgeSvg({ label: "image", message: "1.5 MB · −99.8%", color: BADGE_COLORS.good });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain("<title>image: 1.5 MB · −99.8%</title>");
    expect(svg).toContain('aria-label="image: 1.5 MB · −99.8%"');
    expect(svg).toContain(`fill="${BADGE_COLORS.good}"`);
    const width = Number(/^<svg[^>]* width="(\d+)"/.exec(svg)?.[1]);
    const labelWidth = Math.round(textWidth("image")) + 12;
    const messageWidth = Math.round(textWidth("1.5 MB · −99.8%")) + 12;
    expect(width).toBe(labelWidth + messageWidth);
    expect(svg).toContain(`<rect x="${labelWidth}" width="${messageWidth}"`);
    // Each text twice: the shadow and the text itself.
    expect(svg.match(/>1\.5 MB · −99\.8%<\/text>/g)).toHaveLength(2);
  });

  it.each([
    ["markup", "<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"],
    ["quotes and ampersands", `a "b" & 'c'`, "a &quot;b&quot; &amp; &apos;c&apos;"],
  ])("escapes %s in every place text goes", (_name, message, escaped) => {
    const svg = renderBadgeSvg({ label: "image", message, color: BADGE_COLORS.info });
    expect(svg).not.toContain(message);
    expect(svg).toContain(`<title>image: ${escaped}</title>`);
    expect(svg).toContain(`aria-label="image: ${escaped}"`);
    expect(svg).toContain(`>${escaped}</text>`);
  });

  it("never writes a colour that is not a plain hex value", () => {
    const svg = renderBadgeSvg({ label: "image", message: "x", color: 'red" onload="alert(1)' });
    expect(svg).not.toContain("onload");
    expect(svg).toContain(`fill="${BADGE_COLORS.neutral}"`);
  });

  it("grows with its text", () => {
    expect(textWidth("building…")).toBeGreaterThan(textWidth("failed"));
    expect(textWidth("1.5 MB")).toBeGreaterThan(0);
  });
});

describe("escapeXml", () => {
  it.each([
    ["plain", "plain"],
    ["<&>", "&lt;&amp;&gt;"],
    [`"'`, "&quot;&apos;"],
  ])("%s → %s", (input, want) => expect(escapeXml(input)).toBe(want));
});

describe("badge ids", () => {
  it("differ between badges, so several can be inlined in one page", () => {
    const ids = (svg: string) => [...svg.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
    const a = renderBadgeSvg({ label: "image", message: "1.5 MB", color: BADGE_COLORS.good });
    const b = renderBadgeSvg({ label: "image", message: "failed", color: BADGE_COLORS.bad });
    expect(ids(a)).toHaveLength(2);
    expect(ids(a).filter((id) => ids(b).includes(id))).toEqual([]);
    for (const id of ids(a)) expect(a).toContain(`url(#${id})`);
  });
});
