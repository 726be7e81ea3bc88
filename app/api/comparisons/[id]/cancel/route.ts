// Stops a queued or running comparison: its management token or the admin token only.
import { NextResponse, type NextRequest } from "next/server";
import { assertOwnerOf } from "@/lib/comparisons/owners";
import { cancelComparison } from "@/lib/comparisons/service";
import { errorResponse } from "@/lib/http";
import { web } from "@/lib/roots/web";

export const dynamic = "force-dynamic";

export async function POST(request: NextRequest, { params }: { params: Promise<{ id: string }> }) {
  try {
    const { id } = await params;
    const { db, config } = web();
    await assertOwnerOf(db, request, id, "cancel", config);
    return NextResponse.json(await cancelComparison(db, id));
  } catch (error) {
    return errorResponse(error, "POST /api/comparisons/[id]/cancel", web().log);
  }
}
