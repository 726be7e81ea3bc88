// `npm run web`: the web process — Next.js (pages, API, live progress) behind a plain
// Node HTTP server that does one thing first: it decides who the client is, from the
// socket's address and SLIMSTAGE_TRUSTED_PROXIES, and passes that to the app in one
// header (overwriting any a client sent). `next start` alone cannot: it keeps whatever
// X-Forwarded-For a client writes. It listens on PORT (3000) and SLIMSTAGE_HOST (all interfaces).
import http from "node:http";
import next from "next";
import { loadConfigOrExit } from "@/lib/config";
import { clientAddress, CLIENT_HEADER, trustFrom } from "@/lib/requests/client";

async function main() {
  const config = loadConfigOrExit("web");
  const { port, hostname } = config.listen;
  const app = next({ dev: false, dir: config.projectRoot, port, hostname: hostname ?? "localhost" });
  await app.prepare();
  const handle = app.getRequestHandler();
  const trust = trustFrom(config.trustedProxies);
  const server = http.createServer((request, response) => {
    request.headers[CLIENT_HEADER] = clientAddress(request, trust);
    void handle(request, response);
  });
  server.listen(port, hostname, () => console.log(`[slimstage web] listening on http://${hostname ?? "localhost"}:${port}`));
  const stop = () => server.close(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((error: unknown) => {
  console.error("[slimstage web] could not start:", error);
  process.exit(1);
});
