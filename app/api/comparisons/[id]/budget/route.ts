// The size budget for CI: is this comparison's variant within maxBytes, and/or within
// maxGrowthPercent of the previous comparison of the same program? 200 when it is,
// 422 BUDGET_EXCEEDED when it is not (the same body plus `error`), so `curl --fail`
// fails the job; 409 NOT_FINISHED (with Retry-After) while it runs; 422 with a specific
// code for a bad parameter. Parameters: lib/views/compare-budget-query.ts.
import { NextResponse } from "next/server";
import { checkBudget } from "@/lib/reads/budget-query";
import { adviceForBudget } from "@/lib/advice/budget";
import { getAdvice } from "@/lib/advice/read";
import { errorResponse } from "@/lib/http";
import { web } from "@/lib/roots/web";
import { parseBudgetQuery } from "@/lib/views/compare-budget-query";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  try {
    const { id } = await params;
    const query = parseBudgetQuery(new URL(request.url).searchParams);
    const answer = await checkBudget(web().db, web().database.read(), id, query);
    const headers = { "Cache-Control": "no-store" };
    if (answer.ok) return NextResponse.json(answer, { headers });
    // Over budget: the proven steps of the advice (lib/advice) that would bring it under, when there are some.
    const advice = answer.limitBytes === null ? null : await getAdvice(web().db, id);
    const proven = advice && answer.limitBytes !== null ? adviceForBudget(advice, answer.limitBytes, answer.size) : null;
    const message = proven ? `${answer.message} ${proven.fits ? "These" : "Even all"} proven steps ${proven.fits ? "would bring it under" : "leave it over"}: ${proven.steps.map((s) => s.key).join(", ")} (${proven.url}).` : answer.message;
    return NextResponse.json({ ...answer, ...(proven ? { advice: proven } : {}), error: { code: "BUDGET_EXCEEDED", message } }, { status: 422, headers });
  } catch (error) {
    return errorResponse(error, "GET /api/comparisons/[id]/budget", web().log);
  }
}
