// `npm run web`: the web process — Next.js (pages, API, live progress) behind a plain
// Node HTTP server that does one thing first: it decides who the client is, from the
// socket's address and SLIMSTAGE_TRUSTED_PROXIES, and passes that to the app in one
// header (overwriting any a client sent). `next start` alone cannot: it keeps whatever
// X-Forwarded-For a client writes. It listens on PORT (3000) and SLIMSTAGE_HOST (all interfaces).
import http from "node:http";
import next from "next";
import { loadConfigOrExit } from "@/lib/config";
import { createLogger, knownSecrets, routeConsole } from "@/lib/log";
import { clientAddress, CLIENT_HEADER, trustFrom } from "@/lib/requests/client";

async function main() {
  const config = loadConfigOrExit("web");
  const log = createLogger({ role: "web", level: config.logLevel, secrets: knownSecrets(config) });
  routeConsole(log);
  const { port, hostname } = config.listen;
  const app = next({ dev: false, dir: config.projectRoot, port, hostname: hostname ?? "localhost" });
  await app.prepare();
  const handle = app.getRequestHandler();
  const trust = trustFrom(config.trustedProxies);
  const server = http.createServer((request, response) => {
    request.headers[CLIENT_HEADER] = clientAddress(request, trust);
    void handle(request, response);
  });
  server.listen(port, hostname, () => log.info({ port, hostname: hostname ?? null }, `listening on http://${hostname ?? "localhost"}:${port}`));
  const stop = () => server.close(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((error: unknown) => {
  createLogger({ role: "web" }).fatal({ err: error }, "could not start");
  process.exit(1);
});
