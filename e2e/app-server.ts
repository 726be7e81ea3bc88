// Starts the production build (`next start`) on a free port with its own fresh
// database, for the browser and API tests; stops it afterwards.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";
import { createTestDb, type TestDb } from "@/lib/testing/test-db";

export interface AppServer {
  url: string;
  testDb: TestDb;
  output(): string;
  /** Stops the server and removes its database (unless it was handed one). */
  stop(): Promise<void>;
  /** kill -9: the server gets no chance to clean up. The database stays. */
  crash(): Promise<void>;
}

/** `database` reuses an existing test database, e.g. to restart after a crash. */
export async function startAppServer(env: Record<string, string> = {}, database?: TestDb): Promise<AppServer> {
  const testDb = database ?? (await createTestDb());
  const port = await freePort();
  let output = "";
  const child: ChildProcess = spawn(path.join(process.cwd(), "node_modules", ".bin", "next"), ["start", "-p", String(port)], {
    env: { ...process.env, DATABASE_URL: testDb.url, NEXT_TELEMETRY_DISABLED: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}:\n${output}`);
    const ready = await fetch(`${url}/api/health`).then((r) => r.status > 0, () => false);
    if (ready) break;
    if (Date.now() > deadline) throw new Error(`next start did not answer within 60 s:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    url,
    testDb,
    output: () => output,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
        if (child.exitCode === null) child.kill("SIGKILL");
      }
      if (!database) await testDb.dispose();
    },
    async crash() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGKILL");
      await exited;
    },
  };
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
