// The logs of web and worker, read as an operator's log shipper reads them: every line
// is a JSON object with a level, the lines about a comparison or a variant say which, and
// no secret is in any of them — not the operator token, not the management tokens (in a
// Bearer header and in the owner cookie), not the credentials of a repository URL (one
// submitted, refused, and one that reached the worker as a row).
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isTerminal, type ComparisonView } from "@/lib/comparisons/types";
import { startAppServer, type AppServer } from "./app-server";

const secret = (prefix: string) => `${prefix}${randomBytes(12).toString("hex")}`;
const ADMIN = secret("operator-");
const SUBMITTED_PASSWORD = secret("ghp_");
const ROW_PASSWORD = secret("glpat-");
const LEVELS = ["trace", "debug", "info", "warn", "error", "fatal"];

let app: AppServer;
const tokens: string[] = [];
let output = "";
let built = "";
let credentialed = "";

const api = (path: string, init: RequestInit = {}) => fetch(`${app.url}${path}`, init);

async function submit(body: object): Promise<{ id: string; managementToken: string }> {
  const response = await api("/api/comparisons", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  expect(response.status, await response.clone().text()).toBe(201);
  const created = (await response.json()) as { id: string; managementToken: string };
  tokens.push(created.managementToken);
  return created;
}

async function finished(id: string): Promise<ComparisonView> {
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    const view = (await (await api(`/api/comparisons/${id}?t=${Date.now()}`)).json()) as ComparisonView;
    if (isTerminal(view.status)) return view;
    if (Date.now() > deadline) throw new Error(`comparison ${id} still ${view.status}:\n${app.output().slice(-3000)}`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

beforeAll(async () => {
  app = await startAppServer({ SLIMSTAGE_ADMIN_TOKEN: ADMIN, SLIMSTAGE_LOG_LEVEL: "debug", SLIMSTAGE_MAX_QUEUED_PER_CLIENT: "20" });

  // A comparison that builds, followed live, then deleted by its owner (Bearer).
  const first = await submit({ repo: "example:hello", variants: ["single", "scratch"] });
  built = first.id;
  const events = await api(`/api/comparisons/${first.id}/events`);
  await events.body?.cancel();
  expect((await finished(first.id)).status).toBe("succeeded");

  // A second one, canceled with the owner cookie, then deleted by the operator.
  const second = await submit({ repo: "example:hello", variants: ["single"] });
  await api(`/api/comparisons/${second.id}/cancel`, { method: "POST", headers: { cookie: `slimstage_owner_${second.id}=${second.managementToken}` } });
  await finished(second.id);
  const byOperator = await api(`/api/comparisons/${second.id}`, { method: "DELETE", headers: { authorization: `Bearer ${ADMIN}` } });
  expect(byOperator.status).toBe(204);
  const byOwner = await api(`/api/comparisons/${first.id}`, { method: "DELETE", headers: { authorization: `Bearer ${first.managementToken}` } });
  expect(byOwner.status).toBe(204);
  // Wrong tokens are refused, and not written down either.
  expect((await api(`/api/comparisons/${first.id}/cancel`, { method: "POST", headers: { authorization: `Bearer ${secret("wrong-")}` } })).status).toBeGreaterThanOrEqual(400);
  expect((await api("/api/health", { headers: { authorization: `Bearer ${ADMIN}` } })).status).toBe(200);

  // Credentials in a submitted URL: refused.
  const refused = await api("/api/comparisons", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ repo: `https://alice:${SUBMITTED_PASSWORD}@github.com/owner/name` }),
  });
  expect(refused.status).toBe(422);

  // Credentials in a row the worker claims (written by an older version, or by hand): it
  // logs the comparison, fails it, and says so without them.
  credentialed = `logs${randomBytes(3).toString("hex")}`;
  await app.testDb.db.comparison.create({
    data: { id: credentialed, repo: `https://bob:${ROW_PASSWORD}@127.0.0.1:9/owner/name.git`, variantKeys: JSON.stringify(["single"]), clientKey: "test" },
  });
  expect((await finished(credentialed)).status).toBe("failed");

  await app.stop();
  output = app.output();
}, 15 * 60_000);

afterAll(async () => {
  await app?.stop();
});

describe("logs", () => {
  it("carry no secret: operator token, management tokens, repository credentials", () => {
    expect(tokens).toHaveLength(2);
    for (const value of [ADMIN, ...tokens, SUBMITTED_PASSWORD, ROW_PASSWORD]) expect(output).not.toContain(value);
    expect(output).not.toMatch(/alice:|bob:/);
  });

  it("are JSON lines, each with a level, a role and a time", () => {
    const lines = output.split("\n").filter((line) => line.trim());
    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines) {
      let record: Record<string, unknown>;
      try {
        record = JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`not a JSON line: ${line}`);
      }
      expect(LEVELS, line).toContain(record.level);
      expect(["web", "worker"], line).toContain(record.role);
      expect(typeof record.time, line).toBe("string");
    }
  });

  it("name the comparison, the variant and the worker where they apply", () => {
    const records = output
      .split("\n")
      .filter((line) => line.trim())
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const worker = records.filter((record) => record.role === "worker");
    expect(worker.length).toBeGreaterThan(0);
    for (const record of worker) expect(record.workerId, JSON.stringify(record)).toEqual(expect.any(String));

    const variants = worker.filter((record) => record.msg === "variant built" && record.comparisonId === built);
    expect(variants.map((record) => record.variant).sort()).toEqual(["scratch", "single"]);
    for (const record of variants) expect(record.buildSeconds).toBeGreaterThan(0);

    const started = worker.find((record) => record.msg === "comparison started" && record.comparisonId === credentialed);
    expect(started?.repo).toBe("https://[redacted]@127.0.0.1:9/owner/name.git");
    const ended = worker.find((record) => record.msg === "comparison finished" && record.comparisonId === credentialed);
    expect(ended).toMatchObject({ level: "info", status: "failed", errorCode: expect.any(String) });
  });
});
