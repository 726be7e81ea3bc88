import { describe, expect, it } from "vitest";
import { CORRECTIONS, correctionHref, readPrefill } from "./corrections";

describe("correctionHref and readPrefill", () => {
  it("round-trips what was submitted, with the field in error", () => {
    const href = correctionHref({ repo: "https://example.com/o/r", ref: "nope & more", subdir: "a/b" }, "UNKNOWN_REF");
    const query = Object.fromEntries(new URL(href, "http://x").searchParams);
    expect(readPrefill(query)).toEqual({
      values: { repo: "https://example.com/o/r", ref: "nope & more", subdir: "a/b", mainPackage: "" },
      error: { field: "ref", message: CORRECTIONS.UNKNOWN_REF.explanation },
    });
  });

  it("names no field for a code that is not about the input", () => {
    const href = correctionHref({ repo: "example:hello" }, "ENGINE_UNAVAILABLE");
    expect(href).not.toContain("fix=");
    expect(readPrefill(Object.fromEntries(new URL(href, "http://x").searchParams))?.error).toBeNull();
  });

  it.each([
    ["no query", {}, null],
    ["only unrelated parameters", { before: "abc" }, null],
    ["an unknown fix", { repo: "x", fix: "<b>hi</b>" }, { values: { repo: "x", ref: "", subdir: "", mainPackage: "" }, error: null }],
    ["a fix named like Object's members", { repo: "x", fix: "constructor" }, { values: { repo: "x", ref: "", subdir: "", mainPackage: "" }, error: null }],
    ["a repeated parameter", { repo: ["a", "b"], ref: "main" }, { values: { repo: "", ref: "main", subdir: "", mainPackage: "" }, error: null }],
  ])("%s", (_name, query, expected) => {
    expect(readPrefill(query)).toEqual(expected);
  });

  it("keeps at most 4096 characters of a value", () => {
    expect(readPrefill({ repo: "x".repeat(10_000) })?.values.repo).toHaveLength(4096);
  });

  it("points every correction at a form field", () => {
    for (const [code, { field, explanation }] of Object.entries(CORRECTIONS)) {
      expect(["repo", "ref", "subdir", "mainPackage"], code).toContain(field);
      expect(explanation.length, code).toBeGreaterThan(20);
    }
  });
});
