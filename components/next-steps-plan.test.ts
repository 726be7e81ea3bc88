import { describe, expect, it } from "vitest";
import type { ComparisonView, VariantView } from "@/lib/comparisons/types";
import { readPrefill } from "./corrections";
import { moduleFolders, planNextSteps, resubmissionOf } from "./next-steps-plan";

type Input = Parameters<typeof planNextSteps>[0];

const variant = (key: string) => ({ key }) as VariantView;

function comparison(over: Partial<ComparisonView>): Input {
  return { status: "failed", repo: "https://example.com/o/r", ref: "v1", subdir: null, mainPackage: null, mainPackages: [], variants: [], ...over };
}

const failed = (code: string, message = "", over: Partial<ComparisonView> = {}) => comparison({ error: { code, message }, ...over });

const GOAWK = [".", "./scripts/csvbench/count", "./scripts/csvbench/write"];
const MONOREPO = 'There is no go.mod in the repository\'s root. Go modules in this repository: services/api, tools/gen, ../x, a b. Set subdir to one of them.';

describe("planNextSteps", () => {
  const cases: { name: string; input: Input; labels: string[]; correct: string | null }[] = [
    { name: "engine error: try again", input: failed("ENGINE_UNAVAILABLE"), labels: ["Try again"], correct: null },
    { name: "interrupted", input: failed("INTERRUPTED"), labels: ["Try again"], correct: null },
    { name: "time limit", input: failed("TIME_LIMIT"), labels: ["Try again"], correct: null },
    { name: "internal", input: failed("INTERNAL"), labels: ["Try again"], correct: null },
    { name: "an unknown code is offered again, not corrected", input: failed("SOMETHING_NEW"), labels: ["Try again"], correct: null },
    { name: "a code named like Object's members", input: failed("constructor"), labels: ["Try again"], correct: null },
    { name: "clone timeout: again, or a ref", input: failed("CLONE_TIMEOUT"), labels: ["Try again"], correct: "ref" },
    { name: "bad ref: correct it", input: failed("UNKNOWN_REF"), labels: [], correct: "ref" },
    { name: "clone failed: the URL", input: failed("CLONE_FAILED"), labels: [], correct: "repo" },
    { name: "unknown subdir", input: failed("UNKNOWN_SUBDIR"), labels: [], correct: "subdir" },
    { name: "no go.mod, no list", input: failed("NO_GO_MOD", "The source has no go.mod at its root."), labels: [], correct: "subdir" },
    { name: "no go.mod in a monorepo: each module", input: failed("NO_GO_MOD", MONOREPO), labels: ["Compare services/api", "Compare tools/gen"], correct: "subdir" },
    { name: "several main packages: each one", input: failed("SEVERAL_MAIN_PACKAGES", "", { mainPackages: ["./cmd/a", "./cmd/b"] }), labels: ["Compare ./cmd/a", "Compare ./cmd/b"], correct: "mainPackage" },
    { name: "unknown main package, root among them", input: failed("UNKNOWN_MAIN_PACKAGE", "", { mainPackage: "./nope", mainPackages: [".", "./cmd/b"] }), labels: ["Compare . (the module root)", "Compare ./cmd/b"], correct: "mainPackage" },
    { name: "several main packages not stored: the form only", input: failed("SEVERAL_MAIN_PACKAGES"), labels: [], correct: "mainPackage" },
    { name: "canceled: submit again", input: comparison({ status: "canceled", error: { code: "CANCELED", message: "" } }), labels: ["Submit again"], correct: null },
    { name: "root built over helpers: the others on their own", input: comparison({ status: "succeeded", mainPackage: ".", mainPackages: GOAWK }), labels: ["Compare ./scripts/csvbench/count on its own", "Compare ./scripts/csvbench/write on its own"], correct: null },
  ];
  it.each(cases)("$name", ({ input, labels, correct }) => {
    const steps = planNextSteps(input);
    expect(steps).not.toBeNull();
    expect(steps?.choices.map((choice) => choice.label)).toEqual(labels);
    expect(steps?.lead).toEqual(expect.any(String));
    if (correct === null) expect(steps?.correct).toBeNull();
    else expect(readPrefill(Object.fromEntries(new URL(steps?.correct?.href ?? "", "http://x").searchParams))?.error?.field).toBe(correct);
  });

  it.each([
    ["a plain success", comparison({ status: "succeeded", mainPackage: ".", mainPackages: ["."] })],
    ["a success with a chosen package", comparison({ status: "succeeded", mainPackage: "./cmd/a", mainPackages: ["./cmd/a", "./cmd/b"] })],
    ["a running comparison", comparison({ status: "running" })],
    ["a queued comparison", comparison({ status: "queued" })],
  ])("offers nothing for %s", (_name, input) => {
    expect(planNextSteps(input)).toBeNull();
  });

  it("submits the same repository, ref, subdir and variants with the chosen main package", () => {
    const input = failed("SEVERAL_MAIN_PACKAGES", "", { subdir: "go", mainPackages: ["./cmd/a"], variants: ["single", "scratch", "scratch-naive", "repo"].map(variant) });
    expect(planNextSteps(input)?.choices[0].body).toEqual({ repo: "https://example.com/o/r", ref: "v1", subdir: "go", mainPackage: "./cmd/a", variants: ["single", "scratch", "repo"] });
  });

  it("drops the main package when it offers another module", () => {
    const input = failed("NO_GO_MOD", MONOREPO, { mainPackage: "./cmd/a" });
    expect(planNextSteps(input)?.choices[0].body).toEqual({ repo: "https://example.com/o/r", ref: "v1", subdir: "services/api" });
  });

  it("tries again with exactly what was submitted", () => {
    const input = failed("ENGINE_UNAVAILABLE", "", { ref: null, mainPackage: "./cmd/x", variants: [variant("alpine")] });
    expect(planNextSteps(input)?.choices[0].body).toEqual(resubmissionOf(input));
    expect(resubmissionOf(input)).toEqual({ repo: "https://example.com/o/r", mainPackage: "./cmd/x", variants: ["alpine"] });
  });
});

describe("moduleFolders", () => {
  it.each([
    [MONOREPO, ["services/api", "tools/gen"]],
    ["Go modules in this repository: a, a, b/c. Set subdir to one of them.", ["a", "b/c"]],
    ["There is no go.mod in the repository's root.", []],
    ["", []],
  ])("%s", (message, expected) => {
    expect(moduleFolders(message)).toEqual(expected);
  });
});
