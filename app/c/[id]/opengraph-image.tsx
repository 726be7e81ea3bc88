// The preview image a chat app shows for a pasted /c/<id> link: 1200x630 PNG with the
// repository, the headline and one bar per built variant (naive ones in amber). Only
// the renderer's built-in font: this server never fetches anything to draw it.
import { ImageResponse } from "next/og";
import type { ReactNode } from "react";
import { getComparisonGlance } from "@/lib/reads/queries";
import { web } from "@/lib/roots/web";
import { badgeCacheControl } from "@/lib/share/badge";
import { ogCard, type OgCard } from "@/lib/share/og-card";

export const alt = "Docker image sizes of a Go program, single-stage against multi-stage";
export const size = { width: 1200, height: 630 };
export const contentType = "image/png";
// The picture changes while the comparison runs, so it is drawn per request.
export const dynamic = "force-dynamic";

const PADDING_X = 64;
const LABEL_WIDTH = 250;
const SIZE_LABEL_WIDTH = 150;
const TRACK_WIDTH = size.width - 2 * PADDING_X - LABEL_WIDTH - SIZE_LABEL_WIDTH;
const BARS_HEIGHT = 260;

const COLORS = {
  text: "#1b1f24",
  muted: "#5b6470",
  accent: "#0b63ce",
  naive: "#d08a00",
  border: "#dde1e6",
} as const;

const STATUS_COLORS: Record<OgCard["status"], { background: string; color: string }> = {
  queued: { background: "#e4efff", color: "#0a4da3" },
  running: { background: "#e4efff", color: "#0a4da3" },
  succeeded: { background: "#e3f5e9", color: "#16653a" },
  failed: { background: "#fde6e6", color: "#a01c1c" },
  canceled: { background: "#fff4d6", color: "#7a5300" },
};

export default async function Image({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const comparison = await getComparisonGlance(web().db, id);
  if (!comparison) {
    return new ImageResponse(<Frame status={null}><Title text="No comparison has this link." /></Frame>, {
      ...size,
      status: 404,
      headers: { "cache-control": "no-cache" },
    });
  }
  const card = ogCard(comparison);
  return new ImageResponse(
    <Frame status={card.status}>
      <div style={{ display: "flex", fontSize: 34, color: COLORS.muted, marginTop: 24 }}>{card.repo}</div>
      <Title text={card.title} />
      {card.subtitle ? <div style={{ display: "flex", fontSize: 34, color: COLORS.text, marginTop: 4 }}>{card.subtitle}</div> : null}
      <Bars bars={card.bars} />
    </Frame>,
    { ...size, headers: { "cache-control": badgeCacheControl(card.status) } },
  );
}

function Frame({ status, children }: { status: OgCard["status"] | null; children: ReactNode }) {
  return (
    <div
      style={{
        width: "100%",
        height: "100%",
        display: "flex",
        flexDirection: "column",
        padding: `48px ${PADDING_X}px`,
        background: "#ffffff",
        borderTop: `12px solid ${COLORS.accent}`,
        color: COLORS.text,
      }}
    >
      <div style={{ display: "flex", justifyContent: "space-between", alignItems: "center" }}>
        <div style={{ display: "flex", fontSize: 32, color: COLORS.accent }}>Slimstage</div>
        {status ? (
          <div
            style={{
              display: "flex",
              fontSize: 26,
              padding: "4px 20px",
              borderRadius: 999,
              ...STATUS_COLORS[status],
            }}
          >
            {status}
          </div>
        ) : null}
      </div>
      {children}
    </div>
  );
}

function Title({ text }: { text: string }) {
  // Sizes ("726 MB → 1.5 MB") large; a sentence (building, failed) on at most two lines.
  const fontSize = text.length <= 24 ? 76 : text.length <= 40 ? 52 : 42;
  return (
    <div style={{ display: "flex", fontSize, lineHeight: 1.15, marginTop: 6, maxHeight: fontSize * 1.15 * 2 + 4, overflow: "hidden" }}>
      {text}
    </div>
  );
}

function Bars({ bars }: { bars: OgCard["bars"] }) {
  if (bars.length === 0) {
    return (
      <div style={{ display: "flex", marginTop: "auto", fontSize: 30, color: COLORS.muted }}>No image has been built yet.</div>
    );
  }
  const rowHeight = Math.min(64, Math.floor(BARS_HEIGHT / bars.length));
  const fontSize = Math.min(30, Math.round(rowHeight * 0.62));
  return (
    <div style={{ display: "flex", flexDirection: "column", marginTop: "auto", borderTop: `2px solid ${COLORS.border}`, paddingTop: 12 }}>
      {bars.map((bar) => (
        <div key={bar.key} style={{ display: "flex", alignItems: "center", height: rowHeight }}>
          <div style={{ display: "flex", width: LABEL_WIDTH, fontSize, color: bar.naive ? COLORS.naive : COLORS.text }}>{bar.key}</div>
          <div
            style={{
              display: "flex",
              width: Math.max(6, Math.round(bar.fraction * TRACK_WIDTH)),
              height: Math.round(rowHeight * 0.62),
              borderRadius: 6,
              background: bar.naive ? COLORS.naive : COLORS.accent,
            }}
          />
          <div style={{ display: "flex", marginLeft: 16, fontSize, color: COLORS.muted }}>{bar.sizeText}</div>
        </div>
      ))}
    </div>
  );
}
