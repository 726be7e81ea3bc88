// The shared syntax rules, as the submit form sees them: what each input reads as, or the
// code and words a person gets. (url-policy.test.ts covers the server's use of the same rules.)
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readMainPackage, readRef, readRepo, readSubdir, submissionBody, validateSubmission, type Checked } from "./repo-input";

const outcome = <T>(read: Checked<T>) => (read.ok ? null : read.problem);

describe("readRepo", () => {
  it.each([
    // [input, code and message, or null when the form sends it]
    ["https://github.com/owner/repo", null],
    ["https://github.com/owner/repo.git", null],
    ["http://example.com:8080/a/b/", null],
    ["git://example.com/repo", null],
    ["HTTPS://github.com/owner/repo", null],
    ["https://[2001:db8::1]/r", null],
    ["example:hello", null],
    ["example:load-location2", null],
    ["", ["INVALID_URL", /^Enter a repository URL/]],
    ["x".repeat(2049), ["INVALID_URL", /longer than 2048/]],
    ["example:", ["UNKNOWN_EXAMPLE", /no bundled example called ""/]],
    ["example:Hello", ["UNKNOWN_EXAMPLE", /no bundled example called "Hello"/]],
    ["example:../etc", ["UNKNOWN_EXAMPLE", /no bundled example/]],
    ["ssh://x/y", ["UNSUPPORTED_SCHEME", /"ssh:\/\/" URLs are not supported/]],
    ["ftp://host/repo", ["UNSUPPORTED_SCHEME", /"ftp:\/\/" URLs are not supported/]],
    ["git@github.com:owner/repo.git", ["UNSUPPORTED_SCHEME", /SSH addresses .* https:\/\/github.com\/owner\/repo.git/]],
    ["github.com:owner/repo", ["UNSUPPORTED_SCHEME", /SSH addresses/]],
    ["github.com/owner/repo", ["INVALID_URL", /starting with https:\/\/, e.g. https:\/\/github.com\/owner\/repo/]],
    ["https:github.com/owner/repo", ["INVALID_URL", /"\:\/\/" after the scheme/]],
    ["-uhttps://x/y", ["OPTION_INJECTION", /cannot start with "-"/]],
    ["--upload-pack=touch /tmp/x", ["OPTION_INJECTION", /cannot start with "-"/]],
    ["ext::sh -c touch% /tmp/pwned", ["UNSUPPORTED_SCHEME", /Transport helpers \("ext::"\)/]],
    ["https://github.com/owner/repo name", ["INVALID_URL", /spaces/]],
    ["https://github.com/owner/repo\n", ["INVALID_URL", /line breaks/]],
    ["https://github.com/o\u200Bwner/repo", ["INVALID_URL", /control characters/]],
    ["https:\\\\github.com\\owner", ["INVALID_URL", /backslashes/]],
    ["https://user:pass@github.com/o/r", ["CREDENTIALS_IN_URL", /user name or password/]],
    ["https://token@github.com/o/r", ["CREDENTIALS_IN_URL", /user name or password/]],
    ["https://github.com/o/r?x=1", ["INVALID_URL", /query/]],
    ["https://github.com/o/r#main", ["INVALID_URL", /fragment/]],
    ["https://github.com", ["INVALID_URL", /Add the repository path/]],
    ["https://github.com/", ["INVALID_URL", /Add the repository path/]],
    ["https://-oProxyCommand=x/r", ["OPTION_INJECTION", /host name cannot start with "-"/]],
    ["https://github.com/-o/r", ["OPTION_INJECTION", /path cannot start with "-"/]],
    ["https://exa mple.com/r", ["INVALID_URL", /spaces/]],
    ["https://%zz/r", ["INVALID_URL", /is not a valid URL/]],
    ["https://h.example:99999/r", ["INVALID_URL", /is not a valid URL/]],
    ["file:///srv/%zz", ["INVALID_URL", /not a valid file:\/\/ URL/]],
  ] as const)("%j", (input, expected) => {
    const problem = outcome(readRepo(input));
    if (expected === null) {
      expect(problem).toBeNull();
    } else {
      expect(problem).toEqual({ code: expected[0], message: expect.stringMatching(expected[1]), field: "repo" });
    }
  });

  it.each([
    ["a local path", "/srv/git/repo", { kind: "local", path: "/srv/git/repo" }],
    ["a file URL", "file:///srv/git/my%20repo", { kind: "local", path: "/srv/git/my repo" }],
    ["a loopback host", "http://127.0.0.1/r", { kind: "remote", url: "http://127.0.0.1/r", host: "127.0.0.1" }],
    ["localhost", "http://localhost:9418/r", { kind: "remote", url: "http://localhost:9418/r", host: "localhost" }],
    ["a private address", "https://10.0.0.8/r", { kind: "remote", url: "https://10.0.0.8/r", host: "10.0.0.8" }],
  ])("leaves %s to the server's policy", (_name, input, expected) => {
    expect(readRepo(input)).toEqual({ ok: true, value: expected });
  });
});

describe("readRef", () => {
  it.each([
    ["main", true],
    ["v1.2.0", true],
    ["release/2024-05", true],
    ["0123456789abcdef0123456789abcdef01234567", true],
    ["feature_x", true],
    ["-b", false],
    ["--upload-pack=x", false],
    [".hidden", false],
    ["a..b", false],
    ["a@{1}", false],
    ["a//b", false],
    ["a/.b", false],
    ["a/", false],
    ["a.", false],
    ["a.lock", false],
    ["a b", false],
    ["a~1", false],
    ["a^", false],
    ["a:b", false],
    ["x".repeat(201), false],
  ])("%j ok=%s", (ref, valid) => {
    const problem = outcome(readRef(ref));
    expect(problem === null).toBe(valid);
    if (problem) expect(problem).toEqual({ code: "INVALID_REF", message: expect.stringContaining("not a valid branch, tag or commit"), field: "ref" });
  });
});

describe("readSubdir and readMainPackage", () => {
  it.each([
    ["services/api", "services/api", "./services/api"],
    ["./cmd/server", "cmd/server", "./cmd/server"],
    ["cmd//x/", "cmd/x", "./cmd/x"],
    [".", ".", "."],
    ["./", ".", "."],
    ["a_b-c.d", "a_b-c.d", "./a_b-c.d"],
    ["/abs", null, null],
    ["../up", null, null],
    ["a/../b", null, null],
    ["-x", null, null],
    ["a/-x", null, null],
    ["a b", null, null],
    ["a;rm", null, null],
    ["a\\b", null, null],
    ["é", null, null],
    ["x".repeat(256), null, null],
  ])("%j -> %j / %j", (value, subdir, mainPackage) => {
    const readSub = readSubdir(value);
    const readMain = readMainPackage(value);
    expect(readSub.ok ? readSub.value : readSub.problem.code).toBe(subdir ?? "INVALID_SUBDIR");
    expect(readMain.ok ? readMain.value : readMain.problem.code).toBe(mainPackage ?? "INVALID_MAIN_PACKAGE");
    if (!readSub.ok) expect(readSub.problem).toMatchObject({ field: "subdir", message: expect.stringMatching(/^The subdirectory .*services\/api\.$/) });
    if (!readMain.ok) expect(readMain.problem).toMatchObject({ field: "mainPackage", message: expect.stringMatching(/^The main package .*\.\/cmd\/server\.$/) });
  });
});

describe("validateSubmission", () => {
  const empty = { repo: "", ref: "", subdir: "", mainPackage: "" };

  it("accepts a URL alone, and ignores blank optional fields", () => {
    expect(validateSubmission({ ...empty, repo: " https://github.com/o/r ", ref: "  " })).toEqual({});
  });

  it("names every wrong field", () => {
    const errors = validateSubmission({ repo: "ssh://x/y", ref: "-x", subdir: "../a", mainPackage: "a b" });
    expect(Object.keys(errors).sort()).toEqual(["mainPackage", "ref", "repo", "subdir"]);
    expect(errors.subdir).toMatch(/^The subdirectory/);
    expect(errors.mainPackage).toMatch(/^The main package/);
  });

  it("asks for the repository when it is blank", () => {
    expect(validateSubmission({ ...empty, repo: "   " }).repo).toMatch(/^Enter a repository URL/);
  });
});

describe("submissionBody", () => {
  it("trims and leaves out the blank optional fields", () => {
    expect(submissionBody({ repo: " example:hello ", ref: "", subdir: " cmd ", mainPackage: "  " })).toEqual({
      repo: "example:hello",
      subdir: "cmd",
    });
  });
});

describe("the module", () => {
  it("imports nothing, so the browser bundle can take it", async () => {
    const source = await readFile(path.join(import.meta.dirname, "repo-input.ts"), "utf8");
    expect(source).toContain("export function readRepo");
    expect(source).not.toMatch(/^\s*import\s/m);
    expect(source).not.toMatch(/\brequire\(/);
  });
});
