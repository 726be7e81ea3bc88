import { describe, expect, it } from "vitest";
import { chooseBuilder, parseGoMod } from "./go-mod";

describe("parseGoMod", () => {
  it.each([
    ["module and go", "module example.com/hello\n\ngo 1.21\n", { module: "example.com/hello", goVersion: "1.21", toolchain: null, requires: [] }],
    [
      "toolchain, comments and a require block",
      'module "example.com/x" // the app\ngo 1.22.3\ntoolchain go1.23.1\nrequire (\n\tgithub.com/a/b v1.0.0\n\tgithub.com/c/d v0.2.0 // indirect\n)\nrequire example.com/e v1.1.0\n',
      { module: "example.com/x", goVersion: "1.22.3", toolchain: "go1.23.1", requires: ["github.com/a/b", "github.com/c/d", "example.com/e"] },
    ],
    ["no go directive", "module m\n", { module: "m", goVersion: null, toolchain: null, requires: [] }],
  ])("%s", (_name, text, expected) => {
    expect(parseGoMod(text)).toEqual(expected);
  });
});

describe("chooseBuilder", () => {
  const builders = { "1.21": "golang:1.21", "1.23": "golang:1.23", "1.22": "golang:1.22" };
  it.each([
    ["the smallest version that is new enough", "1.21", "1.21", false],
    ["a patch version rounds to its minor", "1.22.3", "1.22", false],
    ["an old module gets the oldest builder", "1.16", "1.21", false],
    ["no go directive gets the oldest builder", null, "1.21", false],
    ["too new falls back to the newest, with a warning", "1.25", "1.23", true],
  ] as const)("%s", (_name, wanted, version, warns) => {
    const chosen = chooseBuilder(wanted, builders);
    expect(chosen?.version).toBe(version);
    expect(chosen?.image).toBe(`golang:${version}`);
    expect(Boolean(chosen?.warning)).toBe(warns);
  });

  it("is null when no builder is configured", () => {
    expect(chooseBuilder("1.21", {})).toBeNull();
  });
});
