// The live-progress stream of one comparison: polls its rows (the database is the
// truth, so any server process can answer and a late joiner first gets the stored
// past), turns each snapshot into Server-Sent Events with events.ts, and stops when
// the comparison is finished or the client goes away.
import type { Db } from "@/lib/db";
import { describeUnexpected } from "@/lib/errors";
import type { Logger } from "@/lib/log";
import { diffSnapshot, encodeEvent, type ComparisonSnapshot, type EventCursor } from "@/lib/progress/events";
import type { ComparisonStatus, RunVerdict, VariantStatus } from "@/lib/comparisons/types";

/** Reads a snapshot; build logs only of the rows `wantLog` accepts (the others are sent already). */
export type SnapshotReader = (wantLog: (row: number) => boolean) => Promise<ComparisonSnapshot | null>;

export interface EventStreamOptions {
  read: SnapshotReader;
  cursor: EventCursor;
  /** The request's signal: the client disconnected. */
  signal: AbortSignal;
  pollMs?: number;
  heartbeatMs?: number;
  /** How long a browser waits before reconnecting after the stream drops. */
  retryMs?: number;
  /** The stream ends after this long; the browser reconnects with Last-Event-ID and misses nothing. */
  lifetimeMs?: number;
  /** Called once when the stream ends, however it ends. */
  onEnd?: () => void;
  /** Where a failed read is logged (the web root's logger, with the comparison's id). */
  log: Logger;
}

const FINISHED_VARIANT: ReadonlySet<VariantStatus> = new Set(["built", "failed", "skipped"]);

export function comparisonEventStream(options: EventStreamOptions): ReadableStream<Uint8Array> {
  const { read, signal, pollMs = 500, heartbeatMs = 15_000, retryMs = 2000, lifetimeMs = Number.POSITIVE_INFINITY } = options;
  const endsAt = Date.now() + lifetimeMs;
  const encoder = new TextEncoder();
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  signal.addEventListener("abort", onAbort, { once: true });
  if (signal.aborted) stop.abort();
  let canceled = false;

  return new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (text: string) => {
        if (!stop.signal.aborted) controller.enqueue(encoder.encode(text));
      };
      const heartbeat = setInterval(() => send(": heartbeat\n\n"), heartbeatMs);
      // Rows whose whole log this stream has sent: a finished variant's log no longer changes.
      const settled = new Set<number>();
      let cursor = options.cursor;
      try {
        send(`retry: ${retryMs}\n\n`);
        while (!stop.signal.aborted) {
          const snapshot = await read((row) => !settled.has(row));
          if (!snapshot || stop.signal.aborted) break;
          const diff = diffSnapshot(cursor, snapshot);
          cursor = diff.cursor;
          for (const event of diff.events) send(encodeEvent(event));
          for (const v of snapshot.variants) if (v.buildLog !== null && FINISHED_VARIANT.has(v.status)) settled.add(v.row);
          if (diff.events.some((event) => event.type === "done")) break;
          if (Date.now() >= endsAt) break;
          await sleep(pollMs, stop.signal);
        }
      } catch (error) {
        // The browser reconnects with its Last-Event-ID and continues where it was.
        describeUnexpected(error, "comparison event stream", options.log);
      } finally {
        clearInterval(heartbeat);
        options.onEnd?.();
        signal.removeEventListener("abort", onAbort);
        stop.abort();
        if (!canceled) controller.close();
      }
    },
    cancel() {
      canceled = true;
      options.onEnd?.();
      stop.abort();
    },
  });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

/** Reads snapshots of one comparison from the database, in two queries: statuses, then the logs asked for. */
export function snapshotReader(db: Db, id: string): SnapshotReader {
  return async (wantLog) => {
    const row = await db.comparison.findUnique({
      where: { id },
      select: {
        status: true,
        phase: true,
        variants: {
          orderBy: { position: "asc" },
          select: { id: true, key: true, naive: true, status: true, runVerdict: true },
        },
      },
    });
    if (!row) return null;
    // Read after the statuses: a variant seen finished above has its final log here.
    const rows = row.variants.filter((v) => wantLog(v.id)).map((v) => v.id);
    const logs = rows.length
      ? await db.variant.findMany({ where: { id: { in: rows } }, select: { id: true, buildLog: true } })
      : [];
    const logOf = new Map(logs.map((l) => [l.id, l.buildLog]));
    return {
      status: row.status as ComparisonStatus,
      phase: row.phase,
      variants: row.variants.map((v) => ({
        row: v.id,
        key: v.key,
        naive: v.naive,
        status: v.status as VariantStatus,
        runVerdict: v.runVerdict as RunVerdict | null,
        buildLog: logOf.get(v.id) ?? null,
      })),
    };
  };
}
