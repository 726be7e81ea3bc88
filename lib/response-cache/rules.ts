// Pure rules of the response cache (proxy.ts): which requests it may answer, under
// which key, and when a kept answer is still the one the app would render now. A
// finished comparison never changes again (only DELETE removes it), so its page and its
// JSON are kept for as long as the database still says it is finished; the home page
// lists whatever changes, so it is kept only while the change counter (the ChangeCounter
// row, bumped by every write the pages show) has not moved.
import { ID_PATTERN } from "@/lib/comparisons/ids";
import { isTerminal, COMPARISON_STATUSES, type ComparisonStatus } from "@/lib/comparisons/types";

export type CacheTarget = { kind: "comparison"; id: string } | { kind: "home" };

/**
 * Requests the client router makes for the React Server Components payload (navigation,
 * refresh, prefetch) or a server action: those answers differ from the document, so they
 * always go to the app.
 */
export const ROUTER_HEADERS = [
  "rsc",
  "next-router-state-tree",
  "next-router-prefetch",
  "next-router-segment-prefetch",
  "next-action",
  "next-url",
] as const;

/** Set on the proxy's own request to the app, which must render rather than be answered from the cache. */
export const RENDER_HEADER = "x-slimstage-render";

/** How long after finishing a comparison is left alone, so that writes racing its last update have landed. */
export const SETTLE_MS = 5_000;

/** The home page shows the engine's state, which lib/health.ts remembers for 5 s: no longer than that. */
export const HOME_MAX_AGE_MS = 5_000;

interface RequestShape {
  method: string;
  pathname: string;
  search: string;
  has(header: string): boolean;
}

/** What a request asks for, when the cache may answer it; null sends it to the app. */
export function cacheTarget({ method, pathname, search, has }: RequestShape): CacheTarget | null {
  if (method !== "GET" || search !== "" || has(RENDER_HEADER)) return null;
  if (ROUTER_HEADERS.some((name) => has(name))) return null;
  if (pathname === "/") return { kind: "home" };
  const match = /^\/(?:c|api\/comparisons)\/([^/]+)$/.exec(pathname);
  return match && ID_PATTERN.test(match[1]) ? { kind: "comparison", id: match[1] } : null;
}

/** Pages name their own origin (share links, og:image), so answers are kept per path and origin. */
export function cacheKey(pathname: string, origin: string | null): string {
  return `${origin ?? ""} ${pathname}`;
}

export interface ComparisonState {
  status: string;
  /** ISO text or null, as the database has it. */
  finishedAt: string | null;
}

/** Whether a kept answer about this comparison may be served: it still exists and is finished. */
export function comparisonStillFinished(state: ComparisonState | undefined): boolean {
  return state !== undefined && isComparisonStatus(state.status) && isTerminal(state.status);
}

/** Whether a fresh answer about this comparison may be kept: finished, and long enough ago. */
export function comparisonSettled(state: ComparisonState | undefined, now: number): boolean {
  if (!state || !comparisonStillFinished(state) || state.finishedAt === null) return false;
  const finished = Date.parse(state.finishedAt);
  return Number.isFinite(finished) && now - finished >= SETTLE_MS;
}

/** A kept home page is current while the change counter has not moved since it was rendered. */
export function homeStillCurrent(entry: { dataVersion: number; storedAt: number }, dataVersion: number, now: number): boolean {
  return entry.dataVersion === dataVersion && now - entry.storedAt >= 0 && now - entry.storedAt < HOME_MAX_AGE_MS;
}

/** Only complete, successful answers are kept; a 404 or an error always goes back to the app. */
export function keepable(status: number, contentType: string | null): boolean {
  return status === 200 && contentType !== null && /^(text\/html|application\/json)\b/.test(contentType);
}

// Hop-by-hop headers, and those that describe the body as it was sent, not as it is kept.
const NOT_KEPT = new Set(["connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding", "date"]);

/** The response headers worth replaying with a kept body. */
export function keptHeaders(headers: Iterable<[string, string]>): Array<[string, string]> {
  return [...headers].filter(([name]) => !NOT_KEPT.has(name.toLowerCase()));
}

const isComparisonStatus = (status: string): status is ComparisonStatus =>
  (COMPARISON_STATUSES as readonly string[]).includes(status);
