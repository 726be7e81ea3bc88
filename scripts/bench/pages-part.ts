// P3 (and P8 on SQLite): the web process (`npm run web`, the production build) over a
// database seeded with 10,000 comparisons, on SQLite or PostgreSQL. No worker and no
// Docker Engine: the web process only reads rows.
//
// P3  8 connections, one URL at a time, in one run. First the floor: the cheapest page the
//     app renders, an unknown comparison id (one indexed lookup, the layout and the
//     not-found text, answered 404). Then each answer the response cache does not keep —
//     a running comparison's page, a repository's history with 1,000 comparisons, an older
//     page of the home list, the compare page of two comparisons, a variant's "Why is it
//     this big?" analysis — judged as ratios to the floor's p50 and p99, so that the
//     machine's load, which moves both alike, cancels out. Then the answers the cache
//     keeps (a finished comparison's page and JSON, the home page), judged in
//     milliseconds; a static file of the same server, and the floor again, as notes.
import type { Dialect } from "@/lib/db";
import { repoHistoryPath } from "@/lib/share/repo-path";
import type { BenchContext } from "./context";
import { load, staticAssetOf, warmUp, type LoadResult } from "./http";
import { ms, ratio, verdict, type Row } from "./report";
import { HOT_REPO } from "./seed";
import { streamsBench } from "./streams-part";
import { NAME, seededServer, type SeededServer } from "./seeded-server";

const CONNECTIONS = 8;
const LOAD_SECONDS = 8;
const SERIAL_SECONDS = 2;
const WARM_SECONDS = 2;
/** The answers the cache keeps, in milliseconds. */
const CACHED_TARGET = { p50: 30, p99: 150 } as const;
/** Every other page, as a multiple of the floor's. */
const FLOOR_TARGET = { p50: 1.3, p99: 2 } as const;
const FLOOR_PATH = "/c/nosuchid00";

export async function pagesBench(ctx: BenchContext, dialect: Dialect, parts: { p3: boolean; streams: boolean }): Promise<void> {
  const server = await seededServer(ctx, dialect);
  if (parts.p3) await latencyBench(ctx, dialect, server);
  if (parts.streams) await streamsBench(ctx, server);
}

interface Route {
  path: string;
  label: string;
  kind: "floor" | "uncached" | "cached";
}

function routesOf({ seeded }: SeededServer): Route[] {
  const history = repoHistoryPath(HOT_REPO);
  if (!history) throw new Error(`no history page for ${HOT_REPO}`);
  return [
    { path: FLOOR_PATH, label: "/c/<unknown id> (404, the floor)", kind: "floor" },
    { path: `/c/${seeded.runningId}`, label: "/c/<id> running", kind: "uncached" },
    { path: history, label: `/r/<repo> (${seeded.hotComparisons})`, kind: "uncached" },
    { path: `/?before=${seeded.middleCursor}`, label: "/?before=<cursor>", kind: "uncached" },
    { path: `/compare/${seeded.previousId}/${seeded.targetId}`, label: "/compare/<a>/<b>", kind: "uncached" },
    {
      path: `/api/comparisons/${seeded.targetId}/variants/${seeded.analysedKey}/analysis`,
      label: `/api/comparisons/<id>/variants/${seeded.analysedKey}/analysis`,
      kind: "uncached",
    },
    { path: `/c/${seeded.targetId}`, label: "/c/<id>", kind: "cached" },
    { path: "/", label: "/", kind: "cached" },
    { path: `/api/comparisons/${seeded.targetId}`, label: "/api/comparisons/<id>", kind: "cached" },
  ];
}

async function latencyBench(ctx: BenchContext, dialect: Dialect, server: SeededServer): Promise<void> {
  const { log, rows } = ctx;
  const { seeded, web } = server;
  const name = NAME[dialect];
  const notes: string[] = [
    `${name}: ${seeded.comparisons} comparisons, ${seeded.variants} variants, ${seeded.layers} layers; ${CONNECTIONS} connections, ${LOAD_SECONDS} s per URL ` +
      `after 10 warm-up requests and ${WARM_SECONDS} s of load on every URL (then 1 connection for ${SERIAL_SECONDS} s); uncached pages as ratios to the floor, GET ${FLOOR_PATH} (404), measured first`,
  ];
  const firstRow = rows.length;
  const routes = routesOf(server);
  // A process that just started runs its code cold (not yet compiled by the JIT): every
  // route is warmed first, so that the floor, measured first, is not the coldest.
  const bytes = new Map<string, number>();
  for (const route of routes) {
    const url = `${web.url}${route.path}`;
    const size = await warmUp(url, 10, route.kind === "floor" ? 404 : 200).catch((error: unknown) => {
      throw new Error(`${error instanceof Error ? error.message : String(error)}\nthe web process said (last lines):\n${lastLines(web.output(), 30)}`);
    });
    bytes.set(route.path, size);
    await load(url, CONNECTIONS, WARM_SECONDS);
  }
  let floor: LoadResult | null = null;
  for (const route of routes) {
    const url = `${web.url}${route.path}`;
    log(`P3 ${name}: ${CONNECTIONS} connections, ${LOAD_SECONDS} s, then 1 connection, ${SERIAL_SECONDS} s on GET ${route.path}`);
    const result = await load(url, CONNECTIONS, LOAD_SECONDS);
    // One connection: the time a request takes without queueing behind the others.
    const alone = await load(url, 1, SERIAL_SECONDS);
    // The floor answers 404 by design; every other answer must be a 200.
    const failed = result.errors + alone.errors + (route.kind === "floor" ? 0 : result.non2xx + alone.non2xx);
    if (route.kind === "floor") floor = result;
    rows.push(rowOf(name, route, result, floor, failed));
    notes.push(
      `${name}: GET ${route.path}: ${(bytes.get(route.path) ?? 0).toLocaleString("en")} bytes, ${result.requests} requests, ${result.perSecond.toFixed(1)}/s ` +
        `(one answer every ${ms(1000 / Math.max(result.perSecond, 0.001))}: p50 ≈ ${CONNECTIONS} × that when requests queue); with 1 connection p50 ${ms(alone.p50)}, p99 ${ms(alone.p99)}` +
        (failed ? `; ${result.non2xx + alone.non2xx} non-2xx and ${result.errors + alone.errors} errors (FAIL)` : ""),
    );
  }
  notes.push(await staticFileNote(name, web.url));
  // The ratios hold while the machine's load does: the floor again says whether it moved.
  const again = await load(`${web.url}${FLOOR_PATH}`, CONNECTIONS, LOAD_SECONDS);
  notes.push(`${name}: the floor again at the end: p50 ${ms(again.p50)}, p99 ${ms(again.p99)}, ${again.perSecond.toFixed(1)}/s (at the start: ${floor ? `${ms(floor.p50)}, ${ms(floor.p99)}, ${floor.perSecond.toFixed(1)}/s` : "—"})`);
  rows[firstRow].notes = notes;
}

function rowOf(name: string, route: Route, result: LoadResult, floor: LoadResult | null, failed: number): Row {
  const value = `${ms(result.p50)} / ${ms(result.p99)}`;
  const figure = `${name}: GET ${route.label}${route.kind === "uncached" ? " (not cached)" : ""} p50 / p99`;
  const ratios = floor ? { p50: result.p50 / floor.p50, p99: result.p99 / floor.p99 } : null;
  const shown = floor ? `${ratio(result.p50, floor.p50)} / ${ratio(result.p99, floor.p99)}` : "—";
  const baseline = floor ? `floor ${ms(floor.p50)} / ${ms(floor.p99)}` : "—";
  const row = { id: "P3", figure, value, baseline, ratio: shown } as const;
  switch (route.kind) {
    // The floor is a reference, not a page anyone asks for: what no rendered page can beat here.
    case "floor":
      return { id: "P3", figure, value, baseline: "—", ratio: "—", target: "—", verdict: failed === 0 ? "—" : "FAIL" };
    case "uncached":
      return {
        ...row,
        target: `≤ ${FLOOR_TARGET.p50} / ≤ ${FLOOR_TARGET.p99.toFixed(1)} × floor`,
        verdict: verdict(failed === 0 && ratios !== null && ratios.p50 <= FLOOR_TARGET.p50 && ratios.p99 <= FLOOR_TARGET.p99),
      };
    case "cached":
      return {
        ...row,
        target: `< ${CACHED_TARGET.p50} ms / < ${CACHED_TARGET.p99} ms`,
        verdict: verdict(failed === 0 && result.p50 < CACHED_TARGET.p50 && result.p99 < CACHED_TARGET.p99),
      };
  }
}

/** What the same server takes to send a file it does not render: the first script of the home page. */
async function staticFileNote(name: string, base: string): Promise<string> {
  const url = await staticAssetOf(`${base}/`);
  if (!url) return `${name}: no static file found on the home page to measure`;
  await warmUp(url);
  const result = await load(url, CONNECTIONS, LOAD_SECONDS);
  return (
    `${name}: a static file, GET ${new URL(url).pathname}: p50 ${ms(result.p50)}, p99 ${ms(result.p99)}, ${result.perSecond.toFixed(1)}/s` +
    (result.non2xx + result.errors ? `; ${result.non2xx} non-2xx and ${result.errors} errors` : "")
  );
}

const lastLines = (text: string, count: number) => text.trimEnd().split("\n").slice(-count).join("\n");
