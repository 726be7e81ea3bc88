// /metrics as Prometheus scrapes it, during a comparison: the operator token opens it
// (nothing else does), and the numbers move — the comparison in the queue or running,
// then succeeded, its builds in the histogram, its run checks, the open progress stream,
// the requests by route; the worker's own endpoint counts the pull of a base image the
// offline engine cannot get.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isTerminal, type ComparisonView } from "@/lib/comparisons/types";
import { startAppServer, type AppServer } from "./app-server";
import { freePort } from "./processes";

const ADMIN = "operator-token-for-the-metrics-test";
let app: AppServer;
let workerMetricsUrl: string;

type Samples = Map<string, number>;

function parse(text: string): Samples {
  const samples: Samples = new Map();
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const at = line.lastIndexOf(" ");
    samples.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return samples;
}

async function scrape(url = `${app.url}/metrics`): Promise<Samples> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${ADMIN}` } });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("text/plain; version=0.0.4");
  return parse(await response.text());
}

const value = (samples: Samples, name: string) => samples.get(name) ?? 0;
/** The sum of every sample of a family whose labels include all of `labels` (`name{a="b"}` parts). */
const sum = (samples: Samples, name: string, ...labels: string[]) =>
  [...samples.entries()].filter(([key]) => key.startsWith(`${name}{`) && labels.every((label) => key.includes(label))).reduce((total, [, v]) => total + v, 0);

beforeAll(async () => {
  const port = await freePort();
  workerMetricsUrl = `http://127.0.0.1:${port}/metrics`;
  app = await startAppServer({ SLIMSTAGE_ADMIN_TOKEN: ADMIN, SLIMSTAGE_WORKER_METRICS_ADDRESS: `127.0.0.1:${port}` });
});
afterAll(async () => {
  await app?.stop();
});

describe("/metrics", () => {
  it("is refused without the operator token, and with a wrong one", async () => {
    const attempts: Array<Record<string, string>> = [{}, { authorization: "Bearer not-the-operator-token" }, { cookie: `token=${ADMIN}` }];
    for (const headers of attempts) {
      const response = await fetch(`${app.url}/metrics`, { headers });
      expect(response.status).toBe(401);
      expect(await response.text()).not.toContain("slimstage_");
    }
    expect((await fetch(workerMetricsUrl)).status).toBe(401);
  });

  it("moves during a comparison: queue, comparisons, builds, run checks, streams, requests, pulls", async () => {
    const before = await scrape();
    const workerBefore = await scrape(workerMetricsUrl);
    expect(value(before, "slimstage_workers")).toBe(1);
    expect(sum(before, "slimstage_engine_up")).toBe(1);

    const created = await fetch(`${app.url}/api/comparisons`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      // alpine: not on this offline engine, so the worker tries to pull it, and that fails.
      body: JSON.stringify({ repo: "example:hello", variants: ["single", "scratch", "alpine"] }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const stream = await fetch(`${app.url}/api/comparisons/${id}/events`);

    // Scraped while it runs: waiting or running, and the live stream open.
    let seenWaitingOrRunning = 0;
    let seenStreams = 0;
    let view: ComparisonView;
    const deadline = Date.now() + 10 * 60_000;
    for (;;) {
      const during = await scrape();
      seenWaitingOrRunning = Math.max(seenWaitingOrRunning, value(during, "slimstage_queue_length") + sum(during, "slimstage_comparisons", 'status="running"'));
      seenStreams = Math.max(seenStreams, value(during, "slimstage_progress_streams_open"));
      view = (await (await fetch(`${app.url}/api/comparisons/${id}?t=${Date.now()}`)).json()) as ComparisonView;
      if (isTerminal(view.status)) break;
      if (Date.now() > deadline) throw new Error(`comparison ${id} still ${view.status}:\n${app.output().slice(-3000)}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    await stream.body?.cancel();
    expect(view.status).toBe("succeeded");
    expect(seenWaitingOrRunning).toBeGreaterThanOrEqual(1);
    expect(seenStreams).toBeGreaterThanOrEqual(1);

    // The stream's request is counted when its connection closes, which the server sees a moment
    // after the browser lets go of it: scraped until it shows (or 10 s pass).
    let after = await scrape();
    for (let tries = 0; tries < 40 && sum(after, "slimstage_http_request_duration_seconds_count", 'route="/api/comparisons/[id]/events"') < 1; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      after = await scrape();
    }
    const moved = (name: string, ...labels: string[]) => sum(after, name, ...labels) - sum(before, name, ...labels);
    expect(moved("slimstage_comparisons", 'status="succeeded"')).toBe(1);
    expect(value(after, "slimstage_queue_length")).toBe(0);
    expect(moved("slimstage_build_seconds_count", 'kind="single"')).toBe(1);
    expect(moved("slimstage_build_seconds_count", 'kind="scratch"')).toBe(1);
    expect(moved("slimstage_build_seconds_sum", 'kind="single"')).toBeGreaterThan(0);
    expect(moved("slimstage_build_seconds_bucket", 'kind="single"', 'le="+Inf"')).toBe(1);
    expect(moved("slimstage_run_checks", 'verdict="works"')).toBeGreaterThanOrEqual(2);
    expect(moved("slimstage_http_request_duration_seconds_count", 'route="/api/comparisons"', 'method="POST"', 'status="201"')).toBe(1);
    expect(moved("slimstage_http_request_duration_seconds_count", 'route="/api/comparisons/[id]"', 'method="GET"')).toBeGreaterThanOrEqual(1);
    expect(moved("slimstage_http_request_duration_seconds_count", 'route="/metrics"')).toBeGreaterThanOrEqual(1);
    expect(sum(after, "slimstage_http_request_duration_seconds_count", 'route="/api/comparisons/[id]/events"')).toBeGreaterThanOrEqual(1);
    // No label per id: every comparison request is one route.
    expect([...after.keys()].some((key) => key.includes(id))).toBe(false);
    expect(value(after, "process_resident_memory_bytes")).toBeGreaterThan(0);

    const workerAfter = await scrape(workerMetricsUrl);
    const workerMoved = (name: string, ...labels: string[]) => sum(workerAfter, name, ...labels) - sum(workerBefore, name, ...labels);
    expect(workerMoved("slimstage_pulls_total")).toBeGreaterThanOrEqual(1);
    expect(workerMoved("slimstage_pull_failures_total")).toBeGreaterThanOrEqual(1);
    expect(sum(workerAfter, "slimstage_worker_engine_up")).toBe(1);
    // Still 1 while the worker gives its advice on the comparison, in the same slot.
    expect([...workerAfter.keys()].some((key) => key.startsWith("slimstage_worker_comparisons_running{"))).toBe(true);
  });

  it("is not served where no operator token is configured", async () => {
    const bare = await startAppServer({ SLIMSTAGE_WORKER: "off", SLIMSTAGE_ADMIN_TOKEN: "" });
    try {
      expect((await fetch(`${bare.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN}` } })).status).toBe(404);
    } finally {
      await bare.stop();
    }
  });
});
