// The address of a repository's history page, /r/<repo>, readable and reversible:
//
//   https://github.com/owner/name(.git)   ->  /r/github.com/owner/name
//   http://host/x, git://host:9418/x      ->  /r/http:/host/x, /r/git:/host:9418/x
//   file:///srv/x.git or /srv/x.git       ->  /r/file:/srv/x
//   example:loadlocation                  ->  /r/example:loadlocation
//
// https, the common case, needs no prefix; another scheme is a first segment ending in
// ":" (a host never does; a host with a port has digits after its ":"). Every segment is
// percent-encoded except ":". A trailing ".git" or "/" is dropped, so the spellings of
// one repository share one page: the reverse mapping lists every spelling to look up.
const EXAMPLE = /^example:[a-z0-9][a-z0-9-]{0,39}$/;
const SCHEMES = ["http", "git", "file"] as const;

export interface RepoTarget {
  /** The canonical spelling shown as the page title, e.g. "https://github.com/owner/name". */
  repo: string;
  /** Every stored spelling of that repository (Comparison.repo values to match). */
  spellings: string[];
}

/** "/r/github.com/owner/name", or null for a value that names no repository. */
export function repoHistoryPath(repo: string): string | null {
  if (EXAMPLE.test(repo)) return `/r/${repo}`;
  let scheme: string;
  let rest: string;
  if (repo.startsWith("/")) {
    scheme = "file";
    rest = repo.slice(1);
  } else {
    const match = /^([a-z]+):\/\/(.*)$/.exec(repo);
    if (!match) return null;
    [, scheme, rest] = match;
    if (scheme === "file") {
      if (!rest.startsWith("/")) return null;
      rest = rest.slice(1);
    }
  }
  const segments = trimRepoPath(rest).split("/");
  if (!segments.every(isPlainSegment)) return null;
  if (scheme !== "https" && !(SCHEMES as readonly string[]).includes(scheme)) return null;
  const all = [...(scheme === "https" ? [] : [`${scheme}:`]), ...segments];
  // Only a link that leads back to this repository's comparisons is worth showing.
  if (!targetOf(all)?.spellings.includes(repo)) return null;
  return `/r/${all.map(encodeSegment).join("/")}`;
}

/**
 * The repository a history page is about, from its path segments as the route receives
 * them: Next.js 16 hands catch-all segments over still percent-encoded ("git%3A").
 */
export function repoFromHistorySegments(encoded: readonly string[]): RepoTarget | null {
  const segments: string[] = [];
  for (const segment of encoded) {
    try {
      segments.push(decodeURIComponent(segment));
    } catch {
      return null; // a malformed escape such as "%zz"
    }
  }
  return targetOf(segments);
}

/** The repository a stored or submitted spelling names (its page's target), or null. */
export function repoTargetOf(repo: string): RepoTarget | null {
  const path = repoHistoryPath(repo);
  return path ? repoFromHistorySegments(path.slice("/r/".length).split("/")) : null;
}

function targetOf(segments: readonly string[]): RepoTarget | null {
  if (segments.length === 1 && EXAMPLE.test(segments[0])) return { repo: segments[0], spellings: [segments[0]] };
  const [first, ...others] = segments;
  const explicit = SCHEMES.find((scheme) => first === `${scheme}:`);
  const scheme = explicit ?? "https";
  const parts = explicit ? others : segments;
  // A remote needs a host and a path; a local path at least one segment.
  if (parts.length < (scheme === "file" ? 1 : 2) || !parts.every(isPlainSegment)) return null;
  if (scheme !== "file" && !/^[^:]+(:\d{1,5})?$/.test(parts[0])) return null;

  const joined = parts.join("/");
  const repo = scheme === "file" ? `file:///${joined}` : `${scheme}://${joined}`;
  const bases = scheme === "file" ? [repo, `/${joined}`] : [repo];
  const spellings = bases.flatMap((base) => [base, `${base}.git`, `${base}/`, `${base}.git/`]);
  return { repo, spellings };
}

function trimRepoPath(path: string): string {
  return path.replace(/\/+$/, "").replace(/\.git$/, "");
}

// "." and ".." would be resolved away by the browser; empty ones would vanish.
function isPlainSegment(segment: string): boolean {
  return segment !== "" && segment !== "." && segment !== ".." && !/[/\\\s\p{Cc}]/u.test(segment);
}

function encodeSegment(segment: string): string {
  return encodeURIComponent(segment).replace(/%3A/gi, ":");
}
