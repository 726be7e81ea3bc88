// Stops a queued or running comparison: its management token or the admin token only.
import { NextResponse, type NextRequest } from "next/server";
import { assertOwner, assertSameOrigin, credentialsOf, requestHost } from "@/lib/comparisons/owners";
import { cancelComparison } from "@/lib/comparisons/service";
import { UserError } from "@/lib/errors";
import { errorResponse } from "@/lib/http";
import { web } from "@/lib/roots/web";

export const dynamic = "force-dynamic";

export async function POST(request: NextRequest, { params }: { params: Promise<{ id: string }> }) {
  try {
    const { id } = await params;
    const { db, config } = web();
    assertSameOrigin(request.headers, requestHost(request.headers, config.publicUrl));
    const row = await db.comparison.findUnique({ where: { id }, select: { ownerTokenHash: true } });
    if (!row) throw new UserError("NOT_FOUND", `No comparison has the id "${id}".`, "not_found");
    assertOwner(credentialsOf(request, id), row.ownerTokenHash, config.adminToken, "cancel");
    return NextResponse.json(await cancelComparison(db, id));
  } catch (error) {
    return errorResponse(error, "POST /api/comparisons/[id]/cancel");
  }
}
