// A response cache in front of the pages people load most: a finished comparison's page
// and JSON (which never change again) and the home page (kept only while nothing was
// written). The database stays the truth: every answer from the cache is checked against
// it first, on a read connection of its own (microseconds on SQLite, one small query on
// PostgreSQL: lib/response-cache/database-checks.ts), so a deleted comparison or a new
// submission is never hidden. On a miss the app renders the page as usual, through
// a request of the proxy's own that skips it (RENDER_HEADER), and the answer is kept.
// Rules: lib/response-cache/rules.ts.
import { NextResponse, type NextRequest } from "next/server";
import type { ReadDb } from "@/lib/db";
import { web } from "@/lib/roots/web";
import { ownerCookieName } from "@/lib/comparisons/owners";
import { databaseChecks, type DatabaseChecks } from "@/lib/response-cache/database-checks";
import {
  cacheKey,
  cacheTarget,
  comparisonSettled,
  comparisonStillFinished,
  homeStillCurrent,
  keepable,
  keptHeaders,
  RENDER_HEADER,
  type CacheTarget,
} from "@/lib/response-cache/rules";
import { ResponseStore, type KeptResponse } from "@/lib/response-cache/store";
import { publicOrigin } from "@/lib/share/metadata";

const store = new ResponseStore(500);
const RENDER_TIMEOUT_MS = 30_000;

export async function proxy(request: NextRequest): Promise<Response> {
  const { pathname, search } = request.nextUrl;
  const target = cacheTarget({ method: request.method, pathname, search, has: (name) => request.headers.has(name) });
  if (!target) return NextResponse.next();
  // The submitter's browser sees Cancel and Delete: its page is its own, never shared.
  if (target.kind === "comparison" && request.cookies.has(ownerCookieName(target.id))) return NextResponse.next();
  try {
    return (await answer(request, target)) ?? NextResponse.next();
  } catch (error) {
    // The cache is only a shortcut: whatever goes wrong here, the app answers.
    web().log.error({ err: error }, "response cache");
    return NextResponse.next();
  }
}

async function answer(request: NextRequest, target: CacheTarget): Promise<Response | null> {
  const { pathname } = request.nextUrl;
  const key = cacheKey(pathname, publicOrigin(web().config.publicUrl, request.headers)?.origin ?? null);
  const now = Date.now();
  if (target.kind === "comparison") {
    const state = await checks().comparisonState(target.id);
    if (!comparisonStillFinished(state)) {
      store.delete(key);
      return null;
    }
    const kept = store.get(key);
    if (kept) return replay(kept);
    if (!comparisonSettled(state, now)) return null;
    return replay(await store.once(key, () => render(request, key, 0)));
  }
  const dataVersion = await checks().changeVersion();
  const kept = store.get(key);
  if (kept && homeStillCurrent(kept, dataVersion, now)) return replay(kept);
  // Read before rendering: a write during the render makes the next request render again.
  // A render that began before the latest write is not shared with requests made after it.
  return replay(await store.once(`${key} ${dataVersion}`, () => render(request, key, dataVersion)));
}

// Made once per read connection (the web root's, one per process).
const checksByConnection = new WeakMap<ReadDb, DatabaseChecks>();

function checks(): DatabaseChecks {
  const connection = web().database.read();
  let found = checksByConnection.get(connection);
  if (!found) checksByConnection.set(connection, (found = databaseChecks(connection)));
  return found;
}

/** The app's own answer to the same request, kept when it is a complete page or JSON. */
async function render(request: NextRequest, key: string, dataVersion: number): Promise<KeptResponse> {
  const headers = new Headers(request.headers);
  headers.set(RENDER_HEADER, "1");
  // A kept answer is everyone's: render it as a visitor without cookies sees it.
  headers.delete("cookie");
  // The body is kept as it is, so it must come uncompressed.
  headers.set("accept-encoding", "identity");
  // nextUrl names this server (its own hostname and port, not the Host header); the
  // protocol follows X-Forwarded-Proto, but the server itself only speaks plain HTTP.
  const url = new URL(request.nextUrl);
  url.protocol = "http:";
  const response = await fetch(url, { headers, redirect: "manual", signal: AbortSignal.timeout(RENDER_TIMEOUT_MS) });
  const entry: KeptResponse = {
    status: response.status,
    headers: keptHeaders(response.headers),
    body: await response.arrayBuffer(),
    storedAt: Date.now(),
    dataVersion,
  };
  if (keepable(response.status, response.headers.get("content-type"))) store.set(key, entry);
  return entry;
}

function replay(entry: KeptResponse): Response {
  return new Response(entry.body, { status: entry.status, headers: entry.headers });
}

export const config = {
  matcher: [
    { source: "/", missing: [{ type: "header", key: "x-slimstage-render" }, { type: "header", key: "rsc" }] },
    { source: "/c/:id", missing: [{ type: "header", key: "x-slimstage-render" }, { type: "header", key: "rsc" }] },
    { source: "/api/comparisons/:id", missing: [{ type: "header", key: "x-slimstage-render" }, { type: "header", key: "rsc" }] },
  ],
};
