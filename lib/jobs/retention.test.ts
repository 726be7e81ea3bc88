import { describe, expect, it } from "vitest";
import { imagesToRemove, type ImageRef } from "@/lib/jobs/retention";

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute));
const ref = (comparisonId: string, minute: number, imageId: string): ImageRef => ({ comparisonId, createdAt: at(minute), imageId });

describe("imagesToRemove", () => {
  it.each([
    ["nothing when all are kept", [ref("a", 1, "i1"), ref("b", 2, "i2")], 2, []],
    ["the oldest comparison's images beyond keep", [ref("a", 1, "i1"), ref("a", 1, "i2"), ref("b", 2, "i3")], 1, ["i1", "i2"]],
    ["not an image a kept comparison shares", [ref("a", 1, "shared"), ref("a", 1, "old"), ref("b", 2, "shared")], 1, ["old"]],
    ["everything when keep is 0", [ref("a", 1, "i1"), ref("b", 2, "i1")], 0, ["i1"]],
  ])("%s", (_name, refs, keep, expected) => {
    expect(imagesToRemove(refs, keep).sort()).toEqual([...expected].sort());
  });
});
