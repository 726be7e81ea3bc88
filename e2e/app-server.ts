// Starts the app as it runs in production, on a free port with its own fresh database:
// the web process (scripts/web.ts: the production build behind the client-identifying
// server) and, unless `SLIMSTAGE_WORKER: "off"` is passed (a switch of this harness,
// not of the app), one build worker (scripts/worker.ts) on the default engine. Stops
// both afterwards.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";
import { createTestDb, type TestDb } from "@/lib/testing/test-db";

export interface AppServer {
  url: string;
  testDb: TestDb;
  output(): string;
  /** Stops both processes and removes the database (unless it was handed one). */
  stop(): Promise<void>;
  /** kill -9 of both processes: no chance to clean up. The database stays. */
  crash(): Promise<void>;
  /** kill -9 of the worker alone. */
  crashWorker(): Promise<void>;
}

const tsx = () => path.join(process.cwd(), "node_modules", ".bin", "tsx");

/** `database` reuses an existing test database, e.g. to restart after a crash. */
export async function startAppServer(env: Record<string, string> = {}, database?: TestDb): Promise<AppServer> {
  const { SLIMSTAGE_WORKER: workerSwitch, ...appEnv } = env;
  const testDb = database ?? (await createTestDb());
  const port = await freePort();
  let output = "";
  const childEnv = { ...process.env, DATABASE_URL: testDb.url, NEXT_TELEMETRY_DISABLED: "1", PORT: String(port), HOSTNAME: "127.0.0.1", ...appEnv };
  const start = (script: string) => {
    const child = spawn(tsx(), [script], { env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout?.on("data", (chunk) => (output += chunk));
    child.stderr?.on("data", (chunk) => (output += chunk));
    return child;
  };
  const webProcess = start("scripts/web.ts");
  const worker = workerSwitch === "off" ? null : start("scripts/worker.ts");
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (webProcess.exitCode !== null) throw new Error(`the web process exited with ${webProcess.exitCode}:\n${output}`);
    const ready = await fetch(`${url}/api/health`).then((r) => r.status > 0, () => false);
    if (ready) break;
    if (Date.now() > deadline) throw new Error(`the web process did not answer within 60 s:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  // The worker has written its first report (its engine, or why it waits for one).
  while (worker && worker.exitCode === null && !/\[slimstage worker\] (worker .*; ready|waiting for the Docker Engine)/.test(output)) {
    if (Date.now() > deadline) throw new Error(`the worker did not start within 60 s:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const processes = [webProcess, ...(worker ? [worker] : [])];
  return {
    url,
    testDb,
    output: () => output,
    async stop() {
      await Promise.all(processes.map((child) => terminate(child, "SIGTERM")));
      if (!database) await testDb.dispose();
    },
    async crash() {
      await Promise.all(processes.map((child) => terminate(child, "SIGKILL")));
    },
    async crashWorker() {
      if (worker) await terminate(worker, "SIGKILL");
    },
  };
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

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}
