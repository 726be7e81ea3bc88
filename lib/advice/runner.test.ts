// When the advice runs and when it does not, decided before any build (so no engine is
// asked: the engine given here throws if it is): the server's setting, the submission's,
// a comparison that did not succeed, one that reused an earlier build's results, and a
// comparison with nothing proven to start from. And the setting as the configuration reads it.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "@/lib/config";
import type { Db } from "@/lib/db";
import type { Engine } from "@/lib/engine/engine";
import { createTestDb, type TestDb } from "@/lib/testing/test-db";
import { getAdvice } from "./read";
import { adviceSettings, medianMemory, runAdvice } from "./runner";

const noEngine = new Proxy({} as Engine, {
  get: (_target, name) => () => {
    throw new Error(`the engine was asked (${String(name)}) before any build`);
  },
});

let testDb: TestDb;
let db: Db;
beforeAll(async () => {
  testDb = await createTestDb();
  db = testDb.db;
});
afterAll(async () => {
  await testDb?.dispose();
});
beforeEach(async () => {
  await db.comparison.deleteMany();
});

const run = (id: string, enabled = true) =>
  runAdvice(id, { db, engine: noEngine, resolveSource: () => Promise.reject(new Error("no source")), advice: { enabled, upx: true } });

describe("runAdvice, before any build", () => {
  it.each<[string, { status: string; adviceStatus?: string | null }, boolean, string | null, RegExp | null]>([
    ["off on this server", { status: "succeeded" }, false, "off", /SLIMSTAGE_ADVICE=off/],
    ["off for this submission: left as it is", { status: "succeeded", adviceStatus: "off" }, true, "off", null],
    ["a comparison that failed", { status: "failed" }, true, "skipped", /did not succeed/],
    ["made before advice existed: left alone", { status: "succeeded", adviceStatus: null }, true, null, null],
    ["nothing proven to start from (no single-stage image)", { status: "succeeded" }, true, "skipped", /single-stage image/],
  ])("%s", async (_name, row, enabled, status, error) => {
    await db.comparison.create({ data: { id: "c1", repo: "example:hello", ...row } });
    await run("c1", enabled);
    const advice = (await getAdvice(db, "c1"))!;
    expect(advice.status).toBe(status);
    if (error) expect(advice.error).toMatch(error);
    expect(advice.steps).toEqual([]);
  });

  it("a comparison that reused an earlier build shows the earlier one's advice", async () => {
    await db.comparison.create({ data: { id: "early", repo: "example:hello", status: "succeeded", adviceStatus: "done" } });
    await db.comparison.create({ data: { id: "late", repo: "example:hello", status: "succeeded", reusedFrom: "early" } });
    await run("late");
    expect(await db.comparison.findUniqueOrThrow({ where: { id: "late" }, select: { adviceStatus: true } })).toEqual({ adviceStatus: "skipped" });
    expect(await getAdvice(db, "late")).toMatchObject({ id: "late", status: "done" });
  });
});

describe("the settings", () => {
  it.each([
    [{}, { enabled: true, upx: true, upxNetwork: undefined }],
    [{ SLIMSTAGE_ADVICE: "off" }, { enabled: false, upx: true }],
    [{ SLIMSTAGE_ADVICE_UPX: "off", SLIMSTAGE_BASE_PROFILE: "offline" }, { enabled: true, upx: false, upxNetwork: "host" }],
  ])("%j", (env, expected) => {
    expect(adviceSettings(loadConfig(env, "/srv/slimstage"))).toMatchObject(expected);
  });

  it("a bad value stops the process, naming the variable", () => {
    expect(() => loadConfig({ SLIMSTAGE_ADVICE: "maybe" }, "/srv/slimstage")).toThrow(ConfigError);
    expect(() => loadConfig({ SLIMSTAGE_ADVICE: "maybe" }, "/srv/slimstage")).toThrow(/SLIMSTAGE_ADVICE must be one of on, off/);
  });
});

describe("medianMemory", () => {
  const peak = (bytes: number) => ({ bytes, reason: null });
  const lost = { bytes: null, reason: "the engine did not run the container in the cgroup made for it" };
  it.each([
    ["three measured runs: their median", [peak(5), peak(9), peak(7)], { bytes: 7, reason: null }],
    ["one run's cgroup lost: the median of the others", [peak(5), lost, peak(9)], { bytes: 9, reason: null }],
    ["none measured: why", [lost, undefined, lost], { bytes: null, reason: lost.reason }],
    ["no figure and no reason", [undefined, undefined], { bytes: null, reason: "the engine did not report it" }],
  ])("%s", (_name, peaks, expected) => {
    expect(medianMemory(peaks)).toEqual(expected);
  });
});
