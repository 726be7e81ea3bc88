// A Docker Engine of the test's own, next to the one the app uses: its own socket, data
// root, exec root (a short path: dockerd's sockets live under it), pidfile and its OWN
// bridge (see ENVIRONMENT.md). Never `--bridge=none` or the default bridge: a second
// dockerd started so deletes docker0 and breaks every build of the first engine.
// Tests that stop an engine stop this one, so a running app keeps its engine.
import { execFile, spawn } from "node:child_process";
import { chmod, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { pingEngine, removeTree, startDaemon, type Daemon } from "./daemon";

const run = promisify(execFile);

export interface SecondEngineOptions {
  /** e.g. http://127.0.0.1:PORT: Docker Hub names are pulled from there first. */
  registryMirror?: string;
  /** dockerd's --max-download-attempts (its default, 5, retries a broken layer for about a minute). */
  maxDownloadAttempts?: number;
  /** Lets members of the docker group reach the socket (its directory is root's alone otherwise). */
  forDockerGroup?: boolean;
}

export interface SecondEngine {
  socketPath: string;
  /** For the docker CLI: unix://… */
  dockerHost: string;
  /**
   * Stops dockerd by PID: an engine that goes away. `crash` kills it at once (SIGKILL, with
   * its containerd and shims) instead of letting it shut down.
   */
  stop(options?: { crash?: boolean }): Promise<void>;
  /** Starts it again on the same data root. */
  start(): Promise<void>;
  /** Stops it and removes its bridge and its directory. */
  dispose(): Promise<void>;
}

export async function startSecondEngine(options: SecondEngineOptions = {}): Promise<SecondEngine> {
  const dir = await mkdtemp("/tmp/ss-");
  if (options.forDockerGroup) await chmod(dir, 0o755); // dockerd gives the socket to the docker group itself
  const socketPath = path.join(dir, "docker.sock");
  const bridge = await createBridge(`ss${path.basename(dir).slice(3).toLowerCase()}`);
  const args = [
    "--data-root", path.join(dir, "data"),
    "--exec-root", path.join(dir, "x"),
    "--pidfile", path.join(dir, "docker.pid"),
    "-H", `unix://${socketPath}`,
    `--bridge=${bridge}`,
    "--iptables=false",
    ...(options.registryMirror ? ["--registry-mirror", options.registryMirror] : []),
    ...(options.maxDownloadAttempts ? [`--max-download-attempts=${options.maxDownloadAttempts}`] : []),
  ];
  let daemon: Daemon | null = null;
  const start = async () => {
    daemon = await startDaemon("dockerd", args, {
      logFile: path.join(dir, "dockerd.log"),
      ready: () => pingEngine(socketPath),
      timeoutMs: 60_000,
    });
  };
  const stop = async (options: { crash?: boolean } = {}) => {
    await daemon?.stop(options.crash ? 0 : 30_000);
    daemon = null;
    // A dockerd that was killed leaves its containerd and the shims of its containers
    // running: found by the exec root in their command line, which is this engine's alone.
    for (const pid of await processesMentioning(path.join(dir, "x"))) killPid(pid);
    // Their pid files stay behind, and a killed process can linger as a zombie (or its PID
    // be reused): the next dockerd would take it for a containerd still running and wait
    // for it in vain ("timeout waiting for containerd to start").
    if (options.crash) await Promise.all([path.join(dir, "docker.pid"), path.join(dir, "x", "containerd", "containerd.pid")].map((file) => rm(file, { force: true })));
  };
  try {
    await start();
  } catch (error) {
    await removeBridge(bridge);
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    socketPath,
    dockerHost: `unix://${socketPath}`,
    stop,
    start,
    async dispose() {
      await stop();
      await removeBridge(bridge);
      await removeTree(dir);
    },
  };
}

/** Copies images from the engine DOCKER_HOST names (or the default one) to `toDockerHost`: docker save | docker load. */
export async function copyImages(refs: string[], toDockerHost: string): Promise<void> {
  const save = spawn("docker", ["save", ...refs], { stdio: ["ignore", "pipe", "pipe"] });
  const load = spawn("docker", ["load", "-q"], { stdio: ["pipe", "pipe", "pipe"], env: { ...process.env, DOCKER_HOST: toDockerHost } });
  save.stdout.pipe(load.stdin);
  const errors: string[] = [];
  save.stderr.on("data", (d) => errors.push(String(d)));
  load.stderr.on("data", (d) => errors.push(String(d)));
  const exits = [save, load].map((child) => new Promise<number | null>((resolve) => child.on("close", resolve)));
  const codes = await Promise.all(exits);
  if (codes.some((code) => code !== 0)) throw new Error(`docker save | docker load failed: ${errors.join("").trim()}`);
}

// A bridge of its own, on a 10.213.N.0/24 that no interface or route of the host uses.
async function createBridge(name: string): Promise<string> {
  const { stdout } = await run("ip", ["-o", "-4", "route", "show", "table", "all"]);
  const { stdout: addrs } = await run("ip", ["-o", "-4", "addr"]);
  const free = Array.from({ length: 250 }, (_, i) => i + 2).filter((n) => !`${stdout}\n${addrs}`.includes(`10.213.${n}.`));
  if (!free.length) throw new Error("no free 10.213.N.0/24 for a test bridge");
  const subnet = free[Math.floor(Math.random() * free.length)];
  const bridge = name.slice(0, 15);
  await run("ip", ["link", "add", "name", bridge, "type", "bridge"]);
  await run("ip", ["addr", "add", `10.213.${subnet}.1/24`, "dev", bridge]);
  await run("ip", ["link", "set", bridge, "up"]);
  return bridge;
}

async function removeBridge(bridge: string): Promise<void> {
  await run("ip", ["link", "delete", bridge, "type", "bridge"]).catch(() => {});
}

async function processesMentioning(text: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const commandLine = await readFile(`/proc/${entry}/cmdline`, "utf8").catch(() => "");
    if (commandLine.includes(text)) pids.push(Number(entry));
  }
  return pids;
}

function killPid(pid: number): void {
  try {
    if (pid > 0) process.kill(pid, "SIGKILL");
  } catch {
    // already gone
  }
}
