import { describe, expect, it } from "vitest";
import {
  cacheKey,
  cacheTarget,
  comparisonSettled,
  comparisonStillFinished,
  HOME_MAX_AGE_MS,
  homeStillCurrent,
  keepable,
  keptHeaders,
  SETTLE_MS,
} from "./rules";

const ID = "asqxTyk8MX";
const request = (pathname: string, options: { method?: string; search?: string; headers?: string[] } = {}) => ({
  method: options.method ?? "GET",
  pathname,
  search: options.search ?? "",
  has: (name: string) => (options.headers ?? []).includes(name),
});

describe("cacheTarget", () => {
  it.each([
    ["the home page", request("/"), { kind: "home" }],
    ["a comparison page", request(`/c/${ID}`), { kind: "comparison", id: ID }],
    ["a comparison's JSON", request(`/api/comparisons/${ID}`), { kind: "comparison", id: ID }],
    ["an older page of the list", request("/", { search: "?before=abc" }), null],
    ["a query on a comparison page", request(`/c/${ID}`, { search: "?x=1" }), null],
    ["a HEAD request", request(`/c/${ID}`, { method: "HEAD" }), null],
    ["a DELETE", request(`/api/comparisons/${ID}`, { method: "DELETE" }), null],
    ["a POST to the list", request("/api/comparisons", { method: "POST" }), null],
    ["the router's payload (navigation, refresh)", request(`/c/${ID}`, { headers: ["rsc"] }), null],
    ["a prefetch", request(`/c/${ID}`, { headers: ["next-router-prefetch"] }), null],
    ["a segment prefetch", request("/", { headers: ["next-router-segment-prefetch"] }), null],
    ["a router state tree", request("/", { headers: ["next-router-state-tree"] }), null],
    ["a server action", request("/", { headers: ["next-action"] }), null],
    ["the proxy's own render", request(`/c/${ID}`, { headers: ["x-slimstage-render"] }), null],
    ["an id of the wrong shape", request("/c/not-an-id"), null],
    ["an id with look-alike characters", request("/c/asqxTyk8M0"), null],
    ["the badge", request(`/c/${ID}/badge.svg`), null],
    ["the link preview", request(`/c/${ID}/opengraph-image`), null],
    ["the events stream", request(`/api/comparisons/${ID}/events`), null],
    ["the list API", request("/api/comparisons"), null],
    ["a repository's history", request("/r/github.com/a/b"), null],
  ])("%s", (_name, shape, expected) => {
    expect(cacheTarget(shape)).toEqual(expected);
  });
});

describe("cacheKey", () => {
  it("keeps answers per origin and path", () => {
    expect(cacheKey("/c/x", "http://a:3000")).not.toBe(cacheKey("/c/x", "http://b:3000"));
    expect(cacheKey("/c/x", "http://a:3000")).not.toBe(cacheKey("/api/comparisons/x", "http://a:3000"));
    expect(cacheKey("/c/x", null)).not.toBe(cacheKey("/c/x", "http://a:3000"));
    expect(cacheKey("/c/x", "http://a:3000")).toBe(cacheKey("/c/x", "http://a:3000"));
  });
});

describe("comparisonStillFinished / comparisonSettled", () => {
  const now = Date.parse("2026-11-28T12:00:00.000Z");
  const ago = (ms: number) => new Date(now - ms).toISOString();
  it.each([
    ["deleted (no row)", undefined, false, false],
    ["queued", { status: "queued", finishedAt: null }, false, false],
    ["running", { status: "running", finishedAt: null }, false, false],
    ["succeeded long ago", { status: "succeeded", finishedAt: ago(60_000) }, true, true],
    ["failed long ago", { status: "failed", finishedAt: ago(60_000) }, true, true],
    ["canceled long ago", { status: "canceled", finishedAt: ago(60_000) }, true, true],
    ["succeeded just now", { status: "succeeded", finishedAt: ago(100) }, true, false],
    ["succeeded exactly SETTLE_MS ago", { status: "succeeded", finishedAt: ago(SETTLE_MS) }, true, true],
    ["succeeded with a clock that went back", { status: "succeeded", finishedAt: ago(-60_000) }, true, false],
    ["succeeded without finishedAt", { status: "succeeded", finishedAt: null }, true, false],
    ["succeeded with an unreadable finishedAt", { status: "succeeded", finishedAt: "yesterday" }, true, false],
    ["an unknown status", { status: "interrupted", finishedAt: ago(60_000) }, false, false],
  ])("%s", (_name, state, stillFinished, settled) => {
    expect(comparisonStillFinished(state)).toBe(stillFinished);
    expect(comparisonSettled(state, now)).toBe(settled);
  });
});

describe("homeStillCurrent", () => {
  const storedAt = 1_000_000;
  it.each([
    ["nothing written, just stored", 7, storedAt, true],
    ["nothing written, nearly too old", 7, storedAt + HOME_MAX_AGE_MS - 1, true],
    ["nothing written, too old (the engine banner)", 7, storedAt + HOME_MAX_AGE_MS, false],
    ["written since", 8, storedAt + 1, false],
    ["a clock that went back", 7, storedAt - 1, false],
  ])("%s", (_name, dataVersion, now, expected) => {
    expect(homeStillCurrent({ dataVersion: 7, storedAt }, dataVersion, now)).toBe(expected);
  });
});

describe("keepable", () => {
  it.each([
    [200, "text/html; charset=utf-8", true],
    [200, "application/json", true],
    [404, "text/html; charset=utf-8", false],
    [500, "application/json", false],
    [307, null, false],
    [200, "text/event-stream", false],
    [200, "image/svg+xml", false],
    [200, null, false],
  ])("%i %s", (status, contentType, expected) => {
    expect(keepable(status, contentType)).toBe(expected);
  });
});

describe("keptHeaders", () => {
  it("drops what describes the body as it was sent, keeps the rest", () => {
    const kept = keptHeaders([
      ["content-type", "text/html"],
      ["Content-Length", "10"],
      ["content-encoding", "gzip"],
      ["transfer-encoding", "chunked"],
      ["connection", "keep-alive"],
      ["keep-alive", "timeout=5"],
      ["date", "Sat, 28 Nov 2026 06:00:00 GMT"],
      ["x-frame-options", "DENY"],
      ["vary", "rsc"],
    ]);
    expect(kept).toEqual([
      ["content-type", "text/html"],
      ["x-frame-options", "DENY"],
      ["vary", "rsc"],
    ]);
  });
});
