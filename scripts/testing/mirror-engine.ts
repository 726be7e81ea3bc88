// A machine "where a registry answers", on a machine where none does: Debian's
// docker-registry on loopback holding the stand-ins under their official names, and a
// second Docker engine whose registry mirror it is (as the official-profile engine test
// sets up), kept running until Ctrl-C. For trying the official path by hand, e.g. as a
// user in the docker group:
//   sudo npx tsx scripts/testing/mirror-engine.ts      # prints DOCKER_HOST=… SLIMSTAGE_BASE_STATIC=…
//   DOCKER_HOST=… SLIMSTAGE_BASE_STATIC=… bash scripts/up.sh
// Needs root (a second dockerd) and the stand-ins on the default engine.
import { dockerEngine } from "@/lib/engine/docker-engine";
import { mirrorImage, startTestRegistry } from "@/lib/testing/registry";
import { startSecondEngine } from "@/lib/testing/second-engine";
import { runUntilStopped } from "./until-stopped";

runUntilStopped("it starts a second dockerd", async () => {
  const registry = await startTestRegistry();
  const appEngine = dockerEngine();
  // The newest Go is what choose-profile.sh asks the engine for; 1.23 builds the examples.
  await mirrorImage(appEngine, registry, "slimstage/golang:1.23-local", "library/golang:1.23");
  await mirrorImage(appEngine, registry, "slimstage/golang:1.27-local", "library/golang:1.27");
  await mirrorImage(appEngine, registry, "slimstage/static:local", "distroless/static-debian13:latest");
  const engine = await startSecondEngine({ registryMirror: `http://${registry.host}`, forDockerGroup: true });
  return {
    // The distroless base is not a Docker Hub name, so no mirror covers it: name it.
    settings: `DOCKER_HOST=${engine.dockerHost} SLIMSTAGE_BASE_STATIC=${registry.host}/distroless/static-debian13`,
    running: "registry and engine running; stopping removes both",
    async dispose() {
      await engine.dispose();
      await registry.stop();
    },
  };
});
