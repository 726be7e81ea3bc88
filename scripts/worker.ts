// `npm run worker`: one build worker for the Docker Engine DOCKER_HOST names (or the
// default socket). Start one per engine; they share the database (DATABASE_URL).
import { loadConfigOrExit } from "@/lib/config";
import { startWorker } from "@/lib/roots/worker";
import { createLogger, knownSecrets, routeConsole } from "@/lib/log";

async function main() {
  const config = loadConfigOrExit("worker");
  const log = createLogger({ role: "worker", level: config.logLevel, secrets: knownSecrets(config) });
  routeConsole(log);
  const worker = await startWorker(config, { logger: log });
  // From now on, what libraries print names this worker too.
  routeConsole(log.child({ workerId: worker.id }));
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ workerId: worker.id, signal }, `${signal}: finishing the running comparisons (up to ${config.stopGraceMs / 1000} s, SLIMSTAGE_STOP_GRACE), handing back the rest, then stopping`);
    await worker.stop();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

main().catch((error: unknown) => {
  createLogger({ role: "worker" }).fatal({ err: error }, "could not start");
  process.exit(1);
});
