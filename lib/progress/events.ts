// The live-progress protocol of GET /api/comparisons/<id>/events, pure: what a snapshot
// of the rows means as Server-Sent Events, given what the client already has. The
// cursor (each event's `id:`) records the phase the client saw and, per variant row,
// how many build-log lines it received, counted from the first line the build ever
// wrote: a reconnecting browser (Last-Event-ID) gets exactly what it missed.
import type { ComparisonStatus, RunVerdict, VariantStatus } from "@/lib/comparisons/types";
import { isTerminal } from "@/lib/comparisons/types";

export interface VariantSnapshot {
  /** The row id: a comparison retried after a restart gets new rows and new logs. */
  row: number;
  key: string;
  naive: boolean;
  status: VariantStatus;
  runVerdict: RunVerdict | null;
  /** The stored build log, or null when it was not read (known to be sent already). */
  buildLog: string | null;
}

export interface ComparisonSnapshot {
  status: ComparisonStatus;
  phase: string | null;
  variants: VariantSnapshot[];
}

export interface Progress {
  done: number;
  total: number;
}

export interface PhaseEventData {
  status: ComparisonStatus;
  phase: string | null;
  variants: Array<{ key: string; naive: boolean; status: VariantStatus; runVerdict: RunVerdict | null }>;
  progress: Progress;
}

/** Lines `from`, `from + 1`, ... of a variant's build log (numbered from the build's first line). */
export interface LogEventData {
  variant: string;
  from: number;
  lines: string[];
  /** Drop what you have of this variant first (its rows were rebuilt after a restart). */
  reset?: true;
}

export interface DoneEventData {
  status: ComparisonStatus;
}

export type ProgressEvent =
  | { type: "phase"; id: string; data: PhaseEventData }
  | { type: "log"; id: string; data: LogEventData }
  | { type: "done"; id: string; data: DoneEventData };

export interface EventCursor {
  /** Fingerprint of the last phase event sent; "" before the first. */
  phase: string;
  /** Per variant key: its row and the number of log lines sent. */
  logs: Record<string, { row: number; lines: number }>;
}

export const START_CURSOR: EventCursor = { phase: "", logs: {} };

/**
 * Steps of a comparison: reading the source (done once its variants exist), then per
 * variant its build and its run check (a variant that was skipped or failed to build
 * has its run check marked skipped at once, so it counts as done).
 */
export function progressOf(variants: Array<{ status: VariantStatus; runVerdict: RunVerdict | null }>): Progress {
  let done = variants.length > 0 ? 1 : 0;
  for (const variant of variants) {
    if (variant.status !== "queued" && variant.status !== "building") done++;
    if (variant.runVerdict !== null) done++;
  }
  return { done, total: 1 + 2 * variants.length };
}

/** The phase event's data for a comparison as the page reads it (the first render). */
export function phaseOfView(view: {
  status: ComparisonStatus;
  phase: string | null;
  variants: Array<{ key: string; naive: boolean; status: VariantStatus; runCheck: { verdict: RunVerdict } | null }>;
}): PhaseEventData {
  const variants = view.variants.map(({ key, naive, status, runCheck }) => ({ key, naive, status, runVerdict: runCheck?.verdict ?? null }));
  return { status: view.status, phase: view.phase, variants, progress: progressOf(variants) };
}

// LogBuffer (build-log.ts) starts its text with this line when it dropped old lines.
const DROPPED = /^… (\d+) earlier lines not kept$/;

/** A stored build log as absolute lines: the first kept line's number and the lines. */
export function parseBuildLog(text: string): { first: number; lines: string[] } {
  if (text === "") return { first: 0, lines: [] };
  const lines = text.split("\n");
  const dropped = DROPPED.exec(lines[0]);
  return dropped ? { first: Number(dropped[1]), lines: lines.slice(1) } : { first: 0, lines };
}

/** The events that bring a client at `cursor` up to `snapshot`, and the cursor after them. */
export function diffSnapshot(cursor: EventCursor, snapshot: ComparisonSnapshot): { events: ProgressEvent[]; cursor: EventCursor } {
  const events: ProgressEvent[] = [];
  let current: EventCursor = { phase: cursor.phase, logs: { ...cursor.logs } };
  const emit = (event: Omit<ProgressEvent, "id">) => events.push({ ...event, id: formatCursor(current) } as ProgressEvent);

  const phase: PhaseEventData = {
    status: snapshot.status,
    phase: snapshot.phase,
    variants: snapshot.variants.map(({ key, naive, status, runVerdict }) => ({ key, naive, status, runVerdict })),
    progress: progressOf(snapshot.variants),
  };
  const fingerprint = hash(JSON.stringify(phase));
  if (fingerprint !== current.phase) {
    current = { ...current, phase: fingerprint };
    emit({ type: "phase", data: phase });
  }

  // Variants the client has lines of that no longer exist (rebuilt after a restart).
  const keys = new Set(snapshot.variants.map((v) => v.key));
  for (const key of Object.keys(current.logs)) {
    if (keys.has(key)) continue;
    const { [key]: _gone, ...rest } = current.logs;
    current = { ...current, logs: rest };
    emit({ type: "log", data: { variant: key, from: 0, lines: [], reset: true } });
  }

  for (const variant of snapshot.variants) {
    const known = current.logs[variant.key];
    const sameRow = known?.row === variant.row;
    // Not read this time: only rows whose whole log this stream has already sent.
    if (variant.buildLog === null) continue;
    const { first, lines } = parseBuildLog(variant.buildLog);
    const total = first + lines.length;
    // The client has lines of another row (or more lines than exist): start it over.
    const reset = known !== undefined && (!sameRow || known.lines > total);
    const from = reset || !known ? first : Math.max(known.lines, first);
    const fresh = lines.slice(from - first);
    current = withLines(current, variant, total);
    if (fresh.length > 0 || reset) {
      emit({ type: "log", data: { variant: variant.key, from, lines: fresh, ...(reset ? { reset: true as const } : {}) } });
    }
  }

  if (isTerminal(snapshot.status)) emit({ type: "done", data: { status: snapshot.status } });
  return { events, cursor: current };
}

const withLines = (cursor: EventCursor, variant: VariantSnapshot, lines: number): EventCursor => ({
  ...cursor,
  logs: { ...cursor.logs, [variant.key]: { row: variant.row, lines } },
});

// Cursor text: "<phase fingerprint>.<key>@<row>:<lines>,...", e.g. "k2x9a1.single@3:120,scratch@4:0".
// Short, printable, no newline (an SSE id must not have one), and readable in a log.
const KEY = /^[a-z][a-z0-9-]{0,40}$/;

export function formatCursor(cursor: EventCursor): string {
  const logs = Object.entries(cursor.logs)
    .map(([key, { row, lines }]) => `${key}@${row}:${lines}`)
    .join(",");
  return `${cursor.phase}.${logs}`;
}

/** A cursor this module wrote, or the start for anything else (a stale or forged id costs a full resend, never a gap). */
export function parseCursor(text: string | null | undefined): EventCursor {
  if (!text || text.length > 2000) return START_CURSOR;
  const dot = text.indexOf(".");
  if (dot < 0) return START_CURSOR;
  const phase = text.slice(0, dot);
  if (!/^[0-9a-z]{0,16}$/.test(phase)) return START_CURSOR;
  const logs: EventCursor["logs"] = {};
  const rest = text.slice(dot + 1);
  for (const part of rest === "" ? [] : rest.split(",")) {
    const match = /^(.+)@(\d{1,15}):(\d{1,15})$/.exec(part);
    if (!match || !KEY.test(match[1]) || match[1] in logs) return START_CURSOR;
    logs[match[1]] = { row: Number(match[2]), lines: Number(match[3]) };
  }
  return { phase, logs };
}

/** One event in the text/event-stream format. */
export function encodeEvent(event: ProgressEvent): string {
  return `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`;
}

// FNV-1a, 32 bits: a fingerprint to tell "changed" from "same", not a security measure.
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}
