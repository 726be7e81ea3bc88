import { describe, expect, it } from "vitest";
import { readApiError, readStartedUrl } from "@/lib/comparisons/api-answer";

describe("readApiError", () => {
  it.each([
    [{ error: { code: "X", message: "Bad ref", field: "ref" } }, { message: "Bad ref", field: "ref" }],
    [{ error: { message: "Too many" } }, { message: "Too many" }],
    [{ error: { message: "" } }, null],
    [{ error: "text" }, null],
    [null, null],
  ])("%j", (body, expected) => expect(readApiError(body)).toEqual(expected));
});

describe("readStartedUrl", () => {
  it.each([
    [{ id: "a", url: "/c/a" }, "/c/a"],
    [{ url: "//evil.example/c/a" }, null],
    [{ url: "https://evil.example" }, null],
    [{ url: 4 }, null],
    ["text", null],
  ])("%j", (body, expected) => expect(readStartedUrl(body)).toBe(expected));
});
