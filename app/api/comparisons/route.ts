// POST starts a comparison; GET lists comparisons newest first, a page at a time.
import { NextResponse } from "next/server";
import { parseCursor } from "@/lib/reads/cursor";
import { ownerCookieName } from "@/lib/comparisons/owners";
import { listComparisonsPage } from "@/lib/reads/queries";
import { createComparison } from "@/lib/comparisons/service";
import { errorResponse, readJson } from "@/lib/http";
import { clientKeyOf } from "@/lib/requests/client";
import { web } from "@/lib/roots/web";

export const dynamic = "force-dynamic";

export async function POST(request: Request) {
  const { db, config, submissions } = web();
  const clientKey = clientKeyOf(request.headers);
  const allowed = submissions.take(clientKey);
  if (!allowed.ok) {
    return NextResponse.json(
      { error: { code: "RATE_LIMITED", message: `Too many submissions; try again in ${allowed.retryAfterSeconds} s.` } },
      { status: 429, headers: { "Retry-After": String(allowed.retryAfterSeconds) } },
    );
  }
  try {
    const body = await readJson(request, config.maxBodyBytes);
    const created = await createComparison(db, body, { clientKey, caps: config.queueCaps, policy: config.repoPolicy, examplesDir: config.examplesDir });
    const response = NextResponse.json(created, { status: 201 });
    // The submitting browser keeps the management token for this comparison's buttons.
    response.cookies.set(ownerCookieName(created.id), created.managementToken, {
      httpOnly: true,
      sameSite: "strict",
      secure: (config.publicUrl ?? request.url).startsWith("https:"),
      path: "/",
      maxAge: 90 * 24 * 3600,
    });
    return response;
  } catch (error) {
    return errorResponse(error, "POST /api/comparisons");
  }
}

// ?repo= one repository only; ?cursor= the nextCursor of the previous page; ?limit= 1..100 (20).
export async function GET(request: Request) {
  try {
    const params = new URL(request.url).searchParams;
    const limit = Math.min(Math.max(Math.trunc(Number(params.get("limit"))) || 20, 1), 100);
    const cursorParam = params.get("cursor");
    const repo = params.get("repo")?.trim();
    const page = await listComparisonsPage(web().db, {
      limit,
      ...(cursorParam ? { cursor: parseCursor(cursorParam) } : {}),
      ...(repo ? { repo } : {}),
    });
    return NextResponse.json(page);
  } catch (error) {
    return errorResponse(error, "GET /api/comparisons");
  }
}
