import { describe, expect, it } from "vitest";
import { enginesToTakeOver, type ForeignEngine } from "./engine-takeover";

describe("enginesToTakeOver", () => {
  const here = new Set(["a", "b", "c"]);
  it.each<[string, ForeignEngine, boolean]>([
    ["all its images are here, no worker serves it", { engineId: "old", served: false, imageIds: ["a", "b"] }, true],
    ["half of them are here (retention removed the rest)", { engineId: "old", served: false, imageIds: ["a", "x"] }, true],
    ["fewer than half are here", { engineId: "old", served: false, imageIds: ["a", "x", "y"] }, false],
    ["a live worker serves it", { engineId: "old", served: true, imageIds: ["a", "b"] }, false],
    ["it recorded no image", { engineId: "old", served: false, imageIds: [] }, false],
    ["none of its images is here (another machine's engine)", { engineId: "old", served: false, imageIds: ["x", "y"] }, false],
  ])("%s", (_, engine, expected) => {
    expect(enginesToTakeOver([engine], here)).toEqual(expected ? ["old"] : []);
  });
});
