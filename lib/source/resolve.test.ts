// DNS rebinding, against real git: the host is resolved once, by the policy, and the clone
// connects to that answer. The host is a made-up name no DNS knows, so a clone that asked
// DNS itself would fail (the control shows it does); a second lookup would answer an
// address where nothing listens, and is never asked. Served over git:// (git daemon) and
// over http (git http-backend behind a loopback HTTP server that records the Host header).
import { execFile, spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import type net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UserError } from "@/lib/errors";
import { startGitServer, type GitServer } from "@/lib/testing/git-server";
import { makeSourceResolver } from "./resolve";
import type { HostLookup } from "./url-policy";

const examplesDir = path.join(process.cwd(), "examples");

const run = promisify(execFile);
const gitEnv = { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null", GIT_TERMINAL_PROMPT: "0" };
const NAME = "pinned.slimstage.invalid";
const files = { "go.mod": "module example.com/pinned\n", "main.go": "package main // pinned\n" };

let work: string;
let daemon: GitServer;
let daemonRepo: { url: string; commits: string[] };
let httpServer: http.Server;
let httpPort: number;
let httpCommit: string;
const hostHeaders: string[] = [];

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), "slimstage-pin-test-"));
  daemon = await startGitServer();
  daemonRepo = await daemon.createRepo("app", files);
  const repo = path.join(work, "served", "app");
  await mkdir(repo, { recursive: true });
  const git = (...args: string[]) => run("git", ["-c", "user.name=t", "-c", "user.email=t@t.invalid", ...args], { cwd: repo, env: gitEnv });
  await git("init", "-q", "-b", "main");
  for (const [name, content] of Object.entries(files)) await writeFile(path.join(repo, name), content);
  await git("add", "-A");
  await git("commit", "-q", "-m", "one");
  httpCommit = (await git("rev-parse", "HEAD")).stdout.trim();
  httpServer = http.createServer((request, response) => {
    hostHeaders.push(request.headers.host ?? "");
    gitHttpBackend(path.join(work, "served"), request, response);
  });
  await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
  httpPort = (httpServer.address() as net.AddressInfo).port;
}, 60_000);

afterAll(async () => {
  await daemon?.stop();
  await new Promise((resolve) => httpServer?.close(resolve));
  await rm(work, { recursive: true, force: true });
});

// The first answer is the daemon's loopback address; any later one leads nowhere.
function rebindingLookup(first: string): HostLookup & { calls: string[] } {
  const calls: string[] = [];
  const lookup = async (hostname: string) => {
    calls.push(hostname);
    return [{ address: calls.length === 1 ? first : "127.0.0.2", family: 4 }];
  };
  return Object.assign(lookup, { calls });
}

const policy = { allowLocal: false, allowPrivateHosts: true };
const limits = { timeoutMs: 20_000, maxBytes: 10_000_000 };

describe("a clone is pinned to the address the policy checked", () => {
  it.each([
    ["git://", () => daemonRepo.url.replace("127.0.0.1", NAME), () => daemonRepo.commits[0]],
    ["http://", () => `http://${NAME}:${httpPort}/app`, () => httpCommit],
  ])("over %s", async (_name, url, commit) => {
    const lookup = rebindingLookup("127.0.0.1");
    const before = hostHeaders.length;
    const source = await makeSourceResolver({ policy, limits, lookup, examplesDir })({ repo: url(), ref: null, subdir: null });
    try {
      expect(source.commit).toBe(commit());
      expect(await readFile(path.join(source.dir, "main.go"), "utf8")).toBe(files["main.go"]);
    } finally {
      await source.cleanup();
    }
    expect(lookup.calls).toEqual([NAME]);
    // http keeps the name for the Host header (virtual hosts, TLS) while connecting to the address.
    if (url().startsWith("http:")) expect(hostHeaders.slice(before)).toContain(`${NAME}:${httpPort}`);
  });

  it("control: git alone cannot reach the made-up name", async () => {
    const failed = await run("git", ["ls-remote", daemonRepo.url.replace("127.0.0.1", NAME)], { env: gitEnv }).then(
      () => false,
      () => true,
    );
    expect(failed).toBe(true);
  });

  it("refuses a name whose one answer is private, without cloning", async () => {
    const lookup = rebindingLookup("127.0.0.1");
    const strict = { allowLocal: false, allowPrivateHosts: false };
    const outcome = await makeSourceResolver({ policy: strict, limits, lookup, examplesDir })({ repo: `http://${NAME}:${httpPort}/app`, ref: null, subdir: null }).then(
      () => null,
      (error: UserError) => error.code,
    );
    expect(outcome).toBe("FORBIDDEN_HOST");
    expect(lookup.calls).toEqual([NAME]);
  });
});

// Just enough CGI to run git's smart-HTTP server: request line and headers in, headers and body out.
function gitHttpBackend(root: string, request: http.IncomingMessage, response: http.ServerResponse): void {
  const url = new URL(request.url ?? "/", "http://x");
  const cgi = spawn("git", ["http-backend"], {
    env: {
      ...gitEnv,
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: "1",
      PATH_INFO: url.pathname,
      QUERY_STRING: url.search.slice(1),
      REQUEST_METHOD: request.method ?? "GET",
      CONTENT_TYPE: request.headers["content-type"] ?? "",
      HTTP_CONTENT_ENCODING: request.headers["content-encoding"] ?? "",
      GIT_PROTOCOL: String(request.headers["git-protocol"] ?? ""),
      REMOTE_ADDR: "127.0.0.1",
    },
    stdio: ["pipe", "pipe", "ignore"],
  });
  request.pipe(cgi.stdin);
  let head = Buffer.alloc(0);
  let started = false;
  cgi.stdout.on("data", (chunk: Buffer) => {
    if (started) return void response.write(chunk);
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf("\r\n\r\n");
    if (end < 0) return;
    started = true;
    let status = 200;
    for (const line of head.subarray(0, end).toString().split("\r\n")) {
      const [name, ...value] = line.split(":");
      if (name.toLowerCase() === "status") status = Number.parseInt(value.join(":").trim(), 10);
      else response.setHeader(name, value.join(":").trim());
    }
    response.writeHead(status);
    response.write(head.subarray(end + 4));
  });
  cgi.on("close", () => response.end());
}
