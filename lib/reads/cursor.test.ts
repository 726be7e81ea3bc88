import { describe, expect, it } from "vitest";
import { UserError } from "@/lib/errors";
import { decodeCursor, encodeCursor, parseCursor } from "@/lib/reads/cursor";

const at = (iso: string) => new Date(iso);
const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64url");
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
// 28 bytes encode to 38 characters whose last one carries 4 unused bits: flipping one of
// them leaves the decoded bytes as they were.
function withOtherPaddingBits(text: string): string {
  const last = ALPHABET.indexOf(text[text.length - 1]);
  const other = `${text.slice(0, -1)}${ALPHABET[last ^ 1]}`;
  if (!Buffer.from(other, "base64url").equals(Buffer.from(text, "base64url"))) throw new Error("padding bits changed the bytes");
  return other;
}

describe("encodeCursor / decodeCursor", () => {
  it.each([
    ["a short id", { createdAt: at("2024-05-01T10:20:30.456Z"), id: "abc2345678" }],
    ["the epoch", { createdAt: at("1970-01-01T00:00:00.000Z"), id: "x" }],
    ["an id with - and _", { createdAt: at("2030-12-31T23:59:59.999Z"), id: "a-b_c" }],
  ])("round-trips %s", (_name, cursor) => {
    const text = encodeCursor(cursor);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(text)).toEqual(cursor);
  });

  it("is opaque: the encoded text does not show the date or the id", () => {
    const text = encodeCursor({ createdAt: at("2024-05-01T10:20:30.456Z"), id: "abc2345678" });
    expect(text).not.toContain("2024");
    expect(text).not.toContain("abc2345678");
  });

  it.each([
    ["empty", ""],
    ["not base64url", "abc+/="],
    ["too long", "A".repeat(201)],
    ["no separator", b64("2024-05-01T10:20:30.456Z")],
    ["no id", b64("2024-05-01T10:20:30.456Z|")],
    ["an id with a space", b64("2024-05-01T10:20:30.456Z|a b")],
    ["an id that is too long", b64(`2024-05-01T10:20:30.456Z|${"a".repeat(65)}`)],
    ["a date without milliseconds", b64("2024-05-01T10:20:30Z|abc")],
    ["a date that does not exist", b64("2024-02-31T10:20:30.000Z|abc")],
    ["a number instead of a date", b64("1714558830456|abc")],
    ["JSON", b64('{"createdAt":"2024-05-01T10:20:30.456Z","id":"abc"}')],
    ["the same bytes with other padding bits", withOtherPaddingBits(encodeCursor({ createdAt: at("2024-05-01T10:20:30.456Z"), id: "abc" }))],
  ])("rejects %s", (_name, text) => {
    expect(decodeCursor(text)).toBeNull();
  });
});

describe("parseCursor", () => {
  it("throws a 422-kind UserError with code INVALID_CURSOR for a bad cursor", () => {
    expect.assertions(4);
    try {
      parseCursor("nope!");
    } catch (error) {
      expect(error).toBeInstanceOf(UserError);
      expect((error as UserError).code).toBe("INVALID_CURSOR");
      expect((error as UserError).kind).toBe("invalid");
      expect((error as UserError).field).toBe("cursor");
    }
  });

  it("returns the cursor for a good one", () => {
    const cursor = { createdAt: at("2024-05-01T10:20:30.456Z"), id: "abc" };
    expect(parseCursor(encodeCursor(cursor))).toEqual(cursor);
  });
});
