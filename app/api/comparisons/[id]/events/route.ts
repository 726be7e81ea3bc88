// Live progress of one comparison as Server-Sent Events: phase changes and build-log
// lines, then `done`. A reconnecting browser sends Last-Event-ID (a script may pass
// ?since=) and receives only what it missed. A client holds a few streams at most, and
// each lasts a few minutes before the browser reconnects.
import { comparisonNotFound } from "@/lib/comparisons/ids";
import { comparisonEventStream } from "@/lib/progress/event-stream";
import { parseCursor } from "@/lib/progress/events";
import { UserError } from "@/lib/errors";
import { errorResponse } from "@/lib/http";
import { clientKeyOf } from "@/lib/requests/client";
import { web } from "@/lib/roots/web";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  try {
    const { id } = await params;
    const { db, streams, progress, config, log } = web();
    const exists = await db.comparison.findUnique({ where: { id }, select: { id: true } });
    if (!exists) throw comparisonNotFound(id);
    const release = streams.take(clientKeyOf(request.headers));
    if (!release) {
      throw new UserError(
        "TOO_MANY_STREAMS",
        `This client already follows ${config.streams.perClient} comparisons live; close a tab or reload later.`,
        "too_many",
        undefined,
        10,
      );
    }
    const since = request.headers.get("last-event-id") ?? new URL(request.url).searchParams.get("since");
    const stream = comparisonEventStream({
      read: progress.reader(id),
      cursor: parseCursor(since),
      signal: request.signal,
      lifetimeMs: config.streams.lifetimeMs,
      onEnd: release,
      log: log.child({ comparisonId: id }),
    });
    return new Response(stream, {
      headers: {
        "content-type": "text/event-stream; charset=utf-8",
        // no-transform keeps the response out of compression, which would hold events back.
        "cache-control": "no-cache, no-transform",
        "x-accel-buffering": "no",
      },
    });
  } catch (error) {
    return errorResponse(error, "GET /api/comparisons/[id]/events", web().log);
  }
}
