import { describe, expect, it } from "vitest";
import { plainText } from "./plain-text";

describe("plainText", () => {
  it.each([
    ["colour codes", "\u001b[91mgo: go.mod requires go >= 1.25.0\u001b[0m", "go: go.mod requires go >= 1.25.0"],
    ["bold and reset", "\u001b[1m\u001b[31mERROR\u001b[39m\u001b[22m: no", "ERROR: no"],
    ["cursor movement", "step\u001b[2K\u001b[1Gdone", "stepdone"],
    ["carriage returns", "a\r\nb\rc", "a\nb\nc"],
    ["other control characters", "bell\u0007 back\u0008space", "bell backspace"],
    ["tabs and newlines stay", "a\tb\nc", "a\tb\nc"],
    ["plain text unchanged", "Hello, world! [not a code]", "Hello, world! [not a code]"],
  ])("%s", (_name, input, expected) => {
    expect(plainText(input)).toBe(expected);
  });

  it("passes null and empty through", () => {
    expect(plainText(null)).toBeNull();
    expect(plainText("")).toBe("");
  });
});
