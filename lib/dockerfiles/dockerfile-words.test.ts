import { describe, expect, it } from "vitest";
import { WordError, expandWord, nameValues, rawWords } from "./dockerfile-words";

const vars = new Map([
  ["A", "1"],
  ["EMPTY", ""],
  ["IMG", "golang:1.23"],
]);

describe("expandWord", () => {
  it.each([
    ["$A", "\\", "1"],
    ["${A}", "\\", "1"],
    ["x$A-y", "\\", "x1-y"],
    ["$UNSET", "\\", ""],
    ["${UNSET:-golang:1.23}", "\\", "golang:1.23"],
    ["${EMPTY:-d}", "\\", "d"],
    ["${EMPTY-d}", "\\", ""],
    ["${UNSET-d}", "\\", "d"],
    ["${A:-d}", "\\", "1"],
    ["${A:+alt}", "\\", "alt"],
    ["${EMPTY:+alt}", "\\", ""],
    ["${EMPTY+alt}", "\\", "alt"],
    ["${UNSET:+alt}", "\\", ""],
    ["${A:?}", "\\", "1"],
    ["${UNSET:-${A}x}", "\\", "1x"],
    ["${UNSET:-'a b'}", "\\", "a b"],
    ["'$A'", "\\", "$A"],
    ['"$A"', "\\", "1"],
    ['"a\\"b"', "\\", 'a"b'],
    ['"a\\nb"', "\\", "a\\nb"],
    ["\\$A", "\\", "$A"],
    ["h\\ttp://x", "\\", "http://x"],
    ["`$A", "`", "$A"],
    ["C:\\dir", "`", "C:\\dir"],
    ["$", "\\", "$"],
    ["a$-b", "\\", "a$-b"],
    ["$IMG", "\\", "golang:1.23"],
  ])("%s (escape %s) -> %s", (word, escape, expected) => {
    expect(expandWord(word, vars, escape)).toBe(expected);
  });

  it.each([["${A#x}"], ["${A%x}"], ["${A/x/y}"], ["${"], ["${A"], ["${}"], ["'abc"], ['"abc'], ["${UNSET:?}"], ["${EMPTY:?}"]])("refuses %s", (word) => {
    expect(() => expandWord(word, vars, "\\")).toThrow(WordError);
  });
});

describe("rawWords", () => {
  it.each([
    ["a b\tc", ["a", "b", "c"]],
    ['a "b c" d', ["a", '"b c"', "d"]],
    ["a 'b \" c' d", ["a", "'b \" c'", "d"]],
    ["a\\ b c", ["a\\ b", "c"]],
    ["  ", []],
  ])("%j", (text, words) => {
    expect(rawWords(text, "\\")).toEqual(words);
  });
});

describe("nameValues", () => {
  it("reads NAME=value words, quoted values kept for expansion", () => {
    expect(nameValues('A=1 B="x y" C', "\\")).toEqual([
      { name: "A", raw: "1" },
      { name: "B", raw: '"x y"' },
      { name: "C", raw: null },
    ]);
  });
});
