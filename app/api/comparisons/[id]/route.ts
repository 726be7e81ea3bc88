// One comparison, everything the page shows.
import { NextResponse } from "next/server";
import { getComparison } from "@/lib/comparisons/queries";
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
