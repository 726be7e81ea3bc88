// A repository's history chart as JSON, { points, lines } (lib/views/history.ts): the
// points /r/<repo>'s plot draws, fetched when the plot loads rather than carried in the
// page. ?repo= any spelling of the repository; 400 INVALID_QUERY when it names none,
// 404 NOT_FOUND when no comparison is of it.
import { NextResponse } from "next/server";
import { repositoryNotFound } from "@/lib/comparisons/ids";
import { errorResponse } from "@/lib/http";
import { listRepoHistory } from "@/lib/reads/history-query";
import { web } from "@/lib/roots/web";
import { historySeries } from "@/lib/views/history";
import { parseHistoryRequest } from "@/lib/views/history-request";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  try {
    const target = parseHistoryRequest(new URL(request.url).searchParams);
    const items = await listRepoHistory(web().database.read(), target.spellings);
    if (items.length === 0) throw repositoryNotFound(target.repo);
    return NextResponse.json(historySeries(items), { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    return errorResponse(error, "GET /api/repositories/history", web().log);
  }
}
