// POST starts a comparison; GET lists comparisons newest first, a page at a time.
import { NextResponse } from "next/server";
import { parseCursor } from "@/lib/reads/cursor";
import { listComparisonsPage } from "@/lib/reads/queries";
import { createComparison } from "@/lib/comparisons/service";
import { errorResponse, rateLimited, readJson, startedResponse } from "@/lib/http";
import { clientKeyOf } from "@/lib/requests/client";
import { web } from "@/lib/roots/web";

export const dynamic = "force-dynamic";

export async function POST(request: Request) {
  const { db, config, submissions } = web();
  const clientKey = clientKeyOf(request.headers);
  const limited = rateLimited(submissions, clientKey);
  if (limited) return limited;
  try {
    const body = await readJson(request, config.maxBodyBytes);
    const created = await createComparison(db, body, { clientKey, caps: config.queueCaps, policy: config.repoPolicy, examplesDir: config.examplesDir });
    return startedResponse(created, (config.publicUrl ?? request.url).startsWith("https:"));
  } catch (error) {
    return errorResponse(error, "POST /api/comparisons", web().log);
  }
}

// ?repo= one repository only; ?cursor= the nextCursor of the previous page; ?limit= 1..100 (20).
export async function GET(request: Request) {
  try {
    const params = new URL(request.url).searchParams;
    const limit = Math.min(Math.max(Math.trunc(Number(params.get("limit"))) || 20, 1), 100);
    const cursorParam = params.get("cursor");
    const repo = params.get("repo")?.trim();
    const page = await listComparisonsPage(web().database.read(), {
      limit,
      ...(cursorParam ? { cursor: parseCursor(cursorParam) } : {}),
      ...(repo ? { repo } : {}),
    });
    return NextResponse.json(page);
  } catch (error) {
    return errorResponse(error, "GET /api/comparisons", web().log);
  }
}
