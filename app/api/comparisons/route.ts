// POST starts a comparison; GET lists recent ones.
import { NextResponse } from "next/server";
import { listRecentComparisons } from "@/lib/comparisons/queries";
import { createComparison } from "@/lib/comparisons/service";
import { wakeWorker } from "@/lib/comparisons/worker";
import { db } from "@/lib/db";
import { errorResponse, readJson } from "@/lib/http";

export const dynamic = "force-dynamic";

export async function POST(request: Request) {
  try {
    const created = await createComparison(db(), await readJson(request), wakeWorker);
    return NextResponse.json(created, { status: 201 });
  } catch (error) {
    return errorResponse(error, "POST /api/comparisons");
  }
}

export async function GET(request: Request) {
  try {
    const limitParam = new URL(request.url).searchParams.get("limit");
    const limit = Math.min(Math.max(Number(limitParam) || 20, 1), 100);
    return NextResponse.json({ items: await listRecentComparisons(limit), nextCursor: null });
  } catch (error) {
    return errorResponse(error, "GET /api/comparisons");
  }
}
