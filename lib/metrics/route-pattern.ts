// Pure: which route a request path belongs to, as Next.js names it ("/c/[id]",
// "/api/comparisons/[id]/events"), so request durations are counted per route and not
// per id (a label per path would grow without end). The patterns are the app's own: the
// production build's app-path-routes-manifest.json, the files under public/, and Next.js's
// static assets; anything else is one route, "(other)".

export const OTHER_ROUTE = "(other)";
export const NEXT_STATIC_ROUTE = "/_next/static/[...file]";

type Segment = { kind: "static"; text: string } | { kind: "one" } | { kind: "rest"; optional: boolean };

interface Compiled {
  pattern: string;
  segments: Segment[];
}

const split = (path: string): string[] => path.split("/").filter(Boolean);

function compile(pattern: string): Compiled {
  const segments = split(pattern).map((part): Segment => {
    if (/^\[\[\.\.\.[^\]]+\]\]$/.test(part)) return { kind: "rest", optional: true };
    if (/^\[\.\.\.[^\]]+\]$/.test(part)) return { kind: "rest", optional: false };
    if (/^\[[^\]]+\]$/.test(part)) return { kind: "one" };
    return { kind: "static", text: part };
  });
  return { pattern, segments };
}

function matches(segments: Segment[], parts: string[]): boolean {
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    if (segment.kind === "rest") return parts.length - i >= (segment.optional ? 0 : 1);
    if (i >= parts.length) return false;
    if (segment.kind === "static" && segment.text !== parts[i]) return false;
  }
  return parts.length === segments.length;
}

// More specific first: at the first segment where two patterns differ, a static segment
// beats a dynamic one, and a dynamic one beats a catch-all (as Next.js resolves them).
const rank = (segment: Segment | undefined): number => (segment === undefined ? 3 : segment.kind === "static" ? 0 : segment.kind === "one" ? 1 : 2);
function bySpecificity(a: Compiled, b: Compiled): number {
  for (let i = 0; i < Math.max(a.segments.length, b.segments.length); i++) {
    const difference = rank(a.segments[i]) - rank(b.segments[i]);
    if (difference !== 0) return difference;
  }
  return 0;
}

/** A function from a request path (with or without its query) to its route pattern, or OTHER_ROUTE. */
export function routeMatcher(patterns: readonly string[]): (path: string) => string {
  const compiled = [...new Set(patterns)].map(compile).sort(bySpecificity);
  return (path) => {
    let pathname = path.split(/[?#]/, 1)[0];
    try {
      pathname = decodeURIComponent(pathname);
    } catch {
      // a malformed escape: matched as it is
    }
    const parts = split(pathname);
    return compiled.find((route) => matches(route.segments, parts))?.pattern ?? OTHER_ROUTE;
  };
}

/**
 * The patterns of a production build: the routes of app-path-routes-manifest.json (its
 * values) but Next.js's own error pages, each file under public/ ("/favicon.ico"), and
 * the static assets.
 */
export function appRoutePatterns(manifest: Record<string, string>, publicFiles: readonly string[]): string[] {
  const routes = Object.values(manifest).filter((route) => !/^\/_(not-found|global-error|error)$/.test(route));
  return [...routes, ...publicFiles.map((file) => `/${file.replace(/^\/+/, "")}`), NEXT_STATIC_ROUTE];
}
