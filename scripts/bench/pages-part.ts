// P3 (and P8 on SQLite): the web process (`npm run web`, the production build) over a
// database seeded with 10,000 comparisons, on SQLite or PostgreSQL. No worker and no
// Docker Engine: the web process only reads rows.
//
// P3  p50/p99 of the answers the response cache keeps (a finished comparison's page and
//     JSON, the home page) and of those it does not (a running comparison's page, a
//     repository's history with 1,000 comparisons, an older page of the home list),
//     8 connections, against a static file of the same server; and, as the floor of what
//     is not cached, the cheapest page the app renders: an unknown comparison id (one
//     indexed lookup, the layout and the not-found text, answered 404).
import type { Dialect } from "@/lib/db";
import { repoHistoryPath } from "@/lib/share/repo-path";
import type { BenchContext } from "./context";
import { load, staticAssetOf, warmUp, type LoadResult } from "./http";
import { ms, ratio, seconds, verdict } from "./report";
import { HOT_REPO } from "./seed";
import { streamsBench } from "./streams-part";
import { NAME, seededServer, type SeededServer } from "./seeded-server";

const CONNECTIONS = 8;
const LOAD_SECONDS = 8;
const SERIAL_SECONDS = 2;
const TARGET = { p50: 30, p99: 150 } as const;

export async function pagesBench(ctx: BenchContext, dialect: Dialect, parts: { p3: boolean; streams: boolean }): Promise<void> {
  const server = await seededServer(ctx, dialect);
  if (parts.p3) await latencyBench(ctx, dialect, server);
  if (parts.streams) await streamsBench(ctx, server);
}

async function latencyBench(ctx: BenchContext, dialect: Dialect, { seeded, web }: SeededServer): Promise<void> {
  const { log, rows } = ctx;
  const name = NAME[dialect];
  const floorUrl = await staticAssetOf(`${web.url}/`);
  let floor: LoadResult | null = null;
  if (floorUrl) {
    await warmUp(floorUrl);
    log(`P3 ${name}: ${CONNECTIONS} connections, ${LOAD_SECONDS} s on a static file`);
    floor = await load(floorUrl, CONNECTIONS, LOAD_SECONDS);
    if (floor.non2xx + floor.errors) throw new Error(`the static file ${floorUrl} answered ${floor.non2xx} non-2xx and ${floor.errors} errors under load`);
  }
  const history = repoHistoryPath(HOT_REPO);
  if (!history) throw new Error(`no history page for ${HOT_REPO}`);
  const routes: Array<{ path: string; label: string; cached: boolean; floor?: true }> = [
    { path: `/c/${seeded.targetId}`, label: "/c/<id>", cached: true },
    { path: "/", label: "/", cached: true },
    { path: `/api/comparisons/${seeded.targetId}`, label: "/api/comparisons/<id>", cached: true },
    { path: "/c/nosuchid00", label: "/c/<unknown id> (404, the floor)", cached: false, floor: true },
    { path: `/c/${seeded.runningId}`, label: "/c/<id> running", cached: false },
    { path: history, label: `/r/<repo> (${seeded.hotComparisons})`, cached: false },
    { path: `/?before=${seeded.middleCursor}`, label: "/?before=<cursor>", cached: false },
  ];
  const notes: string[] = [
    `${name}: ${seeded.comparisons} comparisons, ${seeded.variants} variants, ${seeded.layers} layers; ${CONNECTIONS} connections, ${LOAD_SECONDS} s per URL ` +
      `after 10 warm-up requests (then 1 connection for ${SERIAL_SECONDS} s); baseline: ` +
      `${floor && floorUrl ? `${new URL(floorUrl).pathname} from the same server (${floor.requests} requests)` : "none (no static file found)"}`,
  ];
  const firstRow = rows.length;
  for (const route of routes) {
    const url = `${web.url}${route.path}`;
    await warmUp(url, 10, route.floor ? 404 : 200).catch((error: unknown) => {
      throw new Error(`${error instanceof Error ? error.message : String(error)}\nthe web process said (last lines):\n${lastLines(web.output(), 30)}`);
    });
    log(`P3 ${name}: ${CONNECTIONS} connections, ${LOAD_SECONDS} s, then 1 connection, ${SERIAL_SECONDS} s on GET ${route.path}`);
    const result = await load(url, CONNECTIONS, LOAD_SECONDS);
    // One connection: the time a request takes without queueing behind the others.
    const alone = await load(url, 1, SERIAL_SECONDS);
    // The floor answers 404 by design; every other answer must be a 200.
    const failed = result.errors + alone.errors + (route.floor ? 0 : result.non2xx + alone.non2xx);
    rows.push({
      id: "P3",
      figure: `${name}: GET ${route.label}${route.cached ? "" : " (not cached)"} p50 / p99`,
      value: `${ms(result.p50)} / ${ms(result.p99)}`,
      baseline: floor ? `static file ${ms(floor.p50)} / ${ms(floor.p99)}` : "—",
      ratio: floor ? `${ratio(result.p50, floor.p50)} / ${ratio(result.p99, floor.p99)}` : "—",
      // The floor is a reference, not a page anyone asks for: what no rendered page can beat here.
      target: route.floor ? "—" : `< ${TARGET.p50} ms / < ${TARGET.p99} ms`,
      verdict: route.floor ? (failed === 0 ? "—" : "FAIL") : verdict(failed === 0 && result.p50 < TARGET.p50 && result.p99 < TARGET.p99),
    });
    notes.push(
      `${name}: GET ${route.path}: ${result.requests} requests, ${result.perSecond.toFixed(1)}/s ` +
        `(one answer every ${ms(1000 / Math.max(result.perSecond, 0.001))}: p50 ≈ ${CONNECTIONS} × that when requests queue); with 1 connection p50 ${ms(alone.p50)}, p99 ${ms(alone.p99)}` +
        (failed ? `; ${result.non2xx + alone.non2xx} non-2xx and ${result.errors + alone.errors} errors (FAIL)` : ""),
    );
  }
  rows[firstRow].notes = notes;
}

const lastLines = (text: string, count: number) => text.trimEnd().split("\n").slice(-count).join("\n");
