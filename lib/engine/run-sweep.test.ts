import { describe, expect, it } from "vitest";
import { LABEL_APP, LABEL_COMPARISON, LABEL_EXPIRES, LABEL_OWNER, LABEL_ROLE } from "./engine";
import { isLeftBehind, RUN_CHECK_GRACE_SECONDS, runCheckLabels } from "./run-sweep";

const NOW = 1_800_000_000;
const app = { [LABEL_APP]: "slimstage", [LABEL_COMPARISON]: "c1" };
const check = (nowSeconds: number, owner?: string) => ({ ...app, ...runCheckLabels(nowSeconds, 10, owner) });

describe("runCheckLabels", () => {
  it("says run check, until when, and whose", () => {
    expect(runCheckLabels(NOW, 10, "w1")).toEqual({
      [LABEL_ROLE]: "run-check",
      [LABEL_EXPIRES]: String(NOW + 10 + RUN_CHECK_GRACE_SECONDS),
      [LABEL_OWNER]: "w1",
    });
    expect(runCheckLabels(NOW, 10)).not.toHaveProperty(LABEL_OWNER);
  });
});

describe("isLeftBehind", () => {
  const cases: Array<{ name: string; labels: Record<string, string>; state: string; owner?: string; expected: boolean }> = [
    { name: "any run check, when the engine has one worker", labels: check(NOW), state: "running", expected: true },
    { name: "a run check that never started", labels: check(NOW), state: "created", expected: true },
    { name: "this worker's own, still in its time", labels: check(NOW, "w1"), state: "running", owner: "w1", expected: true },
    { name: "another worker's, still in its time", labels: check(NOW, "w2"), state: "running", owner: "w1", expected: false },
    { name: "another worker's, past its time", labels: check(NOW - 10 - RUN_CHECK_GRACE_SECONDS - 1, "w2"), state: "running", owner: "w1", expected: true },
    { name: "one without a deadline, with an owner asking", labels: { ...app, [LABEL_ROLE]: "run-check" }, state: "exited", owner: "w1", expected: true },
    { name: "a run check from before roles, running", labels: app, state: "running", expected: true },
    { name: "a build's LABEL step container (created, no role)", labels: app, state: "created", expected: false },
    { name: "another role", labels: { ...app, [LABEL_ROLE]: "registry" }, state: "running", expected: false },
    { name: "not the app's", labels: { [LABEL_APP]: "other", [LABEL_ROLE]: "run-check" }, state: "running", expected: false },
    { name: "no labels at all", labels: {}, state: "running", expected: false },
  ];
  it.each(cases)("$name", ({ labels, state, owner, expected }) => {
    expect(isLeftBehind({ labels, state }, NOW, owner)).toBe(expected);
  });
});
