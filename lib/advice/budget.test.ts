import { describe, expect, it } from "vitest";
import type { AdviceStepView } from "./types";
import { adviceForBudget } from "./budget";

const step = (key: string, role: AdviceStepView["role"], status: AdviceStepView["status"], sizeBytes: number): AdviceStepView => ({
  key, role, title: key, why: "", status, reason: null, sizeBytes, compressedBytes: Math.round(sizeBytes / 2), buildSeconds: 1,
  startMs: null, memoryBytes: null, dockerfile: null, patch: `patch ${key}`, command: null, diagnosis: null, runOutput: null,
});
const steps = [
  step("single", "start", "works", 1000),
  step("multistage", "chain", "works", 100),
  step("no-zoneinfo", "alternative", "breaks", 40),
  step("strip", "chain", "works", 60),
  step("upx", "chain", "works", 20),
];

describe("adviceForBudget", () => {
  it.each<[string, number, "disk" | "compressed", string[], boolean]>([
    ["the first steps that bring it under", 70, "disk", ["multistage", "strip"], true],
    ["compressed sizes when the budget is compressed", 30, "compressed", ["multistage", "strip"], true],
    ["every step, and not enough", 10, "disk", ["multistage", "strip", "upx"], false],
  ])("%s", (_name, limit, size, keys, fits) => {
    const answer = adviceForBudget({ id: "abc", status: "done", steps }, limit, size)!;
    expect(answer.steps.map((s) => s.key)).toEqual(keys);
    expect(answer.fits).toBe(fits);
    expect(answer.url).toBe("/c/abc/smaller");
  });

  it("nothing while the advice is not done", () => {
    expect(adviceForBudget({ id: "abc", status: "running", steps }, 70, "disk")).toBeNull();
  });
});
