import { describe, expect, it } from "vitest";
import { UserError } from "@/lib/errors";
import { chooseGoBuilder, goNeed, goTooNewError, newestGoBuilder, parseGoMod, type BuilderChoice, type GoNeed } from "./go-mod";

describe("parseGoMod", () => {
  it.each([
    ["module and go", "module example.com/hello\n\ngo 1.21\n", { module: "example.com/hello", goVersion: "1.21", toolchain: null, requires: [] }],
    [
      "toolchain, comments and a require block",
      'module "example.com/x" // the app\ngo 1.22.3\ntoolchain go1.23.1\nrequire (\n\tgithub.com/a/b v1.0.0\n\tgithub.com/c/d v0.2.0 // indirect\n)\nrequire example.com/e v1.1.0\n',
      { module: "example.com/x", goVersion: "1.22.3", toolchain: "go1.23.1", requires: ["github.com/a/b", "github.com/c/d", "example.com/e"] },
    ],
    ["no go directive", "module m\n", { module: "m", goVersion: null, toolchain: null, requires: [] }],
    ["a go.work file", "go 1.23.0\ntoolchain go1.24.2\n\nuse (\n\t./api\n\t./tools\n)\n", { module: "", goVersion: "1.23.0", toolchain: "go1.24.2", requires: [] }],
  ])("%s", (_name, text, expected) => {
    expect(parseGoMod(text)).toEqual(expected);
  });
});

describe("goNeed", () => {
  const none = { goVersion: null, toolchain: null };
  it.each([
    ["the go directive", { goVersion: "1.21.0", toolchain: null }, null, { minor: "1.21", because: "go 1.21.0 in go.mod" }],
    ["a newer toolchain line wins", { goVersion: "1.21.0", toolchain: "go1.22.3" }, null, { minor: "1.22", because: "toolchain go1.22.3 in go.mod" }],
    ["a toolchain of the same minor keeps the go line", { goVersion: "1.22", toolchain: "go1.22.5" }, null, { minor: "1.22", because: "go 1.22 in go.mod" }],
    ["an older toolchain line does not lower it", { goVersion: "1.23", toolchain: "go1.22.0" }, null, { minor: "1.23", because: "go 1.23 in go.mod" }],
    ["a release candidate", { goVersion: "1.27rc1", toolchain: null }, null, { minor: "1.27", because: "go 1.27rc1 in go.mod" }],
    ["a custom toolchain name", { goVersion: "1.21", toolchain: "go1.25.1-custom" }, null, { minor: "1.25", because: "toolchain go1.25.1-custom in go.mod" }],
    ["go.work asks for more", { goVersion: "1.21", toolchain: null }, { goVersion: "1.24.0", toolchain: null }, { minor: "1.24", because: "go 1.24.0 in go.work" }],
    ["go.work's toolchain", { goVersion: "1.21", toolchain: null }, { goVersion: "1.21", toolchain: "go1.26.0" }, { minor: "1.26", because: "toolchain go1.26.0 in go.work" }],
    ["minor 10 is newer than minor 9", { goVersion: "1.9", toolchain: "go1.10" }, null, { minor: "1.10", because: "toolchain go1.10 in go.mod" }],
    ["nothing said", none, null, null],
    ["nonsense is nothing", { goVersion: "latest", toolchain: "default" }, null, null],
  ])("%s", (_name, mod, work, expected) => {
    expect(goNeed(mod, work)).toEqual(expected);
  });
});

describe("chooseGoBuilder", () => {
  const need = (minor: string): GoNeed => ({ minor, because: `go ${minor} in go.mod` });
  const official = {
    golang: Object.fromEntries(["1.21", "1.22", "1.23", "1.24", "1.25", "1.26", "1.27"].map((v) => [v, `golang:${v}`])),
    golangPattern: "golang:{minor}",
  };
  const offline = {
    golang: Object.fromEntries(["1.23", "1.24", "1.25", "1.26", "1.27"].map((v) => [v, `slimstage/golang:${v}-local`])),
  };
  it.each<[string, GoNeed | null, { golang: Record<string, string>; golangPattern?: string }, BuilderChoice]>([
    ["official: the exact minor", need("1.22"), official, { kind: "image", version: "1.22", image: "golang:1.22", fromPattern: false }],
    ["official: an old module gets the oldest", need("1.16"), official, { kind: "image", version: "1.21", image: "golang:1.21", fromPattern: false }],
    ["official: no version said gets the oldest", null, official, { kind: "image", version: "1.21", image: "golang:1.21", fromPattern: false }],
    ["official: newer than the table, by the pattern", need("1.28"), official, { kind: "image", version: "1.28", image: "golang:1.28", fromPattern: true }],
    ["official: 2.0 by the pattern", need("2.0"), official, { kind: "image", version: "2.0", image: "golang:2.0", fromPattern: true }],
    ["offline: 1.21 gets 1.23", need("1.21"), offline, { kind: "image", version: "1.23", image: "slimstage/golang:1.23-local", fromPattern: false }],
    ["offline: 1.25", need("1.25"), offline, { kind: "image", version: "1.25", image: "slimstage/golang:1.25-local", fromPattern: false }],
    ["offline: 1.27", need("1.27"), offline, { kind: "image", version: "1.27", image: "slimstage/golang:1.27-local", fromPattern: false }],
    ["offline: too new", need("1.28"), offline, { kind: "none", need: need("1.28"), newest: "1.27" }],
    ["a gap in the table takes the next one up", need("1.22"), { golang: { "1.21": "a", "1.23": "b" } }, { kind: "image", version: "1.23", image: "b", fromPattern: false }],
    ["an empty table with a pattern", need("1.24"), { golang: {}, golangPattern: "golang:{minor}" }, { kind: "image", version: "1.24", image: "golang:1.24", fromPattern: true }],
    ["an empty table", need("1.24"), { golang: {} }, { kind: "none", need: need("1.24"), newest: null }],
    ["a pattern without {minor} is no pattern", need("1.28"), { golang: { "1.27": "x" }, golangPattern: "golang:latest" }, { kind: "none", need: need("1.28"), newest: "1.27" }],
  ])("%s", (_name, wanted, builders, expected) => {
    expect(chooseGoBuilder(wanted, builders)).toEqual(expected);
  });

  it.each([
    [{ "1.9": "a", "1.10": "b", "1.27": "c", "1.3": "d" }, "1.27"],
    [{ "1.9": "a", "1.10": "b" }, "1.10"],
    [{}, null],
  ])("newestGoBuilder(%o) is %s", (table, newest) => {
    expect(newestGoBuilder(table)).toBe(newest);
  });
});

describe("goTooNewError", () => {
  it.each([
    [
      "too new for the table",
      { need: { minor: "1.28", because: "toolchain go1.28.1 in go.mod" }, newest: "1.27" },
      undefined,
      ["Go 1.28 (toolchain go1.28.1 in go.mod)", "newest Go builder on this server is 1.27", "SLIMSTAGE_BASE_GOLANG=…,1.28=IMAGE", "SLIMSTAGE_BASE_PROFILE=official", "golang:1.28"],
    ],
    [
      "the pattern's image could not be pulled",
      { need: { minor: "1.29", because: "go 1.29 in go.mod" }, newest: "1.27" },
      { image: "golang:1.29", reason: "no registry answers" },
      ["Go 1.29", "1.27", "golang:1.29 could not be pulled: no registry answers.", "SLIMSTAGE_BASE_GOLANG"],
    ],
    ["no builder at all", { need: null, newest: null }, undefined, ["no Go builder configured", "SLIMSTAGE_BASE_GOLANG"]],
  ])("%s", (_name, choice, pullFailure, phrases) => {
    const error = goTooNewError(choice, pullFailure);
    expect(error).toBeInstanceOf(UserError);
    expect(error).toMatchObject({ code: "GO_TOO_NEW", kind: "unavailable" });
    for (const phrase of phrases) expect(error.message).toContain(phrase);
  });
});
