import { describe, expect, it } from "vitest";
import { isSharedCause } from "@/lib/comparisons/shared-cause";
import { classifyOutcome, fullerReasons } from "./outcome";

const v = (key: string, status: string, reason: string | null = null) => ({ key, status, reason });
const toolchain = "go: go.mod requires go >= 1.25.0 (running go 1.23.5; GOTOOLCHAIN=local)";

describe("classifyOutcome", () => {
  it.each([
    ["one built", [v("single", "built"), v("scratch", "failed", "x")], { status: "succeeded" }],
    ["all built", [v("single", "built"), v("scratch", "built")], { status: "succeeded" }],
    [
      "all failed, one cause",
      [v("single", "failed", `${toolchain}\n`), v("scratch", "failed", toolchain)],
      { status: "failed", error: { code: "NOTHING_BUILT", message: `Nothing was built: every variant stopped for the same reason. ${toolchain}` } },
    ],
    [
      "all failed, causes differ",
      [v("single", "failed", "a"), v("scratch", "skipped", "b")],
      { status: "failed", error: { code: "NOTHING_BUILT", message: "Nothing was built: all 2 variants failed or were skipped; each one below says why." } },
    ],
    [
      "none planned",
      [],
      { status: "failed", error: { code: "NOTHING_BUILT", message: "Nothing was built: no variant was planned for this source." } },
    ],
  ])("%s", (_name, variants, expected) => {
    expect(classifyOutcome(variants)).toEqual(expected);
  });

  it("knows the shared cause on each card", () => {
    const outcome = classifyOutcome([v("single", "failed", toolchain), v("scratch", "failed", toolchain)]);
    const error = outcome.status === "failed" ? outcome.error : undefined;
    expect(isSharedCause(toolchain, error)).toBe(true);
    expect(isSharedCause("something else", error)).toBe(false);
    expect(isSharedCause(toolchain, { code: "CLONE_FAILED", message: toolchain })).toBe(false);
  });
});

describe("fullerReasons", () => {
  const executor = 'executor failed running [/bin/sh -c go build -trimpath -ldflags="-s -w" -o /out/app .]: exit code: 1';
  const compiler = `./main.go:6:14: undefined: notDefined\n${executor}`;
  it.each([
    ["the build that did not show the shared step's output gets the one that did", [["single", "failed", compiler], ["scratch", "failed", executor]], { scratch: compiler }],
    ["nothing to fill in when every reason is whole", [["single", "failed", compiler], ["scratch", "failed", compiler]], {}],
    ["different causes stay different", [["single", "failed", "base image missing"], ["scratch", "failed", executor]], {}],
    ["a built or skipped variant lends nothing", [["single", "skipped", compiler], ["scratch", "failed", executor]], {}],
  ] as const)("%s", (_, rows, expected) => {
    const variants = rows.map(([key, status, reason]) => ({ key, status, reason }));
    expect(Object.fromEntries(fullerReasons(variants))).toEqual(expected);
  });
});
