// How changes read on the compare page.
import { describe, expect, it } from "vitest";
import { directionOf, formatByteDelta, formatPercentDelta, formatVersionChange } from "@/lib/views/compare-format";

describe("compare formats", () => {
  it.each<[number | null, string]>([
    [500_000, "+500 KB"],
    [-1_234_567, "−1.2 MB"],
    [0, "±0"],
    [12, "+12 B"],
    [null, "—"],
  ])("bytes %s -> %s", (delta, text) => {
    expect(formatByteDelta(delta)).toBe(text);
  });

  it.each<[number | null, string]>([
    [50, "+50%"],
    [-3.54, "−3.5%"],
    [0.04, "+<0.1%"],
    [0, "±0%"],
    [123.4, "+123%"],
    [null, ""],
  ])("percent %s -> %s", (percent, text) => {
    expect(formatPercentDelta(percent)).toBe(text);
  });

  it.each<[string | null, string | null, string]>([
    ["v1.0.0", "v1.1.0", "v1.0.0 → v1.1.0"],
    ["v1.0.0", "v1.0.0", "v1.0.0"],
    [null, "v2.0.0", "v2.0.0"],
    ["v0.1.0", null, "v0.1.0"],
    [null, null, ""],
  ])("version %s, %s", (before, after, text) => {
    expect(formatVersionChange(before, after)).toBe(text);
  });

  it("bigger is up", () => {
    expect([directionOf(3), directionOf(-3), directionOf(0), directionOf(null)]).toEqual(["up", "down", "same", "same"]);
  });
});
