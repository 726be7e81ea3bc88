import { describe, expect, it } from "vitest";
import { planVariants } from "./plan";
import type { BuildPlan } from "./generate";

const bases = { golang: { "1.23": "go:1.23" }, alpine: "alpine:3.20", static: "static:1" };
const plan = (tzdata: boolean): BuildPlan => ({
  builderImage: "go:1.23",
  mainPackage: ".",
  hasGoSum: false,
  needs: { tzdata, caRoots: false, cgo: false },
});

describe("planVariants", () => {
  it.each([
    ["the walking skeleton's two variants", ["single", "scratch"], false, ["single", "scratch"]],
    ["a naive twin for each slim variant that needs fixes", ["single", "alpine", "scratch", "distroless"], true, ["single", "alpine", "alpine-naive", "scratch", "scratch-naive", "distroless"]],
    ["no twins when nothing is needed", ["scratch", "distroless"], false, ["scratch", "distroless"]],
    ["the table's order whatever the request's", ["distroless", "single"], false, ["single", "distroless"]],
  ] as const)("%s", (_name, keys, tzdata, expected) => {
    expect(planVariants([...keys], plan(tzdata), bases).map((v) => v.key)).toEqual(expected);
  });

  it("names the base images each variant needs", () => {
    const planned = planVariants(["single", "scratch", "distroless"], plan(false), bases);
    expect(planned.map((v) => [v.key, v.baseImages, v.runtimeImage])).toEqual([
      ["single", ["go:1.23"], "go:1.23"],
      ["scratch", ["go:1.23"], null],
      ["distroless", ["go:1.23", "static:1"], "static:1"],
    ]);
  });
});
