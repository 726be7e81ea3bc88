// Names the BuildKit caches (Go's module and build caches) of one source built with one
// set of module settings: a hash of the repository, its folder and the module settings,
// so comparisons of the same source share them (and their layers match) and a different
// GOPROXY gets a cache of its own. A cache mount is shared by every build on the engine
// that names it; no repository's own Dockerfile may name these ("slimstage-…", refused in
// lib/dockerfiles/repo-dockerfile.ts), so no repository can fill what a generated build
// trusts. The Dockerfile a reader copies leaves the names out (plan-comparison.ts).
import { createHash } from "node:crypto";

export function cacheScope(source: { repo: string; subdir: string | null }, buildArgs: Record<string, string>): string {
  const args = Object.keys(buildArgs)
    .sort()
    .map((name) => [name, buildArgs[name]]);
  return createHash("sha256").update(JSON.stringify([source.repo, source.subdir ?? "", args])).digest("hex").slice(0, 20);
}
