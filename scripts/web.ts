// `npm run web`: the web process — Next.js (pages, API, live progress) behind a plain
// Node HTTP server that does one thing first: it decides who the client is, from the
// socket's address and SLIMSTAGE_TRUSTED_PROXIES, and passes that to the app in one
// header (overwriting any a client sent). `next start` alone cannot: it keeps whatever
// X-Forwarded-For a client writes. It listens on PORT (3000) and SLIMSTAGE_HOST (all interfaces).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import next from "next";
import { loadConfigOrExit } from "@/lib/config";
import { optimizeDatabase } from "@/lib/db";
import { createLogger, knownSecrets, routeConsole } from "@/lib/log";
import { clientAddress, CLIENT_HEADER, trustFrom } from "@/lib/requests/client";
import { closeGracefully } from "@/lib/requests/graceful-close";
import { appRoutePatterns, routeMatcher } from "@/lib/metrics/route-pattern";
import { observeRequest, processWebMetrics } from "@/lib/metrics/web-metrics";
import { RENDER_HEADER } from "@/lib/response-cache/rules";

async function main() {
  const config = loadConfigOrExit("web");
  const log = createLogger({ role: "web", level: config.logLevel, secrets: knownSecrets(config) });
  routeConsole(log);
  // The database's query planner statistics (SQLite): now, then hourly.
  const optimize = () => {
    try {
      optimizeDatabase(config.databaseUrl);
    } catch (error) {
      log.warn({ err: error }, "could not update the database's statistics");
    }
  };
  optimize();
  setInterval(optimize, 3_600_000).unref();
  // Made before Next.js loads, so the app's web root finds this one (lib/metrics/web-metrics.ts).
  const metrics = processWebMetrics();
  const routeOf = routeMatcher(buildRoutes(config.projectRoot));
  const { port, hostname } = config.listen;
  const app = next({ dev: false, dir: config.projectRoot, port, hostname: hostname ?? "localhost" });
  await app.prepare();
  const handle = app.getRequestHandler();
  const trust = trustFrom(config.trustedProxies);
  const server = http.createServer((request, response) => {
    request.headers[CLIENT_HEADER] = clientAddress(request, trust);
    // The response cache's own render of a page is part of the request that asked for it: counted once.
    if (!request.headers[RENDER_HEADER]) {
      const started = performance.now();
      response.once("close", () => {
        const seconds = (performance.now() - started) / 1000;
        const route = routeOf(request.url ?? "/");
        observeRequest(metrics, { method: request.method, route, status: response.statusCode, seconds });
        log.debug({ method: request.method, route, path: (request.url ?? "/").split("?")[0], status: response.statusCode, ms: Math.round(seconds * 1000) }, "request");
      });
    }
    void handle(request, response);
  });
  server.listen(port, hostname, () => log.info({ port, hostname: hostname ?? null }, `listening on http://${hostname ?? "localhost"}:${port}`));
  // SIGTERM: no new connections, the requests in flight answered, then exit (lib/requests/graceful-close.ts).
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, `${signal}: finishing the requests in flight (up to ${config.stopGraceMs / 1000} s), then stopping`);
    void closeGracefully(server, config.stopGraceMs).then((how) => {
      log.info({ how }, how === "drained" ? "every request answered; stopped" : "stopped; the connections still open were closed");
      process.exit(0);
    });
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

// The app's routes as the production build lists them, its public files, its static assets.
function buildRoutes(projectRoot: string): string[] {
  const manifest = path.join(projectRoot, ".next", "app-path-routes-manifest.json");
  const publicDir = path.join(projectRoot, "public");
  return appRoutePatterns(
    existsSync(manifest) ? (JSON.parse(readFileSync(manifest, "utf8")) as Record<string, string>) : {},
    existsSync(publicDir) ? readdirSync(publicDir) : [],
  );
}

main().catch((error: unknown) => {
  createLogger({ role: "web" }).fatal({ err: error }, "could not start");
  process.exit(1);
});
