// A build worker's own figures, which no database row holds: the pulls its engine made
// and why they failed, whether its engine answers now, what it is running, and Node's
// process metrics — one prom-client Registry per worker (never the global default one),
// labelled with the worker's id. Served on SLIMSTAGE_WORKER_METRICS_ADDRESS only (off by
// default): that listen address is its guard (loopback, or a network only Prometheus
// reaches), and when SLIMSTAGE_ADMIN_TOKEN is set it also wants that token. What the
// database knows (queue, outcomes, build seconds, every worker's engine and disk) is the
// web process's /metrics.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { collectDefaultMetrics, Counter, Gauge, Registry } from "prom-client";
import { isAdmin } from "@/lib/comparisons/owners";
import { PullFailedError, type Engine } from "@/lib/engine/engine";
import type { Logger } from "@/lib/log";

export interface WorkerMetrics {
  registry: Registry;
  pulls: Counter;
  pullFailures: Counter<"kind">;
}

export interface WorkerFigures {
  /** Comparisons this worker runs now. */
  running(): number;
  /** Whether its engine answered at the last look. */
  engineUp(): boolean;
}

export function createWorkerMetrics(figures: WorkerFigures): WorkerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  new Gauge({
    name: "slimstage_worker_comparisons_running",
    help: "Comparisons this worker is running now.",
    registers: [registry],
    collect() {
      this.set(figures.running());
    },
  });
  new Gauge({
    name: "slimstage_worker_engine_up",
    help: "1 when this worker's Docker Engine answered at its last look (every 5 s), else 0.",
    registers: [registry],
    collect() {
      this.set(figures.engineUp() ? 1 : 0);
    },
  });
  return {
    registry,
    pulls: new Counter({ name: "slimstage_pulls_total", help: "Image pulls this worker asked its engine for (base images, Go builders).", registers: [registry] }),
    pullFailures: new Counter({
      name: "slimstage_pull_failures_total",
      help: "Pulls that failed, by why (not-found, unauthorized, rate-limited, unreachable, interrupted, short-name, other).",
      labelNames: ["kind"],
      registers: [registry],
    }),
  };
}

/** The engine, its pulls counted: every part that pulls (bases, Go builders, a repository's FROM) goes through it. */
export function countingPulls(engine: Engine, metrics: Pick<WorkerMetrics, "pulls" | "pullFailures">): Engine {
  return {
    ...engine,
    async pull(ref, onProgress, signal) {
      metrics.pulls.inc();
      try {
        await engine.pull(ref, onProgress, signal);
      } catch (error) {
        metrics.pullFailures.inc({ kind: error instanceof PullFailedError ? error.kind : "other" });
        throw error;
      }
    },
  };
}

export interface MetricsServer {
  url: string;
  close(): Promise<void>;
}

/** GET /metrics on `address`; with `adminToken`, only for `Authorization: Bearer <it>`. */
export async function serveWorkerMetrics(registry: Registry, address: { hostname: string; port: number }, adminToken: string | undefined, log: Logger): Promise<MetricsServer> {
  const server = http.createServer((request, response) => {
    const path = (request.url ?? "/").split("?")[0];
    if (path !== "/metrics" || (request.method !== "GET" && request.method !== "HEAD")) {
      response.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
      return;
    }
    const bearer = request.headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? null;
    if (adminToken && !isAdmin(bearer, adminToken)) {
      response.writeHead(401, { "content-type": "text/plain", "www-authenticate": 'Bearer realm="slimstage metrics"' }).end("send Authorization: Bearer <SLIMSTAGE_ADMIN_TOKEN>\n");
      return;
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { "content-type": registry.contentType }).end(request.method === "HEAD" ? undefined : text),
      (error: unknown) => {
        log.error({ err: error }, "worker metrics");
        response.writeHead(500, { "content-type": "text/plain" }).end("metrics failed\n");
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(address.port, address.hostname, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = address.hostname.includes(":") ? `[${address.hostname}]` : address.hostname;
  return {
    url: `http://${host}:${port}/metrics`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
