// The app's processes as the tests start them, each on its own: a web process
// (scripts/web.ts: the production build behind the client-identifying server) on a free
// port, and a build worker (scripts/worker.ts) for the engine its DOCKER_HOST names.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";

export interface AppProcess {
  output(): string;
  /** SIGTERM, then SIGKILL after 15 s. */
  stop(): Promise<void>;
  /** kill -9: no chance to clean up. */
  kill(): Promise<void>;
  readonly exited: boolean;
}

export interface WebProcess extends AppProcess {
  url: string;
}

/**
 * A build worker's glibc malloc keeps two arenas, as `npm run worker` (package.json) and
 * compose.yaml start it: the measuring's freed buffers go back instead of staying in one
 * arena per thread (README, Performance: P5). The web process runs without.
 */
const WORKER_MALLOC_ENV = { MALLOC_ARENA_MAX: "2" } as const;

function startProcess(script: string, env: Record<string, string>): AppProcess & { child: ChildProcess } {
  let output = "";
  // Each process with its own start script's allocator setting, whatever this one runs with.
  const { MALLOC_ARENA_MAX: _inherited, ...inherited } = process.env;
  // One process, node itself with tsx's loader: a kill -9 reaches the program (the tsx
  // command would leave its node child running).
  const child = spawn(process.execPath, ["--import", "tsx", path.join(process.cwd(), script)], {
    env: { ...inherited, NEXT_TELEMETRY_DISABLED: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  return {
    child,
    output: () => output,
    stop: () => terminate(child, "SIGTERM"),
    kill: () => terminate(child, "SIGKILL"),
    get exited() {
      return child.exitCode !== null || child.signalCode !== null;
    },
  };
}

export async function startWebProcess(env: Record<string, string>): Promise<WebProcess> {
  const port = await freePort();
  const started = startProcess("scripts/web.ts", { ...env, PORT: String(port), SLIMSTAGE_HOST: "127.0.0.1" });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (started.exited) throw new Error(`the web process exited:\n${started.output()}`);
    if (await fetch(`${url}/api/health`).then((r) => r.status > 0, () => false)) break;
    if (Date.now() > deadline) throw new Error(`the web process did not answer within 60 s:\n${started.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return Object.assign(started, { url });
}

/** Resolves once the worker has made its first report: its engine, or why it waits for one. */
export async function startWorkerProcess(env: Record<string, string>): Promise<AppProcess> {
  const started = startProcess("scripts/worker.ts", { ...WORKER_MALLOC_ENV, ...env });
  const deadline = Date.now() + 60_000;
  // The worker's JSON log lines (lib/log.ts): ready, or waiting for its engine.
  while (!/"msg":"(worker [^"]*; ready|waiting for the Docker Engine)/.test(started.output())) {
    if (started.exited) throw new Error(`the worker exited:\n${started.output()}`);
    if (Date.now() > deadline) throw new Error(`the worker did not start within 60 s:\n${started.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return started;
}

async function terminate(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill(signal);
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
  if (child.exitCode === null && child.signalCode === null) {
    child.kill("SIGKILL");
    await exited;
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}
