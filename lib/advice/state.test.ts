// The advice's writes and reads on each dialect the machine has: only one claim of a
// queued advice, steps recorded, changed, added and their leads replaced, the end with its
// figures, a cancel by the owner, a worker's interrupted advice failed at its restart, and a reused comparison
// showing the advice of the one it reused.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "@/lib/db";
import { createTestDb, dialects, type TestDb } from "@/lib/testing/test-db";
import { addSteps, changeStep, failInterruptedAdvice, finishAdvice, recordSteps, replaceLeads, requestAdviceCancel, setAdvicePhase, startAdvice } from "./state";
import { getAdvice } from "./read";

describe.each(dialects())("advice state on %s", (dialect) => {
  let testDb: TestDb;
  let db: Db;

  beforeAll(async () => {
    testDb = await createTestDb({ dialect });
    db = testDb.db;
  }, 60_000);
  afterAll(async () => {
    await testDb?.dispose();
  });
  beforeEach(async () => {
    await db.comparison.deleteMany();
  });

  const seed = (id: string, extra: { status?: string; adviceStatus?: string | null; engineId?: string; reusedFrom?: string } = {}) =>
    db.comparison.create({ data: { id, repo: "example:hello", status: "succeeded", ...extra } });

  it("a new comparison's advice is queued; it is claimed once, and only when the comparison succeeded", async () => {
    await seed("a");
    await seed("b", { status: "running" });
    expect((await db.comparison.findUniqueOrThrow({ where: { id: "a" } })).adviceStatus).toBe("queued");
    expect(await Promise.all([startAdvice(db, "a"), startAdvice(db, "a")])).toEqual(expect.arrayContaining([true, false]));
    expect(await startAdvice(db, "b")).toBe(false);
    await setAdvicePhase(db, "a", "building 3 candidates");
    expect(await getAdvice(db, "a")).toMatchObject({ status: "running", phase: "building 3 candidates" });
  });

  it("steps are recorded in order, changed, added after, and the leads replaced", async () => {
    await seed("a", { adviceStatus: "running" });
    await recordSteps(db, "a", [
      { key: "single", role: "start", title: "Single", why: "", status: "works", sizeBytes: 700e6 },
      { key: "strip", role: "chain", title: "Strip", why: "w", status: "planned" },
      { key: "lead-module:x", role: "lead", title: "x", why: "", status: "lead", sizeBytes: 5 },
    ]);
    await changeStep(db, "a", "strip", { status: "breaks", sizeBytes: 1_234_567, compressedBytes: 600_000, diagnosis: { code: "MISSING_ZONEINFO", message: "m", fix: "f" }, runOutput: "\u001b[31mred\u001b[0m" });
    await addSteps(db, "a", [{ key: "repo-flags", role: "repo", title: "Flags", why: "", status: "works", patch: "--- a/Dockerfile\n" }]);
    await replaceLeads(db, "a", [{ key: "lead-package:fmt", role: "lead", title: "fmt", why: "", status: "lead", sizeBytes: 9, reason: "Imported by: main → fmt" }]);
    await finishAdvice(db, "a", "done", { summary: { limitBytes: 10, limitWhat: "binary", adviceSeconds: 2, comparisonSeconds: 4, buildSeconds: 1 } });
    const advice = (await getAdvice(db, "a"))!;
    expect(advice).toMatchObject({ status: "done", phase: null, error: null, summary: { limitBytes: 10 } });
    expect(advice.steps.map((s) => s.key)).toEqual(["single", "strip", "repo-flags", "lead-package:fmt"]);
    expect(advice.steps[1]).toMatchObject({ status: "breaks", sizeBytes: 1_234_567, compressedBytes: 600_000, diagnosis: { code: "MISSING_ZONEINFO" }, runOutput: "red" });
    expect(advice.steps[3].reason).toBe("Imported by: main → fmt");
  });

  it("advice a stopped worker left running on its engine fails at its restart; others' stay", async () => {
    await seed("mine", { adviceStatus: "running", engineId: "e1" });
    await seed("theirs", { adviceStatus: "running", engineId: "e2" });
    expect(await failInterruptedAdvice(db, "e1")).toBe(1);
    expect(await getAdvice(db, "mine")).toMatchObject({ status: "failed", error: expect.stringContaining("stopped") });
    expect(await getAdvice(db, "theirs")).toMatchObject({ status: "running" });
  });

  it("a cancel: queued advice ends at once, running advice gets a request; a canceled or failed one leaves no step planned or building", async () => {
    await seed("q", { adviceStatus: "queued" });
    await seed("r", { adviceStatus: "running" });
    await seed("d", { adviceStatus: "done" });
    await seed("x", { status: "running" });
    expect(await requestAdviceCancel(db, "q")).toBe("canceled");
    expect(await startAdvice(db, "q")).toBe(false);
    expect(await getAdvice(db, "q")).toMatchObject({ comparisonStatus: "succeeded", status: "canceled", error: expect.stringContaining("canceled") });
    expect(await requestAdviceCancel(db, "r")).toBe("running");
    expect(await db.comparison.findUniqueOrThrow({ where: { id: "r" } })).toMatchObject({ status: "succeeded", adviceStatus: "running", cancelRequested: true });
    expect(await requestAdviceCancel(db, "d")).toBeNull();
    expect(await requestAdviceCancel(db, "x")).toBeNull();

    await recordSteps(db, "r", [
      { key: "single", role: "start", title: "Single", why: "", status: "works", sizeBytes: 9 },
      { key: "strip", role: "chain", title: "Strip", why: "", status: "building" },
      { key: "upx", role: "chain", title: "UPX", why: "", status: "planned" },
    ]);
    await finishAdvice(db, "r", "canceled", { error: "canceled" });
    const steps = (await getAdvice(db, "r"))!.steps;
    expect(steps.map((s) => [s.key, s.status])).toEqual([["single", "works"], ["strip", "not-tried"], ["upx", "not-tried"]]);
    expect(steps[1].reason).toContain("canceled");
  });

  it("a comparison that reused an earlier one shows that one's advice", async () => {
    await seed("early", { adviceStatus: "running" });
    await recordSteps(db, "early", [{ key: "single", role: "start", title: "Single", why: "", status: "works", sizeBytes: 9 }]);
    await finishAdvice(db, "early", "done");
    await seed("late", { reusedFrom: "early", adviceStatus: "skipped" });
    expect(await getAdvice(db, "late")).toMatchObject({ id: "late", status: "done", steps: [{ key: "single" }] });
    expect(await getAdvice(db, "nope")).toBeNull();
  });
});
