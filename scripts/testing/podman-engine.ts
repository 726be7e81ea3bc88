// Debian's Podman serving the Docker API, kept running until Ctrl-C, as the Podman
// engine test starts it (lib/testing/podman.ts: its own storage; on hosts whose root
// lacks CAP_SYS_RESOURCE, limits its containers may keep). For trying the app on Podman:
//   sudo npx tsx scripts/testing/podman-engine.ts      # prints DOCKER_HOST=…
//   DOCKER_HOST=… bash scripts/up.sh
// Needs root. Ctrl-C stops it and removes its storage (images built in it go too).
import { isRoot } from "@/lib/testing/daemon";
import { startPodman } from "@/lib/testing/podman";

async function main() {
  if (!isRoot()) throw new Error("needs root (rootful Podman)");
  const podman = await startPodman();
  console.log(`DOCKER_HOST=${podman.dockerHost}`);
  console.error("[slimstage] Podman's service running; Ctrl-C stops it and removes its storage");
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await podman.dispose();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
}

main().catch((error: unknown) => {
  console.error(`[slimstage] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
