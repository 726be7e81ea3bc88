// What a pasted /c/<id> link unfurls to: og:* and twitter:* tags whose title is the
// headline. The image itself comes from app/c/[id]/opengraph-image.tsx; Next.js adds it
// to these tags, made absolute with metadataBase — the server's public origin.
import type { Metadata } from "next";
import type { ComparisonView } from "@/lib/comparisons/types";
import { formatBytes } from "@/lib/format";
import { shareTitle, shortRepo } from "./og-card";

export function shareMetadata(
  comparison: ComparisonView,
  origin: URL | null,
): Pick<Metadata, "metadataBase" | "openGraph" | "twitter"> {
  const title = shareTitle(comparison);
  const description = shareDescription(comparison);
  return {
    ...(origin ? { metadataBase: origin } : {}),
    openGraph: { type: "website", siteName: "Slimstage", url: `/c/${comparison.id}`, title, description },
    twitter: { card: "summary_large_image", title, description },
  };
}

export function shareDescription(comparison: Pick<ComparisonView, "repo" | "variants">): string {
  const sizes = comparison.variants
    .filter((v) => v.status === "built" && v.sizeBytes !== null)
    .map((v) => `${v.key} ${formatBytes(v.sizeBytes)}`);
  const what = `Docker image sizes of ${shortRepo(comparison.repo)}, built single-stage and multi-stage`;
  return sizes.length > 0 ? `${what}: ${sizes.join(", ")}.` : `${what}.`;
}

interface HeaderSource {
  get(name: string): string | null;
}

const HOST = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * Where readers reach this server: SLIMSTAGE_PUBLIC_URL when set (behind a proxy that
 * rewrites hosts), else the request's forwarded or own Host. Anything that does not look
 * like a host is ignored (null: Next.js falls back to localhost).
 */
export function publicOrigin(configured: string | undefined, headers: HeaderSource): URL | null {
  if (configured) {
    try {
      const url = new URL(configured);
      if (url.protocol === "http:" || url.protocol === "https:") return url;
    } catch {
      // fall through to the request's host
    }
  }
  const first = (name: string) => headers.get(name)?.split(",")[0]?.trim() || null;
  const host = first("x-forwarded-host") ?? first("host");
  if (!host || !HOST.test(host)) return null;
  const proto = first("x-forwarded-proto");
  return new URL(`${proto === "https" ? "https" : "http"}://${host}`);
}
