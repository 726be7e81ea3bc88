// Debian's Podman serving the Docker API, kept running until Ctrl-C, as the Podman
// engine test starts it (lib/testing/podman.ts: its own storage; on hosts whose root
// lacks CAP_SYS_RESOURCE, limits its containers may keep). For trying the app on Podman:
//   sudo npx tsx scripts/testing/podman-engine.ts      # prints DOCKER_HOST=…
//   DOCKER_HOST=… bash scripts/up.sh
// Needs root. Ctrl-C stops it and removes its storage (images built in it go too).
import { startPodman } from "@/lib/testing/podman";
import { runUntilStopped } from "./until-stopped";

runUntilStopped("rootful Podman", async () => {
  const podman = await startPodman();
  return {
    settings: `DOCKER_HOST=${podman.dockerHost}`,
    running: "Podman's service running; stopping removes its storage",
    dispose: () => podman.dispose(),
  };
});
