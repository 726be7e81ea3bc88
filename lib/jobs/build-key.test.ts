import { describe, expect, it } from "vitest";
import { buildKey, type BuildInputs } from "./build-key";

const inputs: BuildInputs = {
  repo: "https://git.example/acme/app",
  sourceVersion: "0123abcd",
  subdir: null,
  mainPackage: "./cmd/app",
  runArgs: null,
  runEnv: null,
  engineId: "engine-1",
  variants: [
    { key: "single", dockerfile: "FROM golang:1.25 AS builder", baseImageIds: ["sha256:go"] },
    { key: "scratch", dockerfile: "FROM golang:1.25 AS builder\nFROM scratch", baseImageIds: ["sha256:go"] },
  ],
};

describe("buildKey", () => {
  it("is the same for the same build, whatever the variants' order", () => {
    expect(buildKey({ ...inputs, variants: [...inputs.variants].reverse() })).toBe(buildKey(inputs));
  });

  it.each<[string, Partial<BuildInputs>]>([
    ["another commit", { sourceVersion: "4567ef01" }],
    ["another folder", { subdir: "services/api" }],
    ["another main package", { mainPackage: "./cmd/other" }],
    ["run arguments", { runArgs: '["--once"]' }],
    ["a run environment", { runEnv: '{"TZ":"UTC"}' }],
    ["another engine", { engineId: "engine-2" }],
    ["a base image that moved", { variants: [{ ...inputs.variants[0], baseImageIds: ["sha256:newer"] }, inputs.variants[1]] }],
    ["another Dockerfile", { variants: [{ ...inputs.variants[0], dockerfile: "FROM golang:1.26 AS builder" }, inputs.variants[1]] }],
    ["fewer variants", { variants: [inputs.variants[0]] }],
  ])("differs with %s", (_name, change) => {
    expect(buildKey({ ...inputs, ...change })).not.toBe(buildKey(inputs));
  });
});
