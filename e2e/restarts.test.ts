// Restarts that lose nothing, with the real processes: a worker told to stop (SIGTERM)
// while a build runs hands the comparison back at once — queued again, its claim not
// counted — and the next worker builds it to the end; a web process told to stop answers
// what is in flight, takes nothing new, and exits.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGitServer, type GitServer } from "@/lib/testing/git-server";
import { slowBuild } from "@/lib/testing/go-fixtures";
import { createTestDb, type TestDb } from "@/lib/testing/test-db";
import { startWebProcess, startWorkerProcess, type AppProcess, type WebProcess } from "./processes";

let testDb: TestDb;
let git: GitServer;
let slowRepo: string;
let web: WebProcess | undefined;
const workers: AppProcess[] = [];

const env = () => ({
  DATABASE_URL: testDb.url,
  SLIMSTAGE_BASE_PROFILE: "offline",
  SLIMSTAGE_REGISTRY_PORT: "0",
  SLIMSTAGE_ALLOW_PRIVATE_HOSTS: "1",
  SLIMSTAGE_STOP_GRACE: "1",
});

beforeAll(async () => {
  [testDb, git] = await Promise.all([createTestDb(), startGitServer()]);
  // Its own Dockerfile ticks for 15 s, whatever the caches hold: still building when the worker stops.
  slowRepo = (await git.createRepo("slow", slowBuild(15, `restart-${Date.now()}`))).url;
  web = await startWebProcess(env());
}, 5 * 60_000);

afterAll(async () => {
  await Promise.all([web, ...workers].map((p) => p?.stop()));
  const left = await testDb?.db.variant.findMany({ where: { imageId: { not: null } }, select: { imageId: true } });
  const { execFileSync } = await import("node:child_process");
  for (const { imageId } of left ?? []) {
    try {
      execFileSync("docker", ["rmi", "-f", imageId!], { stdio: "ignore" });
    } catch {
      // already gone
    }
  }
  await Promise.all([testDb?.dispose(), git?.stop()]);
}, 5 * 60_000);

async function waitFor<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 300_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const row = (id: string) => testDb.db.comparison.findUniqueOrThrow({ where: { id }, include: { variants: true } });

describe("a worker stopped with SIGTERM mid-build", () => {
  it("hands the comparison back at once, and the next worker finishes it", async () => {
    workers.push(await startWorkerProcess({ ...env(), SLIMSTAGE_WORKER_ID: "restart-a" }));
    const response = await fetch(`${web!.url}/api/comparisons`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ repo: slowRepo, variants: ["scratch", "repo"] }),
    });
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: string };
    await waitFor("the repository's build", () => row(id), (r) => r.variants.some((v) => v.key === "repo" && v.status === "building"));

    const stopping = Date.now();
    await workers[0].stop();
    // Within its grace (1 s) and the build's stop, long before the 15 s build would end.
    expect(workers[0].exited).toBe(true);
    expect(Date.now() - stopping).toBeLessThan(12_000);
    const handedBack = await row(id);
    expect(handedBack).toMatchObject({ status: "queued", workerId: null, attempts: 0 });
    expect(handedBack.phase).toMatch(/queued again/);
    expect(workers[0].output()).toMatch(/handed back/);

    workers.push(await startWorkerProcess({ ...env(), SLIMSTAGE_WORKER_ID: "restart-b" }));
    const done = await waitFor("the comparison to finish", () => row(id), (r) => ["succeeded", "failed", "canceled"].includes(r.status));
    expect(done.status).toBe("succeeded");
    expect(done.attempts).toBe(1);
    expect(done.variants.find((v) => v.key === "repo")?.status).toBe("built");
  });
});

describe("a web process stopped with SIGTERM", () => {
  it("answers the stream it holds until the grace ends, takes no new connection, and exits", async () => {
    const id = (await testDb.db.comparison.findFirstOrThrow({ select: { id: true } })).id;
    // A live-progress stream of a finished comparison ends by itself; a running one's would
    // stay open: one of a queued comparison that no worker takes stays open.
    await testDb.db.comparison.create({ data: { id: "waitingfor", repo: "example:hello", status: "queued" } });
    const stream = await fetch(`${web!.url}/api/comparisons/waitingfor/events`);
    expect(stream.status).toBe(200);
    const page = await fetch(`${web!.url}/c/${id}`);
    expect(page.status).toBe(200);

    const stopped = web!.stop();
    await waitFor("the listener to close", () => fetch(`${web!.url}/api/health`).then(() => false, () => true), (refused) => refused, 10_000);
    await stopped;
    expect(web!.exited).toBe(true);
    expect(web!.output()).toMatch(/SIGTERM: finishing the requests in flight/);
    // The stream was ended by the server, not left hanging.
    const ended = await (async () => {
      const reader = stream.body!.getReader();
      for (;;) if ((await reader.read()).done) return "ended";
    })().catch((error: Error) => error.message);
    expect(["ended", "terminated"]).toContain(ended);
  });
});
