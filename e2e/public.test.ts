// Running in public, through the real web process (scripts/web.ts) with no worker: who
// the client is (a forged X-Forwarded-For changes nothing unless the peer is a trusted
// proxy), queue caps per client and in total, bodies over the size cap, owners of
// cancel and delete, live-progress connections per client, and what /api/health tells
// the public and the operator.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "./app-server";

const ADMIN = "operator-token-for-the-tests";
let app: AppServer;
let proxied: AppServer;

beforeAll(async () => {
  [app, proxied] = await Promise.all([
    startAppServer({
      SLIMSTAGE_WORKER: "off",
      SLIMSTAGE_RATE_LIMIT: "1000",
      SLIMSTAGE_MAX_QUEUED_PER_CLIENT: "2",
      SLIMSTAGE_MAX_STREAMS_PER_CLIENT: "2",
      SLIMSTAGE_ADMIN_TOKEN: ADMIN,
    }),
    // Behind one proxy hop (the test plays the proxy): X-Forwarded-For names the client.
    startAppServer({ SLIMSTAGE_WORKER: "off", SLIMSTAGE_TRUSTED_PROXIES: "1", SLIMSTAGE_MAX_QUEUED_PER_CLIENT: "1", SLIMSTAGE_MAX_QUEUED: "3" }),
  ]);
});
afterAll(async () => {
  await Promise.all([app?.stop(), proxied?.stop()]);
});

interface Answer {
  status: number;
  retryAfter: string | null;
  body: { id?: string; managementToken?: string; error?: { code: string; message: string } } & Record<string, unknown>;
  setCookie: string | null;
}

async function call(server: AppServer, path: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(`${server.url}${path}`, init);
  const text = await response.text();
  return {
    status: response.status,
    retryAfter: response.headers.get("retry-after"),
    body: text ? JSON.parse(text) : {},
    setCookie: response.headers.get("set-cookie"),
  };
}

const submit = (server: AppServer, headers: Record<string, string> = {}) =>
  call(server, "/api/comparisons", {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ repo: "example:hello" }),
  });

describe("who the client is, and the queue's caps", () => {
  it("caps queued comparisons per client, however X-Forwarded-For is forged", async () => {
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await submit(app, { "x-forwarded-for": `203.0.113.${i + 1}` }));
    expect(answers.map((a) => a.status)).toEqual([201, 201, 429, 429]);
    expect(answers[2].body.error?.code).toBe("TOO_MANY_QUEUED");
    expect(answers[2].body.error?.message).toMatch(/at most 2 at a time/);
    expect(Number(answers[2].retryAfter)).toBeGreaterThan(0);
  });

  it("believes X-Forwarded-For from a trusted proxy, and caps the queue in total", async () => {
    const answers = [];
    for (const client of ["198.51.100.1", "198.51.100.2", "198.51.100.1", "198.51.100.3", "198.51.100.4"]) {
      answers.push(await submit(proxied, { "x-forwarded-for": client }));
    }
    expect(answers.map((a) => [a.status, a.body.error?.code ?? "created"])).toEqual([
      [201, "created"],
      [201, "created"],
      [429, "TOO_MANY_QUEUED"], // the first client again: its one place is taken
      [201, "created"],
      [503, "QUEUE_FULL"], // a new client, but three are waiting in all
    ]);
    expect(Number(answers[4].retryAfter)).toBeGreaterThan(0);
    const keys = (await proxied.testDb.db.comparison.findMany({ select: { clientKey: true } })).map((r) => r.clientKey).sort();
    expect(keys).toEqual(["198.51.100.1", "198.51.100.2", "198.51.100.3"]);
  });

  it("refuses a body over the size cap with 413, and stores nothing", async () => {
    const before = await app.testDb.db.comparison.count();
    const huge = JSON.stringify({ repo: "example:hello", ref: "x".repeat(200_000) });
    const answer = await call(app, "/api/comparisons", { method: "POST", headers: { "content-type": "application/json" }, body: huge });
    expect(answer.status).toBe(413);
    expect(answer.body.error?.code).toBe("BODY_TOO_LARGE");
    expect(await app.testDb.db.comparison.count()).toBe(before);
  });
});

describe("owners", () => {
  let id = "";
  let token = "";
  beforeAll(async () => {
    await app.testDb.db.comparison.deleteMany();
    const created = await submit(app);
    expect(created.status).toBe(201);
    id = created.body.id!;
    token = created.body.managementToken!;
    expect(token.length).toBeGreaterThan(20);
    // The submitting browser keeps it in an HttpOnly, SameSite=Strict cookie.
    expect(created.setCookie).toMatch(new RegExp(`slimstage_owner_${id}=`));
    expect(created.setCookie).toMatch(/HttpOnly/i);
    expect(created.setCookie).toMatch(/SameSite=Strict/i);
    // Only the hash is stored.
    const row = await app.testDb.db.comparison.findUniqueOrThrow({ where: { id } });
    expect(row.ownerTokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(token);
  });

  it.each([
    ["cancel without a token", "POST", "cancel", {}, 403, "NOT_OWNER"],
    ["cancel with a wrong token", "POST", "cancel", { authorization: "Bearer wrong-token-wrong-token" }, 403, "WRONG_TOKEN"],
    ["delete without a token", "DELETE", "", {}, 403, "NOT_OWNER"],
    ["delete with a wrong token", "DELETE", "", { authorization: "Bearer wrong-token-wrong-token" }, 403, "WRONG_TOKEN"],
    ["cancel from another site, even with the token", "POST", "cancel", { origin: "https://evil.example", "x-token": "yes" }, 403, "CROSS_SITE"],
  ])("%s → %i %s", async (_name, method, action, headers, status, code) => {
    const withToken = "x-token" in headers ? { ...headers, authorization: `Bearer ${token}` } : headers;
    const answer = await call(app, `/api/comparisons/${id}${action ? `/${action}` : ""}`, { method, headers: withToken as Record<string, string> });
    expect(answer.status).toBe(status);
    expect(answer.body.error?.code).toBe(code);
    expect((await app.testDb.db.comparison.findUniqueOrThrow({ where: { id } })).status).toBe("queued");
  });

  it("cancels with the token, in its cookie too, and deletes with the admin token", async () => {
    const canceled = await call(app, `/api/comparisons/${id}/cancel`, { method: "POST", headers: { cookie: `slimstage_owner_${id}=${token}` } });
    expect(canceled.status).toBe(200);
    expect(canceled.body.status).toBe("canceled");
    const deleted = await call(app, `/api/comparisons/${id}`, { method: "DELETE", headers: { authorization: `Bearer ${ADMIN}` } });
    expect(deleted.status).toBe(204);
    expect(await app.testDb.db.comparison.count({ where: { id } })).toBe(0);
  });
});

describe("bounds", () => {
  it("caps live-progress connections per client", async () => {
    const created = await submit(app);
    const id = created.body.id ?? (await app.testDb.db.comparison.findFirstOrThrow()).id;
    const controllers = [new AbortController(), new AbortController()];
    const open = await Promise.all(controllers.map((c) => fetch(`${app.url}/api/comparisons/${id}/events`, { signal: c.signal })));
    expect(open.map((r) => r.status)).toEqual([200, 200]);
    const third = await call(app, `/api/comparisons/${id}/events`);
    expect(third.status).toBe(429);
    expect(third.body.error?.code).toBe("TOO_MANY_STREAMS");
    controllers.forEach((c) => c.abort());
    // A slot comes back when its connection ends.
    await expect.poll(async () => {
      const again = await fetch(`${app.url}/api/comparisons/${id}/events`);
      const status = again.status;
      await again.body?.cancel();
      return status;
    }).toBe(200);
  });

  it("tells the public only ok / not ok, and the operator the details", async () => {
    const open = await call(app, "/api/health");
    expect(Object.keys(open.body).sort()).toEqual(["db", "engine", "ok"]);
    expect(open.body.engine).toEqual({ ok: false });
    expect(JSON.stringify(open.body)).not.toMatch(/version|error|socket/i);
    const admin = await call(app, "/api/health", { headers: { authorization: `Bearer ${ADMIN}` } });
    expect(admin.body).toHaveProperty("workers");
    expect(admin.body).toHaveProperty("baseImages");
    expect((admin.body.engine as { error?: string }).error).toMatch(/no build worker/);
  });
});
