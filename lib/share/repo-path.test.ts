import { describe, expect, it } from "vitest";
import { repoFromHistorySegments, repoHistoryPath, repoTargetOf } from "./repo-path";

// What Next.js 16 hands the page for a path: its segments, still percent-encoded, and
// with ":" encoded too (verified against `next start` in e2e/sharing.test.ts).
const segmentsOf = (path: string) =>
  path.replace(/^\/r\//, "").split("/").map((segment) => segment.replace(/:/g, "%3A"));

describe("repoHistoryPath and back", () => {
  it.each([
    ["https://github.com/owner/name", "/r/github.com/owner/name", "https://github.com/owner/name"],
    ["https://github.com/owner/name.git", "/r/github.com/owner/name", "https://github.com/owner/name"],
    ["https://github.com/owner/name/", "/r/github.com/owner/name", "https://github.com/owner/name"],
    ["https://gitlab.example.com/group/sub/name", "/r/gitlab.example.com/group/sub/name", "https://gitlab.example.com/group/sub/name"],
    ["http://git.local/x", "/r/http:/git.local/x", "http://git.local/x"],
    ["git://127.0.0.1:9418/fixtures/monorepo.git", "/r/git:/127.0.0.1:9418/fixtures/monorepo", "git://127.0.0.1:9418/fixtures/monorepo"],
    ["https://host:8443/a/b", "/r/host:8443/a/b", "https://host:8443/a/b"],
    ["file:///srv/git/app.git", "/r/file:/srv/git/app", "file:///srv/git/app"],
    ["/srv/git/app", "/r/file:/srv/git/app", "file:///srv/git/app"],
    ["example:loadlocation", "/r/example:loadlocation", "example:loadlocation"],
    ["https://host/a%20b/ü", "/r/host/a%2520b/%C3%BC", "https://host/a%20b/ü"],
  ])("%s → %s", (repo, path, canonical) => {
    expect(repoHistoryPath(repo)).toBe(path);
    const target = repoFromHistorySegments(segmentsOf(path));
    expect(target?.repo).toBe(canonical);
    expect(target?.spellings).toContain(repo);
    // The history API's ?repo= names the same repository as the page's path.
    expect(repoTargetOf(repo)).toEqual(target);
  });

  it.each([
    ["not a URL", "github.com/owner/name"],
    ["an unknown scheme", "ssh://host/x"],
    ["a path that a browser would resolve", "https://host/a/../b"],
    ["an empty segment", "https://host//x"],
    ["a host alone", "https://host"],
    ["an example with a bad name", "example:Bad_Name"],
    ["an IPv6 host", "https://[::1]/x"],
  ])("has no page for %s", (_name, repo) => {
    expect(repoHistoryPath(repo)).toBeNull();
    expect(repoTargetOf(repo)).toBeNull();
  });

  it("looks up every spelling of one repository", () => {
    expect(repoFromHistorySegments(["github.com", "owner", "name"])?.spellings).toEqual([
      "https://github.com/owner/name",
      "https://github.com/owner/name.git",
      "https://github.com/owner/name/",
      "https://github.com/owner/name.git/",
    ]);
    expect(repoFromHistorySegments(["file%3A", "srv", "app"])?.spellings).toContain("/srv/app.git");
  });

  it.each([
    ["nothing", []],
    ["a scheme alone", ["git%3A"]],
    ["a host without a path", ["github.com"]],
    ["a host that is not one", ["a%3Ab", "x"]],
    ["a segment with an encoded slash in it", ["github.com", "owner%2Fname"]],
    ["an encoded dot segment", ["github.com", "%2E%2E"]],
    ["a malformed escape", ["github.com", "owner", "%zz"]],
  ])("rejects %s", (_name, segments) => {
    expect(repoFromHistorySegments(segments)).toBeNull();
  });
});
