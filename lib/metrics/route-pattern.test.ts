import { describe, expect, it } from "vitest";
import { appRoutePatterns, NEXT_STATIC_ROUTE, OTHER_ROUTE, routeMatcher } from "@/lib/metrics/route-pattern";

// As the production build lists them (.next/app-path-routes-manifest.json).
const MANIFEST = {
  "/_global-error/page": "/_global-error",
  "/_not-found/page": "/_not-found",
  "/api/compare/[a]/[b]/route": "/api/compare/[a]/[b]",
  "/api/comparisons/[id]/budget/route": "/api/comparisons/[id]/budget",
  "/api/comparisons/[id]/cancel/route": "/api/comparisons/[id]/cancel",
  "/api/comparisons/[id]/events/route": "/api/comparisons/[id]/events",
  "/api/comparisons/[id]/rebuild/route": "/api/comparisons/[id]/rebuild",
  "/api/comparisons/[id]/route": "/api/comparisons/[id]",
  "/api/comparisons/[id]/variants/[key]/analysis/route": "/api/comparisons/[id]/variants/[key]/analysis",
  "/api/comparisons/route": "/api/comparisons",
  "/api/health/route": "/api/health",
  "/c/[id]/badge.svg/route": "/c/[id]/badge.svg",
  "/c/[id]/opengraph-image/route": "/c/[id]/opengraph-image",
  "/c/[id]/page": "/c/[id]",
  "/compare/[a]/[b]/page": "/compare/[a]/[b]",
  "/metrics/route": "/metrics",
  "/page": "/",
  "/r/[...repo]/page": "/r/[...repo]",
};
const route = routeMatcher(appRoutePatterns(MANIFEST, ["favicon.ico", "icon.svg", "robots.txt"]));

describe("routeMatcher", () => {
  it.each([
    ["/", "/"],
    ["/?before=abc", "/"],
    ["/c/AbCdEf1234", "/c/[id]"],
    ["/c/AbCdEf1234/", "/c/[id]"],
    ["/c/AbCdEf1234/badge.svg", "/c/[id]/badge.svg"],
    ["/c/AbCdEf1234/opengraph-image", "/c/[id]/opengraph-image"],
    ["/api/comparisons", "/api/comparisons"],
    ["/api/comparisons?repo=example:hello&limit=5", "/api/comparisons"],
    ["/api/comparisons/AbCdEf1234", "/api/comparisons/[id]"],
    ["/api/comparisons/AbCdEf1234/events?since=3", "/api/comparisons/[id]/events"],
    ["/api/comparisons/AbCdEf1234/cancel", "/api/comparisons/[id]/cancel"],
    ["/api/comparisons/AbCdEf1234/budget?maxBytes=1", "/api/comparisons/[id]/budget"],
    ["/api/comparisons/AbCdEf1234/variants/scratch/analysis", "/api/comparisons/[id]/variants/[key]/analysis"],
    ["/api/compare/a1/b2", "/api/compare/[a]/[b]"],
    ["/compare/a1/b2", "/compare/[a]/[b]"],
    ["/api/health", "/api/health"],
    ["/metrics", "/metrics"],
    ["/r/github.com/owner/name", "/r/[...repo]"],
    ["/r/example:hello", "/r/[...repo]"],
    ["/r/http%3A/host/x", "/r/[...repo]"],
    ["/r", OTHER_ROUTE],
    ["/favicon.ico", "/favicon.ico"],
    ["/robots.txt", "/robots.txt"],
    ["/_next/static/chunks/abc.js", NEXT_STATIC_ROUTE],
    ["/_next/static/media/x.woff2", NEXT_STATIC_ROUTE],
    ["/_not-found", OTHER_ROUTE],
    ["/wp-login.php", OTHER_ROUTE],
    ["/c/a/b/c", OTHER_ROUTE],
    ["/api/comparisons/a/unknown", OTHER_ROUTE],
    ["/%E0%A4%A", OTHER_ROUTE],
  ])("%s is %s", (path, expected) => {
    expect(route(path)).toBe(expected);
  });

  it("prefers a static segment to a dynamic one, and a dynamic one to a catch-all, whatever the order", () => {
    const match = routeMatcher(["/x/[...rest]", "/x/[id]", "/x/new", "/x/[id]/edit", "/[[...all]]"]);
    expect([match("/x/new"), match("/x/7"), match("/x/7/edit"), match("/x/7/8"), match("/"), match("/y/z")]).toEqual([
      "/x/new",
      "/x/[id]",
      "/x/[id]/edit",
      "/x/[...rest]",
      "/[[...all]]",
      "/[[...all]]",
    ]);
  });
});
