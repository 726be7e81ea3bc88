// GET /metrics — Prometheus' text format, for the operator only (Authorization: Bearer
// SLIMSTAGE_ADMIN_TOKEN; without that token configured there are no metrics): what the
// database knows at scrape time (lib/metrics/snapshot.ts), then this web process's own
// live figures (lib/metrics/web-metrics.ts).
import { NextResponse } from "next/server";
import { bearerOf, isAdmin } from "@/lib/comparisons/owners";
import { errorResponse } from "@/lib/http";
import { readMetricsSnapshot, renderSnapshot } from "@/lib/metrics/snapshot";
import { web } from "@/lib/roots/web";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  const { db, config, metrics, log } = web();
  if (!config.adminToken) {
    return NextResponse.json({ error: { code: "NOT_FOUND", message: "Metrics are served only when SLIMSTAGE_ADMIN_TOKEN is set." } }, { status: 404 });
  }
  if (!isAdmin(bearerOf(request.headers), config.adminToken)) {
    return NextResponse.json(
      { error: { code: "NOT_OPERATOR", message: "Metrics are for the operator: send Authorization: Bearer <SLIMSTAGE_ADMIN_TOKEN>." } },
      { status: 401, headers: { "WWW-Authenticate": 'Bearer realm="slimstage metrics"' } },
    );
  }
  try {
    const [snapshot, live] = await Promise.all([readMetricsSnapshot(db), metrics.registry.metrics()]);
    return new Response(renderSnapshot(snapshot) + live, { headers: { "content-type": metrics.registry.contentType, "cache-control": "no-store" } });
  } catch (error) {
    return errorResponse(error, "GET /metrics", log);
  }
}
