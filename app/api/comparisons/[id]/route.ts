// One comparison: everything the page shows; DELETE removes it (its management token or
// the admin token only), and the worker of the engine that built it removes its images.
import { NextResponse, type NextRequest } from "next/server";
import { assertOwner, assertSameOrigin, credentialsOf, requestHost } from "@/lib/comparisons/owners";
import { getComparison } from "@/lib/comparisons/queries";
import { deleteComparison } from "@/lib/comparisons/service";
import { UserError } from "@/lib/errors";
import { errorResponse } from "@/lib/http";
import { web } from "@/lib/roots/web";

export const dynamic = "force-dynamic";

const notFound = (id: string) => new UserError("NOT_FOUND", `No comparison has the id "${id}".`, "not_found");

export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  try {
    const { id } = await params;
    const comparison = await getComparison(web().db, id);
    if (!comparison) throw notFound(id);
    return NextResponse.json(comparison);
  } catch (error) {
    return errorResponse(error, "GET /api/comparisons/[id]");
  }
}

export async function DELETE(request: NextRequest, { params }: { params: Promise<{ id: string }> }) {
  try {
    const { id } = await params;
    const { db, config } = web();
    assertSameOrigin(request.headers, requestHost(request.headers, config.publicUrl));
    const row = await db.comparison.findUnique({ where: { id }, select: { ownerTokenHash: true } });
    if (!row) throw notFound(id);
    assertOwner(credentialsOf(request, id), row.ownerTokenHash, config.adminToken, "delete");
    if (!(await deleteComparison(db, id))) throw notFound(id);
    return new NextResponse(null, { status: 204 });
  } catch (error) {
    return errorResponse(error, "DELETE /api/comparisons/[id]");
  }
}
