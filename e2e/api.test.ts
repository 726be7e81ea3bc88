// The JSON API against the production server: bad input gets a 4xx JSON error with a
// code and a message, and nothing is stored for it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "./app-server";

const ADMIN = "operator-token-for-the-api-tests";
let app: AppServer;

beforeAll(async () => {
  app = await startAppServer({ SLIMSTAGE_WORKER: "off", SLIMSTAGE_ADMIN_TOKEN: ADMIN, SLIMSTAGE_MAX_QUEUED_PER_CLIENT: "50" });
});
afterAll(async () => {
  await app?.stop();
});

const post = (body: string, contentType = "application/json") =>
  fetch(`${app.url}/api/comparisons`, { method: "POST", headers: { "content-type": contentType }, body });

describe("POST /api/comparisons", () => {
  it.each([
    ["an empty body", "", 400, "EMPTY_BODY"],
    ["a body that is not JSON", "{repo:", 400, "INVALID_JSON"],
    ["no repo", "{}", 422, "INVALID_INPUT"],
    ["a repo of the wrong type", '{"repo": 42}', 422, "INVALID_INPUT"],
    ["an unknown example", '{"repo": "example:nope"}', 422, "UNKNOWN_EXAMPLE"],
    ["an unknown field", '{"repo": "example:hello", "extra": true}', 422, "UNKNOWN_FIELD"],
    ["an unknown variant", '{"repo": "example:hello", "variants": ["tiny"]}', 422, "INVALID_INPUT"],
    ["an array instead of an object", '["example:hello"]', 422, "INVALID_INPUT"],
  ])("rejects %s", async (_name, body, status, code) => {
    const response = await post(body);
    expect(response.status).toBe(status);
    expect(response.headers.get("content-type")).toContain("application/json");
    const json = (await response.json()) as { error: { code: string; message: string } };
    expect(json.error.code).toBe(code);
    expect(json.error.message.length).toBeGreaterThan(5);
  });

  it("stored none of the rejected submissions", async () => {
    expect(await app.testDb.db.comparison.count()).toBe(0);
  });

  it("accepts a bundled example and answers with its link", async () => {
    const response = await post('{"repo": "example:hello"}');
    expect(response.status).toBe(201);
    const created = (await response.json()) as { id: string; url: string; status: string };
    expect(created).toEqual({
      id: expect.stringMatching(/^[A-Za-z0-9]{10}$/),
      url: `/c/${created.id}`,
      status: "queued",
      managementToken: expect.stringMatching(/^[A-Za-z0-9_-]{32}$/),
    });

    const detail = await fetch(`${app.url}/api/comparisons/${created.id}`);
    expect(detail.status).toBe(200);
    expect(await detail.json()).toMatchObject({ id: created.id, repo: "example:hello", status: "queued", variants: [] });
  });

  it("answers an unknown id with a 404 JSON error", async () => {
    const response = await fetch(`${app.url}/api/comparisons/doesnotexist`);
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("NOT_FOUND");
  });
});

describe("GET /api/health", () => {
  it("reports to the operator the database, the worker's engine, its builder, its disk and its base images", async () => {
    // A server with a worker: the web process knows engines only from workers' reports.
    const withWorker = await startAppServer({ SLIMSTAGE_ADMIN_TOKEN: ADMIN });
    type Reported = {
      db: { ok: boolean };
      engine: { ok: boolean; version?: string };
      baseImages: Array<{ image: string; present: boolean; onDemand?: boolean }>;
      workers: Array<{ builder: { kind: string; why: string } | null; disk: { usedBytes: number; budgetBytes: number } | null }>;
    };
    const ask = () => fetch(`${withWorker.url}/api/health`, { headers: { authorization: `Bearer ${ADMIN}` } });
    // The worker measures its engine's disk right after it starts: its report follows.
    const deadline = Date.now() + 60_000;
    let response = await ask();
    while (((await response.clone().json()) as Reported).workers[0]?.disk == null && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      response = await ask();
    }
    await withWorker.stop();
    const health = (await response.json()) as Reported;
    // What the engine holds, against its budget (lib/jobs/disk-budget.ts).
    expect(health.workers[0].disk?.usedBytes).toBeGreaterThan(100e6);
    expect(health.workers[0].disk?.budgetBytes).toBeGreaterThanOrEqual(2e9);
    expect(response.status).toBe(200);
    expect(health.db.ok).toBe(true);
    expect(health.engine.ok).toBe(true);
    expect(health.engine.version).toMatch(/^\d+\.\d+/);
    expect(health.baseImages.find((b) => b.image === "slimstage/golang:1.23-local")?.present).toBe(true);
    expect(health.baseImages.find((b) => b.image === "slimstage/static:local")?.present).toBe(true);
    // Which builder the engine has, and why; Go stand-ins not made yet are made on demand.
    expect(health.workers[0].builder).toEqual({ kind: "buildkit", why: expect.stringMatching(/has BuildKit/) });
    for (const base of health.baseImages.filter((b) => /^slimstage\/golang:/.test(b.image))) expect(base.present || base.onDemand).toBe(true);
  });
});

describe("security headers", () => {
  it.each(["/", "/api/health", "/c/doesnotexist"])("are on %s", async (route) => {
    const response = await fetch(`${app.url}${route}`);
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe-eval");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(response.headers.get("x-powered-by")).toBeNull();
  });
});

describe("POST /api/comparisons/<id>/cancel", () => {
  it("cancels a queued comparison, then refuses a second time", async () => {
    const created = (await (await post('{"repo": "example:hello"}')).json()) as { id: string; managementToken: string };
    const auth = { authorization: `Bearer ${created.managementToken}` };
    const first = await fetch(`${app.url}/api/comparisons/${created.id}/cancel`, { method: "POST", headers: auth });
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ id: created.id, status: "canceled" });
    const detail = (await (await fetch(`${app.url}/api/comparisons/${created.id}`)).json()) as { status: string };
    expect(detail.status).toBe("canceled");
    const second = await fetch(`${app.url}/api/comparisons/${created.id}/cancel`, { method: "POST", headers: auth });
    expect(second.status).toBe(409);
    expect(((await second.json()) as { error: { code: string } }).error.code).toBe("ALREADY_FINISHED");
  });

  it("answers an unknown id with 404", async () => {
    const response = await fetch(`${app.url}/api/comparisons/nope/cancel`, { method: "POST", headers: { authorization: `Bearer ${ADMIN}` } });
    expect(response.status).toBe(404);
  });
});

describe("rate limit", () => {
  it("answers 429 with Retry-After once a client has submitted too much", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await post('{"repo": "example:nope"}')).status);
    expect(statuses).toContain(429);
    const limited = await post('{"repo": "example:hello"}');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe("RATE_LIMITED");
  });
});

describe("DELETE /api/comparisons/<id>", () => {
  it("deletes a finished comparison, then answers 404", async () => {
    await app.testDb.db.comparison.create({ data: { id: "deleteme01", repo: "example:hello", status: "failed" } });
    const admin = { authorization: `Bearer ${ADMIN}` };
    const first = await fetch(`${app.url}/api/comparisons/deleteme01`, { method: "DELETE", headers: admin });
    expect(first.status).toBe(204);
    expect(await app.testDb.db.comparison.findUnique({ where: { id: "deleteme01" } })).toBeNull();
    const second = await fetch(`${app.url}/api/comparisons/deleteme01`, { method: "DELETE", headers: admin });
    expect(second.status).toBe(404);
  });

  it("refuses to delete a running comparison", async () => {
    await app.testDb.db.comparison.create({ data: { id: "running001", repo: "example:hello", status: "running" } });
    const response = await fetch(`${app.url}/api/comparisons/running001`, { method: "DELETE", headers: { authorization: `Bearer ${ADMIN}` } });
    expect(response.status).toBe(409);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("STILL_RUNNING");
  });
});
