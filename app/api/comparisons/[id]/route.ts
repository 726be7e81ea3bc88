// One comparison: everything the page shows; DELETE removes it (its management token or
// the admin token only), and the worker of the engine that built it removes its images.
import { NextResponse, type NextRequest } from "next/server";
import { comparisonNotFound } from "@/lib/comparisons/ids";
import { assertOwnerOf } from "@/lib/comparisons/owners";
import { readComparison } from "@/lib/reads/comparison-read";
import { deleteComparison } from "@/lib/comparisons/service";
import { errorResponse } from "@/lib/http";
import { web } from "@/lib/roots/web";

export const dynamic = "force-dynamic";

export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  try {
    const { id } = await params;
    const comparison = await readComparison(web().database.read(), id);
    if (!comparison) throw comparisonNotFound(id);
    return NextResponse.json(comparison);
  } catch (error) {
    return errorResponse(error, "GET /api/comparisons/[id]", web().log);
  }
}

export async function DELETE(request: NextRequest, { params }: { params: Promise<{ id: string }> }) {
  try {
    const { id } = await params;
    const { db, config } = web();
    await assertOwnerOf(db, request, id, "delete", config);
    if (!(await deleteComparison(db, id))) throw comparisonNotFound(id);
    return new NextResponse(null, { status: 204 });
  } catch (error) {
    return errorResponse(error, "DELETE /api/comparisons/[id]", web().log);
  }
}
