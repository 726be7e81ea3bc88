// Faults and load against the production server and the real engine: the server is
// killed mid-build and restarted on the same database; twenty submissions arrive at
// once. Nothing is lost, nothing stays running, the pages keep answering.
import { execFileSync } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import type { ComparisonView } from "@/lib/comparisons/types";
import { createTestDb, type TestDb } from "@/lib/testing/test-db";
import { startAppServer, type AppServer } from "./app-server";

const servers: AppServer[] = [];
const databases: TestDb[] = [];

afterAll(async () => {
  for (const server of servers) await server.stop();
  for (const database of databases) await database.dispose();
});

async function submit(app: AppServer, body: unknown): Promise<string> {
  const response = await fetch(`${app.url}/api/comparisons`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

const get = async (app: AppServer, id: string) =>
  (await (await fetch(`${app.url}/api/comparisons/${id}`)).json()) as ComparisonView;

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 10 * 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

const terminal = (c: ComparisonView) => ["succeeded", "failed", "canceled"].includes(c.status);

describe("a server killed mid-build", () => {
  it("runs the comparison again after the restart, and leaves nothing running", async () => {
    const database = await createTestDb();
    databases.push(database);
    // A build argument no earlier build used defeats the cache, so the build takes a while.
    const env = { SLIMSTAGE_GOPRIVATE: `fault-${Date.now()}` };
    const first = await startAppServer(env, database);
    servers.push(first);
    const id = await submit(first, { repo: "example:hello", variants: ["single"] });
    await until("the build to start", async () => {
      const c = await get(first, id);
      return c.variants.some((v) => v.status === "building") ? c : undefined;
    });
    await first.crash();

    const row = await database.db.comparison.findUniqueOrThrow({ where: { id } });
    expect(row.status).toBe("running"); // what a crash leaves behind

    const second = await startAppServer(env, database);
    servers.push(second);
    const c = await until("the comparison to finish", async () => {
      const now = await get(second, id);
      return terminal(now) ? now : undefined;
    });
    expect(c.status).toBe("succeeded");
    expect(c.variants.map((v) => [v.key, v.status])).toEqual([["single", "built"]]);
    expect((await database.db.comparison.findUniqueOrThrow({ where: { id } })).attempts).toBe(2);
    const containers = execFileSync("docker", ["ps", "-q", "--filter", `label=org.slimstage.comparison=${id}`]).toString().trim();
    expect(containers).toBe("");
  });
});

describe("twenty submissions at once", () => {
  it("stores twenty rows that all finish, and the pages keep answering", async () => {
    const app = await startAppServer({ SLIMSTAGE_RATE_LIMIT: "100", SLIMSTAGE_MAX_QUEUED_PER_CLIENT: "20" });
    servers.push(app);
    const ids = await Promise.all(
      Array.from({ length: 20 }, () => submit(app, { repo: "example:hello", variants: ["scratch"] })),
    );
    expect(new Set(ids).size).toBe(20);
    expect(await app.testDb.db.comparison.count()).toBe(20);

    const latencies: number[] = [];
    const finished = await until("all twenty to finish", async () => {
      for (const route of ["/", `/c/${ids[0]}`, `/api/comparisons/${ids[19]}`]) {
        const started = performance.now();
        const response = await fetch(`${app.url}${route}`);
        expect(response.status).toBe(200);
        await response.arrayBuffer();
        latencies.push(performance.now() - started);
      }
      const all = await Promise.all(ids.map((id) => get(app, id)));
      return all.every(terminal) ? all : undefined;
    });
    expect(finished.map((c) => c.status)).toEqual(Array(20).fill("succeeded"));
    expect(await app.testDb.db.comparison.count()).toBe(20);
    latencies.sort((a, b) => a - b);
    const p = (q: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]);
    console.log(`[load] 20 comparisons, ${latencies.length} page requests meanwhile: p50 ${p(0.5)} ms, p99 ${p(0.99)} ms`);
  });
});
