import { describe, expect, it } from "vitest";
import { formatBytes, formatLocalTimestamp, formatUtcTimestamp } from "./format";

describe("formatBytes", () => {
  it.each([
    [781_000_000, "781 MB"],
    [8_150_000, "8.2 MB"],
    [3_000_000, "3 MB"],
    [450_000, "450 KB"],
    [999, "999 B"],
    [null, "—"],
    [-1, "—"],
  ])("%s → %s", (bytes, want) => {
    expect(formatBytes(bytes)).toBe(want);
  });
});

describe("timestamps", () => {
  const iso = "2026-11-26T09:30:12.000Z";
  it.each([
    [iso, "2026-11-26 09:30 UTC"],
    ["not a date", "not a date"],
  ])("UTC text of %s", (input, want) => {
    expect(formatUtcTimestamp(input)).toBe(want);
  });

  it.each([
    ["en-US", "America/New_York", /Nov 26, 2026.*4:30\sAM/],
    ["de-DE", "Europe/Berlin", /26\.11\.2026.*10:30/],
    ["en-GB", "Asia/Tokyo", /26 Nov 2026.*18:30/],
  ])("in %s, %s", (locale, zone, want) => {
    expect(formatLocalTimestamp(iso, locale, zone)).toMatch(want);
  });

  it("leaves an unreadable value as it is", () => {
    expect(formatLocalTimestamp("yesterday", "en-US", "UTC")).toBe("yesterday");
  });
});
