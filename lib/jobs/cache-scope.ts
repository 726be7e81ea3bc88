// Names the BuildKit caches (Go's module and build caches) of one source built with one
// set of module settings. A cache mount is shared by every build on the engine that names
// it, and a repository's own Dockerfile can name any: a name nobody can guess (a keyed
// hash, the key this process's own) keeps one repository's build from filling the module
// cache another one's build trusts; a different GOPROXY gets a cache of its own. The
// Dockerfile a reader copies leaves the name out (plan-comparison.ts).
import { createHmac, randomBytes } from "node:crypto";

const KEY = randomBytes(32);

export function cacheScope(source: { repo: string; subdir: string | null }, buildArgs: Record<string, string>): string {
  const args = Object.keys(buildArgs)
    .sort()
    .map((name) => [name, buildArgs[name]]);
  return createHmac("sha256", KEY).update(JSON.stringify([source.repo, source.subdir ?? "", args])).digest("hex").slice(0, 20);
}
