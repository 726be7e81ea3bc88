// The scale-out suite: PostgreSQL for the rows, two Docker engines on one machine (the
// default one and a second of the test's own: its own socket, data root, exec root,
// pid file and bridge), a build worker for each, and two web processes. Comparisons
// spread over both engines; any web process serves any page; a worker killed mid-build
// loses its lease and the other finishes its comparison; a stopped engine's worker
// claims nothing; cancel written through one web process stops the build in a worker;
// DELETE removes images from the engine that built them and from no other.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dockerEngine, dockerEngineAt } from "@/lib/engine/docker-engine";
import { postgresUnavailable } from "@/lib/testing/postgres";
import { copyImages, startSecondEngine, type SecondEngine } from "@/lib/testing/second-engine";
import { startGitServer, type GitServer } from "@/lib/testing/git-server";
import { server as serverFixture } from "@/lib/testing/go-fixtures";
import { createTestDb, type TestDb } from "@/lib/testing/test-db";
import { startWebProcess, startWorkerProcess, type AppProcess, type WebProcess } from "./processes";

const run = promisify(execFile);
const BASES = ["slimstage/golang:1.23-local", "slimstage/static:local"];
const skip = postgresUnavailable() ?? (process.getuid?.() === 0 ? null : "a second Docker engine needs root");

let testDb: TestDb;
let engineB: SecondEngine;
let git: GitServer;
let serverRepo = "";
const tokens = new Map<string, string>();
let webs: WebProcess[] = [];
const workers: Record<"A" | "B", AppProcess | null> = { A: null, B: null };
const engineIds: Record<"A" | "B", string> = { A: "", B: "" };

const commonEnv = () => ({
  DATABASE_URL: testDb.url,
  SLIMSTAGE_BASE_PROFILE: "offline",
  SLIMSTAGE_REGISTRY_PORT: "0",
  SLIMSTAGE_LEASE_SECONDS: "4",
  SLIMSTAGE_MAX_QUEUED_PER_CLIENT: "100",
  // A server's run check waits this long: time enough to cancel it mid-way.
  SLIMSTAGE_RUN_TIMEOUT: "8",
  SLIMSTAGE_ALLOW_PRIVATE_HOSTS: "1",
  // Fresh for this run: the first compile on each engine is not in its build cache.
  SLIMSTAGE_GOPRIVATE: `scale-out-${runId}`,
});
const runId = Date.now();
const startWorker = async (name: "A" | "B") => {
  workers[name] = await startWorkerProcess({
    ...commonEnv(),
    SLIMSTAGE_WORKER_ID: `worker-${name}`,
    ...(name === "B" ? { DOCKER_HOST: engineB.dockerHost } : {}),
  });
};

// As the workers name their engines (lib/engine/docker-engine.ts identity()).
const engineIdOf = async (dockerHost?: string): Promise<string> =>
  (await (dockerHost ? dockerEngineAt(dockerHost.replace(/^unix:\/\//, "")) : dockerEngine()).identity()).id;

async function imageIds(dockerHost?: string): Promise<Set<string>> {
  const { stdout } = await run("docker", ["images", "-q", "--no-trunc"], { env: { ...process.env, ...(dockerHost ? { DOCKER_HOST: dockerHost } : {}) } });
  return new Set(stdout.split("\n").filter(Boolean));
}

interface Created {
  id: string;
  managementToken: string;
}

async function submit(web: WebProcess, body: Record<string, unknown>): Promise<Created> {
  const response = await fetch(`${web.url}/api/comparisons`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  expect(response.status).toBe(201);
  const created = (await response.json()) as Created;
  tokens.set(created.id, created.managementToken);
  return created;
}

const row = (id: string) => testDb.db.comparison.findUniqueOrThrow({ where: { id }, include: { variants: true } });

async function waitFor<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 300_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? Number(v) : v))}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const finished = (status: string) => ["succeeded", "failed", "canceled"].includes(status);

describe.skipIf(skip !== null)(`scale-out${skip ? ` (skipped: ${skip})` : ""}`, () => {
  beforeAll(async () => {
    [testDb, engineB, git] = await Promise.all([createTestDb({ dialect: "postgresql" }), startSecondEngine(), startGitServer()]);
    serverRepo = (await git.createRepo("server", serverFixture)).url;
    await copyImages(BASES, engineB.dockerHost);
    [engineIds.A, engineIds.B] = await Promise.all([engineIdOf(), engineIdOf(engineB.dockerHost)]);
    expect(engineIds.A).not.toBe(engineIds.B);
    webs = await Promise.all([startWebProcess(commonEnv()), startWebProcess(commonEnv())]);
    await Promise.all([startWorker("A"), startWorker("B")]);
  }, 10 * 60_000);

  afterAll(async () => {
    await Promise.all([...webs, workers.A, workers.B].map((p) => p?.stop()));
    // The images the comparisons left on the default engine (engine B goes as a whole).
    const leftOnA = await testDb?.db.variant.findMany({ where: { imageId: { not: null }, comparison: { engineId: engineIds.A } }, select: { imageId: true } });
    for (const { imageId } of leftOnA ?? []) await run("docker", ["rmi", "-f", imageId!]).catch(() => {});
    await engineB?.dispose();
    await Promise.all([testDb?.dispose(), git?.stop()]);
  }, 5 * 60_000);

  it("spreads six comparisons over both engines; all succeed, and either web process serves each page", async () => {
    const created: Created[] = [];
    for (let i = 0; i < 6; i++) created.push(await submit(webs[i % 2], { repo: "example:hello", variants: ["scratch"] }));
    const rows = await waitFor("six comparisons", () => Promise.all(created.map((c) => row(c.id))), (rs) => rs.every((r) => finished(r.status)));
    expect(rows.map((r) => r.status)).toEqual(Array(6).fill("succeeded"));
    expect(new Set(rows.map((r) => r.engineId))).toEqual(new Set([engineIds.A, engineIds.B]));
    for (const r of rows) {
      for (const web of webs) {
        const page = await fetch(`${web.url}/c/${r.id}`);
        expect(page.status).toBe(200);
        expect(await page.text()).toContain("example:hello");
      }
    }
  });

  it("finishes on the other worker a comparison whose worker was killed mid-build", async () => {
    // Its compile is in no build cache yet (SLIMSTAGE_GOPRIVATE is new): caught mid-way.
    const created = await submit(webs[0], { repo: "example:loadlocation", variants: ["single", "scratch"] });
    const running = await waitFor("a build", () => row(created.id), (r) => r.status === "running" && r.variants.some((v) => v.status === "building"));
    const holder = running.workerId === "worker-A" ? "A" : "B";
    const other = holder === "A" ? "B" : "A";
    await workers[holder]!.kill();
    const done = await waitFor("the takeover", () => row(created.id), (r) => finished(r.status));
    expect(done.status).toBe("succeeded");
    expect(done.workerId).toBeNull();
    expect(done.engineId).toBe(engineIds[other]);
    expect(done.attempts).toBe(2);
    // Each variant once (loadlocation needs zoneinfo, so scratch brings its naive twin).
    const keys = done.variants.map((v) => v.key).sort();
    expect(keys).toEqual(["scratch", "scratch-naive", "single"]);
    expect(done.variants.every((v) => v.status === "built")).toBe(true);
    expect(await testDb.db.comparison.count({ where: { status: "running" } })).toBe(0);
    await startWorker(holder);
  });

  it("sends new work to the other engine while one engine is stopped, and loses nothing", async () => {
    // Gone at once, as an engine whose machine is lost (a graceful stop may take its time).
    await engineB.stop({ crash: true });
    await waitFor("worker B to notice", () => testDb.db.worker.findUnique({ where: { id: "worker-B" } }), (w) => w?.problem != null, 30_000);
    const created = [await submit(webs[1], { repo: "example:hello", variants: ["scratch"] }), await submit(webs[0], { repo: "example:hello", variants: ["scratch"] })];
    const rows = await waitFor("both", () => Promise.all(created.map((c) => row(c.id))), (rs) => rs.every((r) => finished(r.status)));
    expect(rows.map((r) => [r.status, r.engineId])).toEqual([
      ["succeeded", engineIds.A],
      ["succeeded", engineIds.A],
    ]);
    await engineB.start();
    await waitFor("worker B to be back", () => testDb.db.worker.findUnique({ where: { id: "worker-B" } }), (w) => w?.problem === null, 60_000);
  });

  it("stops a comparison in a worker when the cancel reaches another web process", async () => {
    // A server: its run check waits SLIMSTAGE_RUN_TIMEOUT (8 s) before calling it working.
    const created = await submit(webs[0], { repo: serverRepo, variants: ["scratch"] });
    await waitFor("its run check", () => row(created.id), (r) => r.status === "running" && r.variants.some((v) => v.status === "built"));
    const started = Date.now();
    const response = await fetch(`${webs[1].url}/api/comparisons/${created.id}/cancel`, {
      method: "POST",
      headers: { authorization: `Bearer ${created.managementToken}` },
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { status: string }).status).toBe("canceled");
    console.log(`cancel through the other web process: the worker stopped the comparison in ${Date.now() - started} ms`);
    const done = await row(created.id);
    expect(done.status).toBe("canceled");
    expect(done.variants.every((v) => v.status !== "building")).toBe(true);
  });

  it("removes a deleted comparison's images from the engine that built them, and from no other", async () => {
    const builtOnB = await testDb.db.variant.findMany({ where: { imageId: { not: null }, comparison: { engineId: engineIds.B } }, select: { imageId: true, comparisonId: true } });
    const image = builtOnB[0]?.imageId;
    expect(image).toBeTruthy();
    // The build cache gives comparisons of one source one image: delete every one using it.
    const owners = [...new Set(builtOnB.filter((v) => v.imageId === image).map((v) => v.comparisonId))];
    expect((await imageIds(engineB.dockerHost)).has(image!)).toBe(true);
    expect(await testDb.db.comparison.count({ where: { status: { in: ["queued", "running"] } } })).toBe(0);
    const beforeA = await imageIds();

    const refused = await fetch(`${webs[1].url}/api/comparisons/${owners[0]}`, { method: "DELETE" });
    expect(refused.status).toBe(403);
    for (const id of owners) {
      const response = await fetch(`${webs[owners.indexOf(id) % 2].url}/api/comparisons/${id}`, {
        method: "DELETE",
        headers: { authorization: `Bearer ${tokens.get(id)}` },
      });
      expect(response.status).toBe(204);
    }
    await waitFor("worker B to remove the image", () => imageIds(engineB.dockerHost), (ids) => !ids.has(image!), 60_000);
    // A request's row goes once its image is removed (the other images of these comparisons may still be in turn).
    await waitFor("every removal request to be served", () => testDb.db.imageRemoval.count(), (count) => count === 0, 60_000);
    expect(await imageIds()).toEqual(beforeA);
  });
});
