// "Build again": submits the comparison again as it was submitted, to be built even
// though an earlier comparison had the same build. Its management token or the admin
// token only; the rate limit and the queue's caps hold as for any submission.
import type { NextRequest } from "next/server";
import { assertOwnerOf } from "@/lib/comparisons/owners";
import { rebuildComparison } from "@/lib/comparisons/service";
import { errorResponse, rateLimited, startedResponse } from "@/lib/http";
import { clientKeyOf } from "@/lib/requests/client";
import { web } from "@/lib/roots/web";

export const dynamic = "force-dynamic";

export async function POST(request: NextRequest, { params }: { params: Promise<{ id: string }> }) {
  const { db, config, submissions } = web();
  const clientKey = clientKeyOf(request.headers);
  const limited = rateLimited(submissions, clientKey);
  if (limited) return limited;
  try {
    const { id } = await params;
    await assertOwnerOf(db, request, id, "build again", config);
    const created = await rebuildComparison(db, id, { clientKey, caps: config.queueCaps });
    return startedResponse(created, (config.publicUrl ?? request.url).startsWith("https:"));
  } catch (error) {
    return errorResponse(error, "POST /api/comparisons/[id]/rebuild", web().log);
  }
}
