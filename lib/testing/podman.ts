// Debian's Podman as a Docker-API engine for tests: `podman system service` on a socket
// the test chooses, with its own storage (--root, --runroot) under a short temporary
// path, so its images and containers are the test's alone and go with it. Needs root
// (rootful Podman) and installs podman and catatonit (the init the run check's Init asks
// for: a Recommends of podman, so --no-install-recommends leaves it out).
import { existsSync } from "node:fs";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { aptInstall, hasCapSysResource, hasCommand, pingEngine, removeTree, startDaemon } from "./daemon";

export interface PodmanService {
  socketPath: string;
  /** For the docker CLI: unix://… */
  dockerHost: string;
  dispose(): Promise<void>;
}

export async function startPodman(): Promise<PodmanService> {
  if (!(await hasCommand("podman")) || !existsSync("/usr/libexec/podman/catatonit")) await aptInstall("podman", "catatonit");
  const dir = await mkdtemp("/tmp/sp-");
  const socketPath = path.join(dir, "podman.sock");
  const storage = ["--root", path.join(dir, "storage"), "--runroot", path.join(dir, "run")];
  const env: NodeJS.ProcessEnv = { ...process.env };
  const start = () =>
    startDaemon("podman", [...storage, "system", "service", "--time=0", `unix://${socketPath}`], {
      logFile: path.join(dir, "podman.log"),
      ready: () => pingEngine(socketPath),
      env,
    });
  let service = await start();
  if (!hasCapSysResource()) {
    // Rootful Podman raises every container's (and RUN step's) nofile and nproc to 1048576
    // unless containers.conf says otherwise; where root lacks CAP_SYS_RESOURCE (inside
    // some containers, as here) every start then fails ("error setting rlimit type 7").
    // The limits the service itself ended up with (it lowers nproc to 32768) are ones its
    // containers may keep ("-1" is no help: buildah reads it as unlimited).
    const limits = await readFile(`/proc/${service.pid}/limits`, "utf8");
    await service.stop();
    const pair = (label: string) => limits.match(new RegExp(`^${label}\\s+(\\d+)\\s+(\\d+)`, "m"))?.slice(1, 3).join(":") ?? "1024:1024";
    env.CONTAINERS_CONF = path.join(dir, "containers.conf");
    await writeFile(env.CONTAINERS_CONF, `[containers]\ndefault_ulimits = ["nofile=${pair("Max open files")}", "nproc=${pair("Max processes")}"]\n`);
    service = await start();
  }
  return {
    socketPath,
    dockerHost: `unix://${socketPath}`,
    async dispose() {
      await service.stop(5_000); // nothing of the test's runs in it any more
      await removeTree(dir);
    },
  };
}
