// GET /c/<id>/badge.svg — the comparison's README badge. An unknown id still answers
// with an SVG ("not found", 404) so a broken README link shows a badge, not a broken image.
import { getComparisonGlance } from "@/lib/reads/queries";
import { web } from "@/lib/roots/web";
import { describeUnexpected } from "@/lib/errors";
import { badgeCacheControl, badgeContent, BADGE_COLORS, renderBadgeSvg } from "@/lib/share/badge";

export const dynamic = "force-dynamic";

const SVG_HEADERS = {
  "content-type": "image/svg+xml; charset=utf-8",
  "x-content-type-options": "nosniff",
  // Opened on its own, the SVG is a document of this origin: it may style itself, nothing else.
  "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'",
};

export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  try {
    const { id } = await params;
    const comparison = await getComparisonGlance(web().db, id);
    return new Response(renderBadgeSvg(badgeContent(comparison)), {
      status: comparison ? 200 : 404,
      headers: { ...SVG_HEADERS, "cache-control": badgeCacheControl(comparison?.status ?? null) },
    });
  } catch (error) {
    describeUnexpected(error, "GET /c/[id]/badge.svg", web().log);
    return new Response(renderBadgeSvg({ label: "image", message: "error", color: BADGE_COLORS.bad }), {
      status: 500,
      headers: { ...SVG_HEADERS, "cache-control": "no-store" },
    });
  }
}
