// Live progress on the real engine: the events stream of a running comparison (phases
// in order, every build-log line exactly once, an end after `done`, a reconnect with
// Last-Event-ID that receives only what it missed) and the progress panel in Chromium
// (the bar moves, log lines arrive, a reload mid-build shows earlier lines once).
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LogEventData, PhaseEventData } from "@/lib/progress/events";
import { startGitServer, type GitServer } from "@/lib/testing/git-server";
import { slowBuild } from "@/lib/testing/go-fixtures";
import { startAppServer, type AppServer } from "./app-server";
import { launchBrowser, OUTPUT_DIR } from "./browser";
import { showCharts } from "./charts";
import { readEvents, type SseEvent } from "./sse";

let app: AppServer;
let git: GitServer;
let slowRepo: string;
let browser: BrowserContext;

beforeAll(async () => {
  await mkdir(OUTPUT_DIR, { recursive: true });
  git = await startGitServer();
  // Its own Dockerfile prints a line a second for 25 s, whatever the caches hold: time to reload mid-build.
  slowRepo = (await git.createRepo("slow", slowBuild(25, `live-${Date.now()}`))).url;
  app = await startAppServer({ SLIMSTAGE_ALLOW_PRIVATE_HOSTS: "1" });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await git?.stop();
});

interface Stream {
  response: Response;
  events: SseEvent[];
  /** True when the server ended the stream (not the test). */
  ended: boolean;
  seconds: number;
  /** Comment lines (heartbeats). */
  comments: number;
}

/** Reads the events stream until the server ends it, or until `stopWhen` says so. */
async function readStream(
  id: string,
  options: { headers?: Record<string, string>; query?: string; stopWhen?: (events: SseEvent[]) => boolean; timeoutMs?: number } = {},
): Promise<Stream> {
  const abort = new AbortController();
  const started = Date.now();
  const counters = { comments: 0 };
  const result = (response: Response, events: SseEvent[], ended: boolean): Stream => ({
    response,
    events,
    ended,
    seconds: (Date.now() - started) / 1000,
    comments: counters.comments,
  });
  const timer = setTimeout(() => abort.abort(new Error("the events stream did not end in time")), options.timeoutMs ?? 5 * 60_000);
  try {
    const response = await fetch(`${app.url}/api/comparisons/${id}/events${options.query ?? ""}`, {
      headers: options.headers,
      signal: abort.signal,
    });
    const events: SseEvent[] = [];
    if (!response.body) return result(response, events, true);
    for await (const event of readEvents(response.body, counters)) {
      events.push(event);
      if (options.stopWhen?.(events)) {
        abort.abort();
        return result(response, events, false);
      }
    }
    return result(response, events, true);
  } finally {
    clearTimeout(timer);
  }
}

// The first line of each build: the classic builder's "Step 1/…", BuildKit's upload of the context.
const FIRST_STEP = /^(?:Step 1\/|\[internal\] load remote build context)/;
const FIRST_STEP_ANYWHERE = /(?:Step 1\/|\[internal\] load remote build context)/;
const logsOf = (events: SseEvent[]) => events.filter((e) => e.event === "log").map((e) => JSON.parse(e.data) as LogEventData);
const phasesOf = (events: SseEvent[]) => events.filter((e) => e.event === "phase").map((e) => JSON.parse(e.data) as PhaseEventData);

/** Each variant's lines as received, failing on a line numbered twice or a gap. */
function assemble(events: SseEvent[]): Record<string, string[]> {
  const logs: Record<string, string[]> = {};
  for (const { variant, from, lines, reset } of logsOf(events)) {
    expect(reset).toBeUndefined();
    const held = (logs[variant] ??= []);
    expect(from, `${variant}: lines from ${from} after ${held.length} received`).toBe(held.length);
    held.push(...lines);
  }
  return logs;
}

// queued → reading the source → analysing → building → run checks → finished.
function stageOf(phase: PhaseEventData): number {
  if (phase.status === "queued") return 0;
  if (phase.status !== "running") return 5;
  const text = phase.phase ?? "";
  if (text === "" || /^(reading the example|cloning the repository)$/.test(text)) return 1;
  if (text === "analysing the module") return 2;
  if (/^building \S+ \(\d+ of \d+\)$/.test(text)) return 3;
  if (/^run checks \(\d+ of \d+ done\)$/.test(text)) return 4;
  throw new Error(`unexpected phase "${text}"`);
}

async function storedLogs(id: string): Promise<Record<string, string[]>> {
  const comparison = (await (await fetch(`${app.url}/api/comparisons/${id}`)).json()) as {
    status: string;
    variants: Array<{ key: string; buildLog: string }>;
  };
  expect(comparison.status).toBe("succeeded");
  return Object.fromEntries(
    comparison.variants.filter((v) => v.buildLog !== "").map((v) => [v.key, v.buildLog.split("\n")]),
  );
}

describe("GET /api/comparisons/<id>/events", () => {
  it("streams the phases in order and every log line once, then ends after done; a reconnect gets only what it missed", async () => {
    const created = await fetch(`${app.url}/api/comparisons`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ repo: "example:hello" }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };

    // One client reads from start to end; another drops after its first log lines and reconnects.
    const [whole, dropped] = await Promise.all([
      readStream(id),
      readStream(id, { stopWhen: (events) => events.some((e) => e.event === "log") }),
    ]);
    expect(dropped.events.some((e) => e.event === "done")).toBe(false);
    const lastSeen = dropped.events.at(-1)!.id!;
    const resumed = await readStream(id, { headers: { "last-event-id": lastSeen } });

    for (const stream of [whole, dropped, resumed]) {
      expect(stream.response.status).toBe(200);
      expect(stream.response.headers.get("content-type")).toMatch(/^text\/event-stream/);
      expect(stream.response.headers.get("cache-control")).toContain("no-cache");
      for (const event of stream.events) expect(event.id).toBeTruthy();
    }

    // The uninterrupted stream: a phase first, phases in order, done last, then the end.
    const events = whole.events;
    expect(events[0].event).toBe("phase");
    expect(events.at(-1)?.event).toBe("done");
    expect(events.filter((e) => e.event === "done")).toHaveLength(1);
    expect(whole.ended).toBe(true);
    // A heartbeat comment every 15 s keeps proxies from closing a quiet stream.
    if (whole.seconds > 20) expect(whole.comments).toBeGreaterThan(0);
    const stages = phasesOf(events).map(stageOf);
    expect(stages).toEqual([...stages].sort((a, b) => a - b));
    expect(stages[0]).toBeLessThanOrEqual(1);
    expect(stages).toEqual(expect.arrayContaining([3, 4, 5]));
    const progress = phasesOf(events).map((p) => p.progress);
    expect(progress.at(-1)).toEqual({ done: progress.at(-1)!.total, total: expect.any(Number) });
    expect(progress.map((p) => p.done)).toEqual([...progress.map((p) => p.done)].sort((a, b) => a - b));

    // Every line of every build log arrived exactly once, in order.
    const stored = await storedLogs(id);
    expect(Object.keys(stored).length).toBeGreaterThanOrEqual(2);
    for (const log of logsOf(events)) expect(log.lines.length).toBeGreaterThan(0);
    expect(assemble(events)).toEqual(stored);
    // No line twice. (BuildKit shows a step that builds running side by side merge in one
    // build's log only, so the single-stage build's log may not have the first one.)
    expect(stored.single.filter((line) => FIRST_STEP.test(line)).length).toBeLessThanOrEqual(1);

    // Dropped mid-build and reconnected with Last-Event-ID: together, each line once.
    expect(assemble([...dropped.events, ...resumed.events])).toEqual(stored);
    expect(resumed.events.at(-1)?.event).toBe("done");
    expect(resumed.ended).toBe(true);

    // After the end: from the middle (header or ?since=) only the rest; from the end only done.
    const middle = Math.floor(events.length / 2);
    for (const resume of [{ headers: { "last-event-id": events[middle].id! } }, { query: `?since=${encodeURIComponent(events[middle].id!)}` }]) {
      const rest = await readStream(id, resume);
      expect(assemble([...events.slice(0, middle + 1), ...rest.events])).toEqual(stored);
      expect(rest.events.filter((e) => e.event === "phase").length).toBeLessThanOrEqual(1);
      expect(rest.events.at(-1)?.event).toBe("done");
    }
    const atEnd = await readStream(id, { headers: { "last-event-id": events.at(-1)!.id! } });
    expect(atEnd.events.map((e) => e.event)).toEqual(["done"]);
  });

  it("answers an unknown id with a 404 JSON error", async () => {
    const response = await fetch(`${app.url}/api/comparisons/doesnotexist/events`);
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toContain("application/json");
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("NOT_FOUND");
  });
});

describe("the live progress panel", () => {
  it("moves the bar, shows log lines, survives a reload without repeating a line, and ends on the results", async () => {
    const page = await browser.newPage();
    await page.goto(app.url);
    const repo = page.getByLabel("Repository URL");
    await repo.fill(slowRepo);
    await repo.press("Enter");
    await page.waitForURL(/\/c\/[A-Za-z0-9]{10}$/);

    const progress = page.getByTestId("progress");
    const tail = page.getByTestId("log-tail");
    const lines = tail.locator("[data-line]");
    const valueNow = async () => Number(await progress.getAttribute("aria-valuenow"));
    await expect.poll(() => progress.count()).toBe(1);
    const firstValue = await valueNow();
    expect(await progress.getAttribute("role")).toBe("progressbar");

    await expect.poll(() => lines.count(), { timeout: 3 * 60_000, interval: 250 }).toBeGreaterThan(0);
    await expect.poll(valueNow, { timeout: 3 * 60_000, interval: 250 }).toBeGreaterThan(firstValue);
    await page.screenshot({ path: path.join(OUTPUT_DIR, "live-building.png"), fullPage: true });

    // Reload while the repository's own build is still ticking: the lines before come back once.
    await expect.poll(() => tail.textContent(), { timeout: 5 * 60_000, interval: 100 }).toMatch(/tick [3-9] of 25/);
    await expect.poll(() => tail.textContent(), { timeout: 60_000, interval: 100 }).toMatch(FIRST_STEP_ANYWHERE);
    const before = await readTail();
    expect(before.lines.length).toBeGreaterThan(0);

    await page.reload();
    await expect.poll(() => progress.count()).toBe(1); // still running after the reload
    await expect.poll(async () => (await readTail()).lines.length, { timeout: 60_000 }).toBeGreaterThanOrEqual(before.lines.length);
    const after = await readTail();
    expect(new Set(after.lines).size).toBe(after.lines.length);
    expect(after.stepOnes.length).toBeGreaterThanOrEqual(before.stepOnes.length);
    expect(new Set(after.stepOnes).size).toBe(after.stepOnes.length);
    expect(after.textStepOnes).toBe(after.stepOnes.length);
    for (const line of before.lines.filter((l) => Number(l.split(":")[1]) >= after.hiddenOf(l.split(":")[0]))) {
      expect(after.lines).toContain(line);
    }
    await page.screenshot({ path: path.join(OUTPUT_DIR, "live-reloaded.png"), fullPage: true });

    // Done: the page refreshes itself into the results.
    await expect.poll(async () => (await page.getByTestId("status").textContent())?.trim(), {
      timeout: 10 * 60_000,
      interval: 500,
    }).toBe("succeeded");
    await expect.poll(() => page.getByTestId("headline").textContent(), { timeout: 30_000 }).toMatch(/\d+ MB → [\d.]+ MB/);
    expect(await progress.count()).toBe(0);
    await showCharts(page);
    await page.screenshot({ path: path.join(OUTPUT_DIR, "live-done.png"), fullPage: true });
    await page.close();

    /** What the tail shows: line ids ("variant:number"), which variants' first lines (FIRST_STEP), and as text. */
    async function readTail() {
      const shown = await lines.evaluateAll((spans) => spans.map((s) => [s.getAttribute("data-line") ?? "", s.textContent ?? ""]));
      const text = (await tail.textContent()) ?? "";
      const hidden = new Map<string, number>();
      for (const [line] of shown) {
        const [variant, n] = line.split(":");
        if (!hidden.has(variant)) hidden.set(variant, Number(n));
      }
      return {
        lines: shown.map(([line]) => line),
        stepOnes: shown.filter(([, t]) => FIRST_STEP.test(t)).map(([line]) => line.split(":")[0]),
        textStepOnes: text.split("\n").filter((t) => FIRST_STEP.test(t.replace(/^.*──/, ""))).length,
        hiddenOf: (variant: string) => hidden.get(variant) ?? Infinity,
      };
    }
  });
});
