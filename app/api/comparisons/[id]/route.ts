// One comparison: everything the page shows; DELETE removes it and its images.
import { NextResponse } from "next/server";
import { getComparison } from "@/lib/comparisons/queries";
import { deleteComparison } from "@/lib/comparisons/retention";
import { db } from "@/lib/db";
import { dockerEngine } from "@/lib/engine/docker-engine";
import { UserError } from "@/lib/errors";
import { errorResponse } from "@/lib/http";

export const dynamic = "force-dynamic";

export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  try {
    const { id } = await params;
    const comparison = await getComparison(id);
    if (!comparison) throw new UserError("NOT_FOUND", `No comparison has the id "${id}".`, "not_found");
    return NextResponse.json(comparison);
  } catch (error) {
    return errorResponse(error, "GET /api/comparisons/[id]");
  }
}

export async function DELETE(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  try {
    const { id } = await params;
    if (!(await deleteComparison(db(), dockerEngine(), id))) {
      throw new UserError("NOT_FOUND", `No comparison has the id "${id}".`, "not_found");
    }
    return new NextResponse(null, { status: 204 });
  } catch (error) {
    return errorResponse(error, "DELETE /api/comparisons/[id]");
  }
}
