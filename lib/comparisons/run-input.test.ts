import { describe, expect, it } from "vitest";
import { readRunInput, splitWords, storedRunSettings } from "@/lib/comparisons/run-input";

describe("splitWords", () => {
  it.each([
    ["", []],
    ["--help", ["--help"]],
    ["  -v   'BEGIN { print 1 }' ", ["-v", "BEGIN { print 1 }"]],
    ['a"b c"d', ["ab cd"]],
    ['""', [""]],
  ])("%j", (text, words) => {
    expect(splitWords(text)).toEqual(words);
  });
  it("refuses an open quote", () => expect(splitWords("'open")).toBeNull());
});

describe("readRunInput", () => {
  it.each([
    ["nothing", "", "", { ok: true }],
    ["arguments and variables", "-v x", "TZ=Europe/Berlin GREETING='hi there'", { ok: true, runArgs: ["-v", "x"], runEnv: { TZ: "Europe/Berlin", GREETING: "hi there" } }],
    ["an open quote", "'x", "", { ok: false, field: "runArgs" }],
    ["a variable without =", "", "TZ", { ok: false, field: "runEnv" }],
    ["a bad name", "", "1X=2", { ok: false, field: "runEnv" }],
    ["too many arguments", Array(21).fill("a").join(" "), "", { ok: false, field: "runArgs" }],
  ])("%s", (_name, args, env, expected) => {
    expect(readRunInput(args, env)).toMatchObject(expected);
  });
});

describe("storedRunSettings", () => {
  it.each([
    [null, null, {}],
    ['["--serve",":8080"]', '{"TZ":"Europe/Berlin"}', { args: ["--serve", ":8080"], env: ["TZ=Europe/Berlin"] }],
    ["not json", "{", {}],
    ['"a string"', null, {}],
  ])("%s %s", (args, env, expected) => {
    expect(storedRunSettings(args, env)).toEqual(expected);
  });
});
