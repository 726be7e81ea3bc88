import { describe, expect, it } from "vitest";
import type { BaseImages } from "@/lib/config";
import type { ComparisonView, VariantView } from "@/lib/comparisons/types";
import { planVariants } from "@/lib/dockerfiles/plan";
import type { BuildPlan, Needs } from "@/lib/dockerfiles/generate";
import { goBuildCommand, planAdvice, recoverBuildPlan, renderCandidate, type CandidateState } from "./candidates";
import { unifiedDiff } from "./diff";

const bases: BaseImages = { golang: { "1.23": "golang:1.23" }, alpine: "alpine:3.22", static: "static:x" };
const NONE: Needs = { tzdata: false, caRoots: false, cgo: false };
const TZ: Needs = { tzdata: true, caRoots: false, cgo: false };

const buildPlan = (needs: Needs, overrides: Partial<BuildPlan> = {}): BuildPlan => ({
  builderImage: "golang:1.23",
  mainPackage: ".",
  hasGoSum: false,
  needs,
  builder: "buildkit",
  ...overrides,
});

type Outcome = { size: number; verdict?: "works" | "fails" | "same"; status?: VariantView["status"] };

/** A succeeded comparison whose variants were generated for `plan`, with the given outcomes by key. */
function comparison(plan: BuildPlan, outcomes: Record<string, Outcome>): ComparisonView {
  const variants: VariantView[] = planVariants(["single", "alpine", "scratch", "distroless"], plan, bases).map((v) => {
    const outcome = outcomes[v.key] ?? { size: 0, status: "skipped" as const };
    return {
      key: v.key,
      naive: v.naive,
      status: outcome.status ?? "built",
      dockerfile: v.dockerfile,
      baseImages: v.baseImages,
      imageId: outcome.status === "skipped" ? null : `sha256:${v.key}`,
      sizeBytes: outcome.status === "skipped" ? null : outcome.size,
      compressedBytes: null,
      buildSeconds: 1,
      buildLog: "",
      layers: [],
      runCheck: outcome.verdict ? { verdict: outcome.verdict, exitCode: 0, output: "" } : null,
    };
  });
  return {
    id: "abc",
    status: "succeeded",
    phase: null,
    repo: "example:x",
    ref: null,
    commit: null,
    subdir: null,
    mainPackage: plan.mainPackage,
    mainPackages: [plan.mainPackage],
    module: "example.com/x",
    goVersion: "1.23",
    needs: plan.needs,
    notes: [],
    reusedFrom: null,
    createdAt: "",
    finishedAt: null,
    variants,
  };
}

const hello = comparison(buildPlan(NONE), {
  single: { size: 700e6, verdict: "works" },
  scratch: { size: 1.5e6, verdict: "works" },
  distroless: { size: 3e6, verdict: "works" },
});
const loadlocation = comparison(buildPlan(TZ), {
  single: { size: 700e6, verdict: "works" },
  scratch: { size: 2.8e6, verdict: "works" },
  "scratch-naive": { size: 1.5e6, verdict: "fails" },
  distroless: { size: 2.9e6, verdict: "works" },
});

describe("recoverBuildPlan", () => {
  it.each([
    ["buildkit, no go.sum", buildPlan(NONE)],
    ["classic, go.sum, cmd/ package", buildPlan(TZ, { builder: "classic", hasGoSum: true, mainPackage: "./cmd/app" })],
    ["vendored (no go.sum step to read)", buildPlan(NONE, { vendored: true })],
  ])("reads the plan back: %s", (_name, plan) => {
    const view = comparison(plan, { single: { size: 1, verdict: "works" } });
    const single = view.variants.find((v) => v.key === "single")!;
    expect(recoverBuildPlan(view, single)).toEqual({ ...plan, vendored: Boolean(plan.vendored) });
  });

  it("refuses a Dockerfile the generator no longer writes", () => {
    const single = { ...hello.variants[0], dockerfile: hello.variants[0].dockerfile.replace("WORKDIR /src", "WORKDIR /app") };
    expect(recoverBuildPlan(hello, single)).toBeNull();
  });
});

describe("planAdvice", () => {
  it.each([
    ["hello: flags, no time zone steps", hello, "scratch", ["multistage", "strip", "trimpath", "buildvcs", "netgo", "upx"]],
    ["loadlocation: embedded time zones, and the cut that breaks it", loadlocation, "scratch", ["multistage", "strip", "trimpath", "buildvcs", "netgo", "timetzdata", "no-zoneinfo", "upx"]],
    [
      "the smallest working base, not the smallest: scratch fails here",
      comparison(buildPlan(NONE), { single: { size: 9, verdict: "works" }, scratch: { size: 1, verdict: "fails" }, distroless: { size: 3, verdict: "works" } }),
      "distroless",
      ["multistage", "strip", "trimpath", "buildvcs", "netgo", "upx"],
    ],
  ])("%s", (_name, view, base, keys) => {
    const planned = planAdvice(view, { upx: true });
    expect(planned.ok).toBe(true);
    if (!planned.ok) return;
    expect(planned.advice.baseVariant.key).toBe(base);
    expect(planned.advice.changes.map((c) => c.key)).toEqual(keys);
    expect(planned.advice.changes.find((c) => c.key === "no-zoneinfo")?.role ?? "alternative").toBe("alternative");
  });

  it.each([
    ["a failed comparison", { ...hello, status: "failed" as const }, "did not succeed"],
    ["no working single-stage image", comparison(buildPlan(NONE), { single: { size: 9, verdict: "fails" }, scratch: { size: 1, verdict: "works" } }), "itself does not run"],
    ["no working slim variant", comparison(buildPlan(NONE), { single: { size: 9, verdict: "works" }, scratch: { size: 1, verdict: "fails" } }), "no multi-stage variant (scratch) works"],
  ])("none for %s", (_name, view, reason) => {
    const planned = planAdvice(view, { upx: true });
    expect(planned).toMatchObject({ ok: false, reason: expect.stringContaining(reason) });
  });

  it("says why UPX is not tried when it is off", () => {
    const planned = planAdvice(hello, { upx: false, upxReason: "SLIMSTAGE_ADVICE_UPX=off" });
    expect(planned.ok && planned.advice.notTried).toEqual([{ key: "upx", title: "UPX-compressed binary", reason: "SLIMSTAGE_ADVICE_UPX=off" }]);
  });

  it("applies the chain cumulatively: the last state is stripped, trimmed, embedded and packed", () => {
    const planned = planAdvice(loadlocation, { upx: true });
    if (!planned.ok) throw new Error(planned.reason);
    const chain = planned.advice.changes.filter((c) => c.role === "chain");
    const last = chain.reduce((state, change) => change.apply(state), planned.advice.start);
    expect(last).toMatchObject({ ldflags: true, trimpath: true, noVcs: true, zoneinfo: false, upx: true, tags: ["netgo", "osusergo", "timetzdata"] });
    expect(goBuildCommand(planned.advice.plan, last)).toBe('CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -buildvcs=false -tags netgo,osusergo,timetzdata -o app .');
  });
});

describe("renderCandidate", () => {
  const plan = buildPlan(TZ);
  const start: CandidateState = { base: "scratch", runtimeImage: "scratch", ldflags: false, trimpath: false, noVcs: false, tags: [], zoneinfo: true, caRoots: false, upx: false };

  it.each<[string, Partial<CandidateState>, string[], string[]]>([
    ["plain go build with zoneinfo", {}, ["go build -o /out/app .", "COPY --from=builder /usr/share/zoneinfo /usr/share/zoneinfo", "COPY --from=builder /out/app /app"], ["-trimpath"]],
    ["the generator's flags", { ldflags: true, trimpath: true }, ['go build -trimpath -ldflags="-s -w" -o /out/app .'], []],
    ["embedded time zones", { tags: ["timetzdata"], zoneinfo: false }, ["go build -tags timetzdata -o /out/app ."], ["zoneinfo"]],
    ["UPX as a reader copies it", { upx: true }, ["FROM golang:1.23 AS upx", "apt-get install -y --no-install-recommends upx-ucl", "RUN upx -q --best --lzma /out/app", "COPY --from=upx /out/app /app"], []],
    ["on Alpine", { base: "alpine", runtimeImage: "alpine:3.22", caRoots: true }, ["FROM alpine:3.22", "RUN apk add --no-cache tzdata ca-certificates"], []],
    ["on the static base", { base: "distroless", runtimeImage: "static:x", zoneinfo: false }, ["FROM static:x", "USER 65532:65532"], ["zoneinfo"]],
  ])("%s", (_name, change, present, absent) => {
    const text = renderCandidate(plan, { ...start, ...change });
    for (const line of present) expect(text).toContain(line);
    for (const line of absent) expect(text).not.toContain(line);
  });

  it("builds with this source's caches and the UPX tool image, and shows neither", () => {
    const state = { ...start, upx: true };
    const built = renderCandidate(plan, state, { cacheScope: "s1", upxImage: "slimstage/upx:abc" });
    expect(built).toContain("id=slimstage-s1-gobuild");
    expect(built).toContain("FROM slimstage/upx:abc AS upx");
    expect(built).not.toContain("apt-get");
    const shown = renderCandidate(plan, state);
    expect(shown).not.toContain("slimstage-s1");
    expect(shown).not.toContain("slimstage/upx");
  });

  it("a step's patch is the one-line change", () => {
    const before = renderCandidate(plan, start);
    const after = renderCandidate(plan, { ...start, ldflags: true });
    const patch = unifiedDiff(before, after);
    expect(patch.split("\n").filter((l) => /^[-+][^-+]/.test(l))).toEqual([
      "-# Slimstage advice: the binary on scratch, plain go build, with zoneinfo",
      '+# Slimstage advice: the binary on scratch, built with -ldflags="-s -w", with zoneinfo',
      "-RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build go build -o /out/app .",
      '+RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build go build -ldflags="-s -w" -o /out/app .',
    ]);
  });
});
