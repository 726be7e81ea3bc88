// The form's checks against the server's: for every input, the browser says what the
// server would say (with its most permissive policy), or leaves it to the server.
import { describe, expect, it } from "vitest";
import { UserError } from "@/lib/errors";
import { parseRepo, validateMainPackage, validateRef, validateSubdir } from "@/lib/source/url-policy";
import { checkRef, checkRelative, checkRepo, submissionBody, validateSubmission } from "./client-validation";

const permissive = { allowLocal: true, allowPrivateHosts: true };
const strict = { allowLocal: false, allowPrivateHosts: false };

function serverMessage(run: () => unknown): string | null {
  try {
    run();
    return null;
  } catch (error) {
    if (error instanceof UserError) return error.message;
    throw error;
  }
}

describe("checkRepo", () => {
  it.each([
    // [input, what the form says (null: sends it)]
    ["https://github.com/owner/repo", null],
    ["https://github.com/owner/repo.git", null],
    ["http://example.com:8080/a/b/", null],
    ["git://example.com/repo", null],
    ["HTTPS://github.com/owner/repo", null],
    ["https://[2001:db8::1]/r", null],
    ["example:hello", null],
    ["example:load-location2", null],
    ["", /^Enter a repository URL/],
    ["x".repeat(2049), /longer than 2048/],
    ["example:", /no bundled example called ""/],
    ["example:Hello", /no bundled example called "Hello"/],
    ["example:../etc", /no bundled example/],
    ["ssh://x/y", /"ssh:\/\/" URLs are not supported/],
    ["ftp://host/repo", /"ftp:\/\/" URLs are not supported/],
    ["git@github.com:owner/repo.git", /SSH addresses .* https:\/\/github.com\/owner\/repo.git/],
    ["github.com:owner/repo", /SSH addresses/],
    ["github.com/owner/repo", /starting with https:\/\/, e.g. https:\/\/github.com\/owner\/repo/],
    ["https:github.com/owner/repo", /"\:\/\/" after the scheme/],
    ["-uhttps://x/y", /cannot start with "-"/],
    ["--upload-pack=touch /tmp/x", /cannot start with "-"/],
    ["ext::sh -c touch% /tmp/pwned", /Transport helpers \("ext::"\)/],
    ["https://github.com/owner/repo name", /spaces/],
    ["https://github.com/owner/repo\n", /line breaks/],
    ["https://github.com/o\u200Bwner/repo", /control characters/],
    ["https:\\\\github.com\\owner", /backslashes/],
    ["https://user:pass@github.com/o/r", /user name or password/],
    ["https://token@github.com/o/r", /user name or password/],
    ["https://github.com/o/r?x=1", /query/],
    ["https://github.com/o/r#main", /fragment/],
    ["https://github.com", /Add the repository path/],
    ["https://github.com/", /Add the repository path/],
    ["https://-oProxyCommand=x/r", /host name cannot start with "-"/],
    ["https://github.com/-o/r", /path cannot start with "-"/],
    ["https://exa mple.com/r", /spaces/],
    ["https://%zz/r", /is not a valid URL/],
  ])("%j", (input, expected) => {
    const message = checkRepo(input);
    if (expected === null) {
      expect(message).toBeNull();
      if (!input.startsWith("example:")) expect(serverMessage(() => parseRepo(input, permissive))).toBeNull();
    } else {
      expect(message).toMatch(expected);
      // The same words as the server, so the page reads the same either way.
      if (!input.startsWith("example:")) expect(serverMessage(() => parseRepo(input, permissive))).toBe(message);
    }
  });

  it.each([
    ["a local path", "/srv/git/repo"],
    ["a file URL", "file:///srv/git/repo"],
    ["a loopback host", "http://127.0.0.1/r"],
    ["localhost", "http://localhost:9418/r"],
    ["a private address", "https://10.0.0.8/r"],
  ])("leaves %s to the server's policy", (_name, input) => {
    expect(checkRepo(input)).toBeNull();
    expect(serverMessage(() => parseRepo(input, permissive))).toBeNull();
    expect(serverMessage(() => parseRepo(input, strict))).not.toBeNull();
  });
});

describe("checkRef", () => {
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
  ])("%j ok=%s, as the server says", (ref, ok) => {
    const message = checkRef(ref);
    expect(message === null).toBe(ok);
    expect(message).toBe(serverMessage(() => validateRef(ref)));
  });
});

describe("checkRelative", () => {
  it.each([
    ["services/api", true],
    ["./cmd/server", true],
    ["cmd//x/", true],
    [".", true],
    ["./", true],
    ["a_b-c.d", true],
    ["/abs", false],
    ["../up", false],
    ["a/../b", false],
    ["-x", false],
    ["a/-x", false],
    ["a b", false],
    ["a;rm", false],
    ["a\\b", false],
    ["é", false],
    ["x".repeat(256), false],
  ])("%j ok=%s, as the server says for subdir and mainPackage", (value, ok) => {
    const subdir = checkRelative(value, "the subdirectory", "services/api");
    const mainPackage = checkRelative(value, "the main package", "./cmd/server");
    expect(subdir === null).toBe(ok);
    expect(subdir).toBe(serverMessage(() => validateSubdir(value)));
    expect(mainPackage).toBe(serverMessage(() => validateMainPackage(value)));
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
