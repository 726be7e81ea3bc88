import { describe, expect, it } from "vitest";
import type { BaseImages } from "@/lib/config";
import type { Analysis } from "@/lib/source/analyze";
import { planComparison, type PlanInput } from "./plan-comparison";

const bases: BaseImages = { golang: { "1.25": "golang:1.25" }, alpine: "alpine:3.22", static: "static:x" };
const analysis = (overrides: Partial<Analysis> = {}): Analysis => ({
  module: "example.com/app/v2",
  goVersion: "1.25.0",
  toolchain: null,
  mainPackages: ["./cmd/app"],
  needs: { tzdata: false, caRoots: false, cgo: false },
  embedsTzdata: false,
  embedsFiles: false,
  vendored: false,
  thirdParty: [],
  ...overrides,
});
const input = (overrides: Partial<PlanInput> = {}): PlanInput => ({
  analysis: analysis(),
  requestedMainPackage: null,
  variantKeys: null,
  bases,
  builder: { image: "golang:1.25" },
  engineBuilder: "buildkit",
  hasGoSum: true,
  ...overrides,
});
const keys = (i: PlanInput) => planComparison(i).jobs.map((job) => job.key);

describe("planComparison", () => {
  it.each([
    ["every variant by default", input(), ["single", "alpine", "scratch", "distroless"], true],
    ["the ones asked for", input({ variantKeys: '["single","scratch"]' }), ["single", "scratch"], false],
    ["naive twins when fixes are needed", input({ variantKeys: '["scratch"]', analysis: analysis({ needs: { tzdata: true, caRoots: false, cgo: false } }) }), ["scratch", "scratch-naive"], false],
    ["repo alone: no generated job, repo wanted", input({ variantKeys: '["repo"]' }), [], true],
    ["unreadable keys: everything", input({ variantKeys: "{" }), ["single", "alpine", "scratch", "distroless"], true],
  ])("%s", (_name, i, expected, wantsRepo) => {
    expect(keys(i)).toEqual(expected);
    expect(planComparison(i).wantsRepo).toBe(wantsRepo);
  });

  it.each([
    ["the only main package", input(), "./cmd/app", []],
    ["a builder note", input({ builder: { image: "golang:1.25", note: "built on 1.25" } }), "./cmd/app", ["built on 1.25"]],
    [
      "cgo says what it costs",
      input({ analysis: analysis({ needs: { tzdata: false, caRoots: false, cgo: true } }) }),
      "./cmd/app",
      [expect.stringContaining("uses cgo")],
    ],
  ])("notes: %s", (_name, i, mainPackage, notes) => {
    const plan = planComparison(i);
    expect(plan.mainPackage).toBe(mainPackage);
    expect(plan.notes).toEqual(notes);
  });

  it("builds with the caches named and shows the Dockerfile without the names", () => {
    const [single] = planComparison(input({ variantKeys: '["single"]', cacheScope: "abc" })).jobs;
    expect(single.dockerfile).toContain("--mount=type=cache,target=/go/pkg/mod,id=slimstage-abc-gomod");
    expect(single.dockerfile).toContain("--mount=type=cache,target=/root/.cache/go-build,id=slimstage-abc-gobuild");
    expect(single.displayDockerfile).toContain("--mount=type=cache,target=/go/pkg/mod ");
    expect(single.displayDockerfile).not.toContain("slimstage-abc");
  });

  it("plans classic-compatible Dockerfiles for an engine without BuildKit", () => {
    const [single] = planComparison(input({ variantKeys: '["single"]', engineBuilder: "classic", cacheScope: "abc" })).jobs;
    expect(single.dockerfile).not.toContain("--mount");
    expect(single.dockerfile).toBe(single.displayDockerfile);
  });

  it("asks for a main package when there are several", () => {
    expect(() => planComparison(input({ analysis: analysis({ mainPackages: ["./cmd/a", "./cmd/b"] }) }))).toThrow(/cmd\/a/);
  });
});
