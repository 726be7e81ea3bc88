// The web process's own live figures, in one prom-client Registry per process (never the
// global default one): request durations by route (measured by scripts/web.ts's HTTP
// server around every request), open live-progress streams, and Node's process metrics.
// scripts/web.ts makes it before Next.js loads; the web root inside the Next.js build (a
// separate copy of this module) finds the same object under a global symbol — the one
// handoff between the server and the app in one process. /metrics (app/metrics/route.ts)
// writes it after what the database knows (snapshot.ts).
import { collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { StreamSlots } from "@/lib/progress/stream-slots";

export interface WebMetrics {
  registry: Registry;
  requestSeconds: Histogram<"method" | "route" | "status">;
  progressStreams: Gauge;
}

/** Seconds: a cached page takes milliseconds, a live-progress stream minutes. */
export const REQUEST_SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

export function createWebMetrics(): WebMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    requestSeconds: new Histogram({
      name: "slimstage_http_request_duration_seconds",
      help: "Seconds from a request's arrival to the end of its answer (a live-progress stream: until it closes), by method, route pattern and status.",
      labelNames: ["method", "route", "status"],
      buckets: REQUEST_SECONDS_BUCKETS,
      registers: [registry],
    }),
    progressStreams: new Gauge({
      name: "slimstage_progress_streams_open",
      help: "Live-progress streams (GET /api/comparisons/<id>/events) open in this web process.",
      registers: [registry],
    }),
  };
}

/** Counts one answered request; the method is one of HTTP's (anything else: "other"). */
export function observeRequest(metrics: WebMetrics, request: { method?: string; route: string; status: number; seconds: number }): void {
  const method = request.method && METHODS.has(request.method) ? request.method : "other";
  metrics.requestSeconds.observe({ method, route: request.route, status: String(request.status) }, request.seconds);
}

const HANDOFF = Symbol.for("slimstage.web-metrics");

/** The process's one WebMetrics: made by the first caller (scripts/web.ts), shared with the Next.js build's copy of this module. */
export function processWebMetrics(): WebMetrics {
  const holder = globalThis as typeof globalThis & { [HANDOFF]?: WebMetrics };
  return (holder[HANDOFF] ??= createWebMetrics());
}

/** The same slots, counting open streams in `gauge`. */
export function countedSlots(slots: StreamSlots, gauge: Gauge): StreamSlots {
  return {
    ...slots,
    take(clientKey) {
      const release = slots.take(clientKey);
      if (!release) return null;
      gauge.inc();
      let released = false;
      return () => {
        if (!released) gauge.dec();
        released = true;
        release();
      };
    },
  };
}
