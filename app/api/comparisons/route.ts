// POST starts a comparison; GET lists comparisons newest first, a page at a time.
import { NextResponse } from "next/server";
import { parseCursor } from "@/lib/comparisons/cursor";
import { listComparisonsPage } from "@/lib/comparisons/queries";
import { createComparison } from "@/lib/comparisons/service";
import { wakeWorker } from "@/lib/comparisons/worker";
import { submissionsPerMinute } from "@/lib/config";
import { db } from "@/lib/db";
import { errorResponse, readJson } from "@/lib/http";
import { clientKey, createRateLimiter } from "@/lib/rate-limit";

export const dynamic = "force-dynamic";

const limiter = createRateLimiter({ limit: submissionsPerMinute(), windowMs: 60_000 });

export async function POST(request: Request) {
  const allowed = limiter.take(clientKey(request.headers));
  if (!allowed.ok) {
    return NextResponse.json(
      { error: { code: "RATE_LIMITED", message: `Too many submissions; try again in ${allowed.retryAfterSeconds} s.` } },
      { status: 429, headers: { "Retry-After": String(allowed.retryAfterSeconds) } },
    );
  }
  try {
    const created = await createComparison(db(), await readJson(request), wakeWorker);
    return NextResponse.json(created, { status: 201 });
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
    const page = await listComparisonsPage({
      limit,
      ...(cursorParam ? { cursor: parseCursor(cursorParam) } : {}),
      ...(repo ? { repo } : {}),
    });
    return NextResponse.json(page);
  } catch (error) {
    return errorResponse(error, "GET /api/comparisons");
  }
}
