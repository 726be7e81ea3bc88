import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { unifiedDiff } from "./diff";

const lines = (n: number, change?: Record<number, string>) =>
  Array.from({ length: n }, (_, i) => change?.[i + 1] ?? `line ${i + 1}`).join("\n") + "\n";

describe("unifiedDiff", () => {
  it.each([
    ["no change: empty", lines(5), lines(5), ""],
    ["one line changed", "a\nb\nc\n", "a\nB\nc\n", "--- a/Dockerfile\n+++ b/Dockerfile\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"],
    ["a line added at the end", "a\n", "a\nb\n", "--- a/Dockerfile\n+++ b/Dockerfile\n@@ -1 +1,2 @@\n a\n+b\n"],
    ["a line removed", "a\nb\n", "a\n", "--- a/Dockerfile\n+++ b/Dockerfile\n@@ -1,2 +1 @@\n a\n-b\n"],
  ])("%s", (_name, before, after, expected) => {
    expect(unifiedDiff(before, after)).toBe(expected);
  });

  it("changes far apart make two hunks", () => {
    const patch = unifiedDiff(lines(30), lines(30, { 2: "two", 28: "twenty-eight" }));
    expect(patch.match(/^@@/gm)).toHaveLength(2);
  });

  it.each([
    ["close changes", lines(20), lines(21, { 3: "x", 9: "y", 21: "new" })],
    ["far changes", lines(40), lines(38, { 1: "first", 20: "mid" })],
    ["from nothing", "", "a\nb\n"],
  ])("patch(1) applies it: %s", (_name, before, after) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "slimstage-diff-"));
    writeFileSync(path.join(dir, "Dockerfile"), before);
    execFileSync("patch", ["-p1", "-s", "-d", dir], { input: unifiedDiff(before, after) });
    expect(execFileSync("cat", [path.join(dir, "Dockerfile")]).toString()).toBe(after);
  });
});
