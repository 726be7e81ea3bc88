// Stops a queued or running comparison.
import { NextResponse } from "next/server";
import { cancelComparison } from "@/lib/comparisons/service";
import { cancelRunning } from "@/lib/comparisons/worker";
import { db } from "@/lib/db";
import { errorResponse } from "@/lib/http";

export const dynamic = "force-dynamic";

export async function POST(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  try {
    const { id } = await params;
    return NextResponse.json(await cancelComparison(db(), id, cancelRunning));
  } catch (error) {
    return errorResponse(error, "POST /api/comparisons/[id]/cancel");
  }
}
