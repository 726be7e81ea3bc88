// What changed between two comparisons of the same repository, as JSON: per variant,
// sizes before and after, layers, files and the Go binary's modules and packages added,
// removed, grown (lib/views/compare-result.ts has the shape). 404 for an unknown id,
// 422 DIFFERENT_REPOSITORIES for two comparisons of different repositories.
import { NextResponse } from "next/server";
import { compareComparisons } from "@/lib/reads/compare-query";
import { errorResponse } from "@/lib/http";
import { web } from "@/lib/roots/web";

export const dynamic = "force-dynamic";

export async function GET(_request: Request, { params }: { params: Promise<{ a: string; b: string }> }) {
  try {
    const { a, b } = await params;
    return NextResponse.json(await compareComparisons(web().db, web().database.read(), a, b), { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    return errorResponse(error, "GET /api/compare/[a]/[b]", web().log);
  }
}
