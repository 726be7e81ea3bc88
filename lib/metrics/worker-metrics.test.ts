import { afterAll, describe, expect, it } from "vitest";
import { PullFailedError, type Engine } from "@/lib/engine/engine";
import { silentLogger } from "@/lib/log";
import { countingPulls, createWorkerMetrics, serveWorkerMetrics, type MetricsServer } from "@/lib/metrics/worker-metrics";
import { countedSlots, createWebMetrics, observeRequest } from "@/lib/metrics/web-metrics";
import { createStreamSlots } from "@/lib/progress/stream-slots";

const sample = (text: string, name: string) => text.split("\n").find((line) => line.startsWith(`${name} `))?.split(" ")[1];

describe("countingPulls", () => {
  it("counts every pull and each failure by its kind, and passes the failure on", async () => {
    const metrics = createWorkerMetrics({ running: () => 2, engineUp: () => true });
    const outcomes: Record<string, Error | null> = {
      "golang:1.27": null,
      "alpine:3.22": new PullFailedError("alpine:3.22", "unreachable", "no network"),
      "nope:1": new PullFailedError("nope:1", "not-found", "no such image"),
      "x:1": new Error("socket hang up"),
    };
    const fake = {
      async pull(ref: string) {
        if (outcomes[ref]) throw outcomes[ref];
      },
    };
    const engine = countingPulls(fake as unknown as Engine, metrics);
    const results = await Promise.allSettled(Object.keys(outcomes).map((ref) => engine.pull(ref, () => {})));
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "rejected", "rejected"]);
    expect((results[1] as PromiseRejectedResult).reason).toBe(outcomes["alpine:3.22"]);

    const text = await metrics.registry.metrics();
    expect(sample(text, "slimstage_pulls_total")).toBe("4");
    expect(sample(text, 'slimstage_pull_failures_total{kind="unreachable"}')).toBe("1");
    expect(sample(text, 'slimstage_pull_failures_total{kind="not-found"}')).toBe("1");
    expect(sample(text, 'slimstage_pull_failures_total{kind="other"}')).toBe("1");
    expect(sample(text, "slimstage_worker_comparisons_running")).toBe("2");
    expect(sample(text, "slimstage_worker_engine_up")).toBe("1");
  });
});

describe("serveWorkerMetrics", () => {
  const servers: MetricsServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close()));
  });

  it("serves /metrics with the operator token, and nothing else", async () => {
    const metrics = createWorkerMetrics({ running: () => 0, engineUp: () => false });
    metrics.registry.setDefaultLabels({ worker: "w1" });
    const server = await serveWorkerMetrics(metrics.registry, { hostname: "127.0.0.1", port: 0 }, "operator-token-0123456789", silentLogger());
    servers.push(server);
    const get = (path: string, token?: string) => fetch(server.url.replace("/metrics", path), { headers: token ? { authorization: `Bearer ${token}` } : {} });
    expect((await get("/metrics")).status).toBe(401);
    expect((await get("/metrics", "wrong-token-0123456789")).status).toBe(401);
    expect((await get("/other", "operator-token-0123456789")).status).toBe(404);
    const answer = await get("/metrics", "operator-token-0123456789");
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toContain("text/plain");
    expect(sample(await answer.text(), 'slimstage_worker_engine_up{worker="w1"}')).toBe("0");
  });

  it("serves without a token when none is configured (the listen address is the guard)", async () => {
    const metrics = createWorkerMetrics({ running: () => 0, engineUp: () => true });
    const server = await serveWorkerMetrics(metrics.registry, { hostname: "127.0.0.1", port: 0 }, undefined, silentLogger());
    servers.push(server);
    expect((await fetch(server.url)).status).toBe(200);
  });
});

describe("web metrics", () => {
  it("count open progress streams, once per stream however often it is released", async () => {
    const metrics = createWebMetrics();
    const slots = countedSlots(createStreamSlots(2), metrics.progressStreams);
    const a = slots.take("client")!;
    const b = slots.take("client")!;
    expect(slots.take("client")).toBeNull();
    const open = async () => sample(await metrics.registry.metrics(), "slimstage_progress_streams_open");
    expect(await open()).toBe("2");
    a();
    a();
    expect(await open()).toBe("1");
    b();
    expect(await open()).toBe("0");
    expect(slots.count("client")).toBe(0);
  });

  it("count requests by method, route and status; unknown methods as other", async () => {
    const metrics = createWebMetrics();
    observeRequest(metrics, { method: "GET", route: "/c/[id]", status: 200, seconds: 0.02 });
    observeRequest(metrics, { method: "BREW", route: "(other)", status: 404, seconds: 0.001 });
    const text = await metrics.registry.metrics();
    expect(sample(text, 'slimstage_http_request_duration_seconds_count{method="GET",route="/c/[id]",status="200"}')).toBe("1");
    expect(sample(text, 'slimstage_http_request_duration_seconds_bucket{le="0.025",method="GET",route="/c/[id]",status="200"}')).toBe("1");
    expect(sample(text, 'slimstage_http_request_duration_seconds_count{method="other",route="(other)",status="404"}')).toBe("1");
  });
});
