// The response cache (proxy.ts) against the production server: kept answers are the
// app's own, and the database stays the truth — a deleted comparison, a comparison that
// finished, a new submission and another origin are all seen at once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "./app-server";

const ADMIN = "operator-token-for-the-cache-tests";

let app: AppServer;

beforeAll(async () => {
  app = await startAppServer({ SLIMSTAGE_WORKER: "off", SLIMSTAGE_ADMIN_TOKEN: ADMIN });
});
afterAll(async () => {
  await app?.stop();
});

const minuteAgo = () => new Date(Date.now() - 60_000);
// Ids of the shape newComparisonId() makes: the cache answers for no other.
const get = async (path: string, headers: Record<string, string> = {}) => {
  const response = await fetch(`${app.url}${path}`, { headers });
  return { status: response.status, type: response.headers.get("content-type"), body: await response.text(), headers: response.headers };
};

async function finished(id: string, finishedAt = minuteAgo()) {
  await app.testDb.db.comparison.create({
    data: { id, repo: "example:hello", status: "succeeded", createdAt: new Date(finishedAt.getTime() - 60_000), startedAt: finishedAt, finishedAt },
  });
}

describe("a finished comparison", () => {
  it("answers the same page and JSON again, with the app's headers", async () => {
    await finished("cachedpgBb");
    const first = await get("/c/cachedpgBb");
    const second = await get("/c/cachedpgBb");
    expect(first.status).toBe(200);
    expect(second.body).toBe(first.body);
    expect(second.type).toBe(first.type);
    expect(second.headers.get("content-security-policy")).toContain("default-src 'self'");
    expect(second.headers.get("x-frame-options")).toBe("DENY");
    // A client claiming HTTPS in front of the plain-HTTP server still gets the page, rendered and kept.
    await finished("cachedpgFw");
    for (let n = 0; n < 2; n++) {
      const forwarded = await get("/c/cachedpgFw", { "x-forwarded-proto": "https" });
      expect(forwarded.status).toBe(200);
      expect(forwarded.body).toContain("example:hello");
    }
    const json = await get("/api/comparisons/cachedpgBb");
    expect((JSON.parse((await get("/api/comparisons/cachedpgBb")).body) as { id: string }).id).toBe("cachedpgBb");
    expect(json.type).toContain("application/json");
  });

  it("names the origin each reader used (og:image), not the first one's", async () => {
    await finished("cachedpgBc");
    const a = await get("/c/cachedpgBc", { "x-forwarded-host": "a.example" });
    const b = await get("/c/cachedpgBc", { "x-forwarded-host": "b.example" });
    expect(a.body).toContain("http://a.example/c/cachedpgBc/opengraph-image");
    expect(b.body).toContain("http://b.example/c/cachedpgBc/opengraph-image");
    expect(b.body).not.toContain("a.example");
  });

  it("is gone as soon as it is deleted, through the API or the database", async () => {
    await finished("cachedpgBd");
    await finished("cachedpgBe");
    for (const id of ["cachedpgBd", "cachedpgBe"]) {
      expect((await get(`/c/${id}`)).status).toBe(200);
      expect((await get(`/api/comparisons/${id}`)).status).toBe(200);
    }
    const admin = { authorization: `Bearer ${ADMIN}` };
    expect((await fetch(`${app.url}/api/comparisons/cachedpgBd`, { method: "DELETE", headers: admin })).status).toBe(204);
    await app.testDb.db.comparison.delete({ where: { id: "cachedpgBe" } });
    for (const id of ["cachedpgBd", "cachedpgBe"]) {
      expect((await get(`/c/${id}`)).status).toBe(404);
      expect((await get(`/api/comparisons/${id}`)).status).toBe(404);
    }
  });
});

describe("a running comparison", () => {
  it("is rendered afresh until it has finished", async () => {
    await app.testDb.db.comparison.create({ data: { id: "cachedpgBf", repo: "example:hello", status: "running", startedAt: new Date() } });
    const running = await get("/c/cachedpgBf");
    expect(running.body).toMatch(/data-testid="status"[^>]*>running</);
    await app.testDb.db.comparison.update({ where: { id: "cachedpgBf" }, data: { status: "succeeded", finishedAt: minuteAgo() } });
    const done = await get("/c/cachedpgBf");
    expect(done.body).toMatch(/data-testid="status"[^>]*>succeeded</);
    const json = JSON.parse((await get("/api/comparisons/cachedpgBf")).body) as { status: string };
    expect(json.status).toBe("succeeded");
  });
});

describe("the home page", () => {
  it("lists a new submission and a change of state at once", async () => {
    const before = await get("/");
    expect((await get("/")).status).toBe(200);
    const created = (await (
      await fetch(`${app.url}/api/comparisons`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"repo": "example:hello"}' })
    ).json()) as { id: string };
    expect(before.body).not.toContain(created.id);
    expect((await get("/")).body).toContain(created.id);
    await app.testDb.db.comparison.update({ where: { id: created.id }, data: { status: "canceled", finishedAt: new Date() } });
    expect((await get("/")).body).toMatch(new RegExp(`${created.id}[\\s\\S]*?badge-canceled`));
  });
});
