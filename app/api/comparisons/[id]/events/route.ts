// Live progress of one comparison as Server-Sent Events: phase changes and build-log
// lines, then `done`. A reconnecting browser sends Last-Event-ID (a script may pass
// ?since=) and receives only what it missed.
import { comparisonEventStream, snapshotReader } from "@/lib/comparisons/event-stream";
import { parseCursor } from "@/lib/comparisons/events";
import { db } from "@/lib/db";
import { UserError } from "@/lib/errors";
import { errorResponse } from "@/lib/http";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  try {
    const { id } = await params;
    const exists = await db().comparison.findUnique({ where: { id }, select: { id: true } });
    if (!exists) throw new UserError("NOT_FOUND", `No comparison has the id "${id}".`, "not_found");
    const since = request.headers.get("last-event-id") ?? new URL(request.url).searchParams.get("since");
    const stream = comparisonEventStream({ read: snapshotReader(db(), id), cursor: parseCursor(since), signal: request.signal });
    return new Response(stream, {
      headers: {
        "content-type": "text/event-stream; charset=utf-8",
        // no-transform keeps the response out of compression, which would hold events back.
        "cache-control": "no-cache, no-transform",
        "x-accel-buffering": "no",
      },
    });
  } catch (error) {
    return errorResponse(error, "GET /api/comparisons/[id]/events");
  }
}
