// Starts the app as it runs on one machine, with its own fresh database: one web
// process and, unless `SLIMSTAGE_WORKER: "off"` is passed (a switch of this harness,
// not of the app), one build worker on the default engine. Stops both afterwards.
import { createTestDb, type TestDb } from "@/lib/testing/test-db";
import { startWebProcess, startWorkerProcess, type AppProcess } from "./processes";

export interface AppServer {
  url: string;
  testDb: TestDb;
  output(): string;
  /** Stops both processes and removes the database (unless it was handed one). */
  stop(): Promise<void>;
  /** kill -9 of both processes: no chance to clean up. The database stays. */
  crash(): Promise<void>;
}

/** `database` reuses an existing test database, e.g. to restart after a crash. */
export async function startAppServer(env: Record<string, string> = {}, database?: TestDb): Promise<AppServer> {
  const { SLIMSTAGE_WORKER: workerSwitch, ...appEnv } = env;
  const testDb = database ?? (await createTestDb());
  const childEnv = { DATABASE_URL: testDb.url, ...appEnv };
  const web = await startWebProcess(childEnv);
  const worker = workerSwitch === "off" ? null : await startWorkerProcess(childEnv);
  const processes: AppProcess[] = [web, ...(worker ? [worker] : [])];
  return {
    url: web.url,
    testDb,
    output: () => processes.map((p) => p.output()).join(""),
    async stop() {
      await Promise.all(processes.map((p) => p.stop()));
      if (!database) await testDb.dispose();
    },
    async crash() {
      await Promise.all(processes.map((p) => p.kill()));
    },
  };
}
