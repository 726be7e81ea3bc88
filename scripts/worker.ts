// `npm run worker`: one build worker for the Docker Engine DOCKER_HOST names (or the
// default socket). Start one per engine; they share the database (DATABASE_URL).
import { loadConfigOrExit } from "@/lib/config";
import { startWorker } from "@/lib/roots/worker";

async function main() {
  const config = loadConfigOrExit("worker");
  const worker = await startWorker(config);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[slimstage worker] ${signal}: finishing the running comparisons (up to 10 s), then stopping`);
    await worker.stop(10_000);
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

main().catch((error: unknown) => {
  console.error("[slimstage worker] could not start:", error);
  process.exit(1);
});
