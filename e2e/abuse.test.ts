// The abuse suite: bad submissions through the real API, each answered with a specific
// 4xx code and nothing stored. (Policy details are table-tested in
// lib/source/url-policy.test.ts; failures found only after cloning — a non-Go
// repository, an unknown ref, a repository over the size limit — in the engine tests,
// e2e/repositories.test.ts and lib/source/git.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "./app-server";

let app: AppServer;

beforeAll(async () => {
  app = await startAppServer({ SLIMSTAGE_WORKER: "off", SLIMSTAGE_RATE_LIMIT: "1000" });
});
afterAll(async () => {
  await app?.stop();
});

const ok = "https://example.com/owner/repo.git";
const long = (n: number) => "a".repeat(n);

// [name, body, status, code, field]
const cases: Array<[string, unknown, number, string, string | undefined]> = [
  // Server-side request forgery: addresses that are not the internet.
  ["loopback", { repo: "http://127.0.0.1/x/y.git" }, 422, "FORBIDDEN_HOST", "repo"],
  ["loopback elsewhere in 127/8", { repo: "http://127.1.2.3/x/y.git" }, 422, "FORBIDDEN_HOST", "repo"],
  ["localhost by name", { repo: "http://localhost/x/y.git" }, 422, "FORBIDDEN_HOST", "repo"],
  ["a name under localhost", { repo: "http://repo.localhost/x/y.git" }, 422, "FORBIDDEN_HOST", "repo"],
  ["a private 10/8 address", { repo: "https://10.0.0.5/x/y.git" }, 422, "FORBIDDEN_HOST", "repo"],
  ["a private 172.16/12 address", { repo: "https://172.20.1.1/x/y.git" }, 422, "FORBIDDEN_HOST", "repo"],
  ["a private 192.168/16 address", { repo: "git://192.168.1.10/x/y.git" }, 422, "FORBIDDEN_HOST", "repo"],
  ["the cloud metadata address", { repo: "http://169.254.169.254/latest/meta-data" }, 422, "FORBIDDEN_HOST", "repo"],
  ["IPv6 loopback", { repo: "http://[::1]/x/y.git" }, 422, "FORBIDDEN_HOST", "repo"],
  ["IPv4-mapped IPv6 loopback", { repo: "http://[::ffff:127.0.0.1]/x/y.git" }, 422, "FORBIDDEN_HOST", "repo"],
  ["IPv6 link-local", { repo: "http://[fe80::1]/x/y.git" }, 422, "FORBIDDEN_HOST", "repo"],
  ["loopback as a decimal number", { repo: "http://2130706433/x/y.git" }, 422, "FORBIDDEN_HOST", "repo"],
  ["loopback in hex", { repo: "http://0x7f000001/x/y.git" }, 422, "FORBIDDEN_HOST", "repo"],
  ["loopback in octal", { repo: "http://0177.0.0.1/x/y.git" }, 422, "FORBIDDEN_HOST", "repo"],
  ["the unspecified address", { repo: "http://0.0.0.0/x/y.git" }, 422, "FORBIDDEN_HOST", "repo"],
  ["a multicast address", { repo: "http://224.0.0.1/x/y.git" }, 422, "FORBIDDEN_HOST", "repo"],
  ["IPv4-translated IPv6 loopback", { repo: "http://[::ffff:0:127.0.0.1]/x/y.git" }, 422, "FORBIDDEN_HOST", "repo"],
  ["6to4 of loopback", { repo: "http://[2002:7f00:1::]/x/y.git" }, 422, "FORBIDDEN_HOST", "repo"],
  ["NAT64 local-use of loopback", { repo: "http://[64:ff9b:1::7f00:1]/x/y.git" }, 422, "FORBIDDEN_HOST", "repo"],
  ["NAT64 of the metadata address", { repo: "http://[64:ff9b::a9fe:a9fe]/x/y.git" }, 422, "FORBIDDEN_HOST", "repo"],
  ["IPv6 site-local", { repo: "http://[fec0::1]/x/y.git" }, 422, "FORBIDDEN_HOST", "repo"],
  ["Teredo", { repo: "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/x/y.git" }, 422, "FORBIDDEN_HOST", "repo"],
  ["the benchmarking range", { repo: "http://198.18.0.1/x/y.git" }, 422, "FORBIDDEN_HOST", "repo"],
  ["the IETF protocol range", { repo: "http://192.0.0.1/x/y.git" }, 422, "FORBIDDEN_HOST", "repo"],
  ["carrier-grade NAT", { repo: "http://100.64.0.1/x/y.git" }, 422, "FORBIDDEN_HOST", "repo"],
  // Transports and option injection.
  ["the ext:: transport", { repo: "ext::sh -c touch% /tmp/pwned" }, 422, "UNSUPPORTED_SCHEME", "repo"],
  ["the fd:: transport", { repo: "fd::17" }, 422, "UNSUPPORTED_SCHEME", "repo"],
  ["the file:: transport", { repo: "file::/etc" }, 422, "UNSUPPORTED_SCHEME", "repo"],
  ["a file:// URL", { repo: "file:///etc/passwd" }, 422, "LOCAL_REPO_NOT_ALLOWED", "repo"],
  ["a local path", { repo: "/var/lib/docker" }, 422, "LOCAL_REPO_NOT_ALLOWED", "repo"],
  ["ssh", { repo: "ssh://git@example.com/x/y.git" }, 422, "UNSUPPORTED_SCHEME", "repo"],
  ["scp-like syntax", { repo: "git@example.com:x/y.git" }, 422, "UNSUPPORTED_SCHEME", "repo"],
  ["--upload-pack", { repo: "--upload-pack=touch /tmp/pwned" }, 422, "OPTION_INJECTION", "repo"],
  ["-oProxyCommand", { repo: "-oProxyCommand=touch /tmp/pwned" }, 422, "OPTION_INJECTION", "repo"],
  ["credentials in the URL", { repo: "https://user:secret@example.com/x/y.git" }, 422, "CREDENTIALS_IN_URL", "repo"],
  ["a newline in the URL", { repo: "https://example.com/x\nRUN curl evil" }, 422, "INVALID_URL", "repo"],
  // Paths and names that reach git, the Dockerfile or the build.
  ["subdir with ..", { repo: ok, subdir: "../../etc" }, 422, "INVALID_SUBDIR", "subdir"],
  ["an absolute subdir", { repo: ok, subdir: "/etc" }, 422, "INVALID_SUBDIR", "subdir"],
  ["a subdir with a newline and RUN", { repo: ok, subdir: "app\nRUN curl evil" }, 422, "INVALID_SUBDIR", "subdir"],
  ["mainPackage with ..", { repo: ok, mainPackage: "../../cmd" }, 422, "INVALID_MAIN_PACKAGE", "mainPackage"],
  ["mainPackage with a newline and RUN", { repo: ok, mainPackage: "./cmd\nRUN curl evil" }, 422, "INVALID_MAIN_PACKAGE", "mainPackage"],
  ["mainPackage with shell characters", { repo: ok, mainPackage: "./cmd;rm -rf /" }, 422, "INVALID_MAIN_PACKAGE", "mainPackage"],
  ["a ref that is an option", { repo: ok, ref: "--upload-pack=evil" }, 422, "INVALID_REF", "ref"],
  ["a ref with ..", { repo: ok, ref: "main/../../x" }, 422, "INVALID_REF", "ref"],
  ["a ref with a newline and RUN", { repo: ok, ref: "main\nRUN curl evil" }, 422, "INVALID_REF", "ref"],
  ["a run argument with a newline", { repo: ok, runArgs: ["a\nb"] }, 422, "INVALID_INPUT", "runArgs.0"],
  ["a run environment name with =", { repo: ok, runEnv: { "A=B": "c" } }, 422, "INVALID_INPUT", undefined],
  // Sizes, shapes and types.
  ["an oversized repo", { repo: `https://example.com/${long(3000)}` }, 422, "INVALID_INPUT", "repo"],
  ["an oversized ref", { repo: ok, ref: long(300) }, 422, "INVALID_INPUT", "ref"],
  ["an oversized subdir", { repo: ok, subdir: long(600) }, 422, "INVALID_INPUT", "subdir"],
  ["too many run arguments", { repo: ok, runArgs: Array(50).fill("x") }, 422, "INVALID_INPUT", "runArgs"],
  ["an unknown field", { repo: ok, privileged: true }, 422, "UNKNOWN_FIELD", "privileged"],
  ["repo as a number", { repo: 42 }, 422, "INVALID_INPUT", "repo"],
  ["repo as an object", { repo: { url: ok } }, 422, "INVALID_INPUT", "repo"],
  ["variants as a string", { repo: ok, variants: "single" }, 422, "INVALID_INPUT", "variants"],
  ["an empty variants list", { repo: ok, variants: [] }, 422, "INVALID_INPUT", "variants"],
  ["null", null, 422, "INVALID_INPUT", undefined],
  ["an unknown example", { repo: "example:../../etc" }, 422, "UNKNOWN_EXAMPLE", "repo"],
];

describe("bad submissions", () => {
  it.each(cases)("%s → %i %s", async (_name, body, status, code, field) => {
    const response = await fetch(`${app.url}/api/comparisons`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const json = (await response.json()) as { error: { code: string; message: string; field?: string } };
    expect(response.status).toBe(status);
    expect(json.error.code).toBe(code);
    if (field) expect(json.error.field).toBe(field);
    expect(json.error.message).not.toMatch(/\bat .+\(.+:\d+:\d+\)/); // no stack trace
  });

  it(`stored none of the ${cases.length} bad submissions, and the server still answers`, async () => {
    expect(await app.testDb.db.comparison.count()).toBe(0);
    expect((await fetch(`${app.url}/api/health`)).status).toBeLessThan(600);
    expect((await fetch(`${app.url}/`)).status).toBe(200);
  });
});
