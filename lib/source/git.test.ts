// cloneRepo against a real git daemon on loopback: refs, failures, limits, and a hostile
// repository whose hooks and submodules must not run.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UserError } from "@/lib/errors";
import { startGitServer, type GitServer } from "@/lib/testing/git-server";
import { cloneRepo, lastGitMessage, pinnedTransport, type CloneOptions } from "./git";
import type { CloneSource } from "./url-policy";

const limits: CloneOptions = { timeoutMs: 30_000, maxBytes: 50_000_000, allowLocal: false };
// Every fixture is on loopback, named by its address: pinned to the address in its URL.
const remote = (url: string): CloneSource => ({ kind: "remote", url, host: "127.0.0.1", addresses: ["127.0.0.1"] });

let server: GitServer;
let work: string;
let silentServer: net.Server;
let silentUrl: string;
const silentSockets = new Set<net.Socket>();
const repos: Record<string, { url: string; commits: string[] }> = {};

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), "slimstage-clone-test-"));
  server = await startGitServer();
  repos.app = await server.createRepo("app", { "go.mod": "module example.com/app\n", "main.go": "package main\n" }, {
    tags: ["v1.0.0"],
    extraCommits: [{ "main.go": "package main // v2\n" }],
  });
  repos.branches = await server.createRepo("branches", { "README.md": "trunk\n" }, { branch: "trunk" });
  repos.big = await server.createRepo("big", { "blob.bin": randomBytes(2_400_000).toString("base64") });
  // Accepts connections and never answers: a server that hangs.
  silentServer = net.createServer((socket) => silentSockets.add(socket));
  await new Promise<void>((resolve) => silentServer.listen(0, "127.0.0.1", resolve));
  silentUrl = `git://127.0.0.1:${(silentServer.address() as net.AddressInfo).port}/hang`;
}, 60_000);

afterAll(async () => {
  await server?.stop();
  for (const socket of silentSockets) socket.destroy();
  await new Promise((resolve) => silentServer?.close(resolve));
  await rm(work, { recursive: true, force: true });
});

let destCount = 0;
const freshDest = () => path.join(work, `dest-${++destCount}`);

async function outcome(run: Promise<{ commit: string }>): Promise<{ commit: string } | { code: string; field?: string }> {
  try {
    return await run;
  } catch (error) {
    if (error instanceof UserError) return { code: error.code, field: error.field };
    throw error;
  }
}

describe("cloneRepo", () => {
  it.each([
    ["the default branch", "app", null, "app@1", "package main // v2\n"],
    ["a tag", "app", "v1.0.0", "app@1", "package main // v2\n"],
    ["a branch by name", "branches", "trunk", "branches@0", null],
    ["an older commit by full SHA", "app", "app@0", "app@0", "package main\n"],
    ["an older commit by abbreviated SHA (full fetch fallback)", "app", "app@0:8", "app@0", "package main\n"],
  ])("checks out %s", async (_name, repo, ref, expected, mainGo) => {
    const resolve = (spec: string) => {
      const [name, rest] = spec.split("@");
      const [index, length] = rest.split(":").map(Number);
      return repos[name].commits[index].slice(0, length || 40);
    };
    const dest = freshDest();
    const result = await cloneRepo(remote(repos[repo].url), ref && ref.includes("@") ? resolve(ref) : ref, dest, limits);
    expect(result.commit).toBe(resolve(expected));
    if (mainGo) expect(await readFile(path.join(dest, "main.go"), "utf8")).toBe(mainGo);
  });

  it.each([
    ["an unknown branch", () => repos.app.url, "no-such-branch", limits, "UNKNOWN_REF", "ref"],
    ["an unknown commit", () => repos.app.url, "deadbeefdeadbeef", limits, "UNKNOWN_REF", "ref"],
    ["a nonexistent repository", () => `${server.baseUrl}/missing`, null, limits, "CLONE_FAILED", "repo"],
    ["a closed port", () => "git://127.0.0.1:1/x", null, limits, "CLONE_FAILED", "repo"],
    ["a tiny time limit", () => repos.app.url, null, { ...limits, timeoutMs: 1 }, "CLONE_TIMEOUT", "repo"],
    ["a server that never answers", () => silentUrl, null, { ...limits, timeoutMs: 1500 }, "CLONE_TIMEOUT", "repo"],
    ["a repository over the size limit", () => repos.big.url, null, { ...limits, maxBytes: 1_000_000 }, "REPO_TOO_LARGE", "repo"],
    ["an invalid ref", () => repos.app.url, "--upload-pack=touch /tmp/x", limits, "INVALID_REF", "ref"],
  ])("refuses %s", async (_name, url, ref, options, code, field) => {
    const started = Date.now();
    expect(await outcome(cloneRepo(remote(url()), ref, freshDest(), options))).toEqual({ code, field });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("names git's reason when the repository cannot be fetched", async () => {
    await expect(cloneRepo(remote(`${server.baseUrl}/missing`), null, freshDest(), limits)).rejects.toThrow(/not exported/);
  });

  it("stops when the signal aborts, with the signal's reason", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("canceled by the user")), 300);
    await expect(cloneRepo(remote(silentUrl), null, freshDest(), { ...limits, signal: controller.signal })).rejects.toThrow("canceled by the user");
  });

  it.each([
    ["refused unless local repositories are allowed", false, { code: "LOCAL_REPO_NOT_ALLOWED", field: "repo" }],
    ["cloned when they are", true, "app@1"],
  ] as const)("a local path is %s", async (_name, allowLocal, expected) => {
    const source = freshDest();
    await cloneRepo(remote(repos.app.url), null, source, limits);
    const result = await outcome(cloneRepo({ kind: "local", path: source }, null, freshDest(), { ...limits, allowLocal }));
    expect(result).toEqual(typeof expected === "string" ? { commit: repos.app.commits[1] } : expected);
  });
});

describe("a hostile repository", () => {
  const run = promisify(execFile);

  it.each([
    // The control: plain git with a developer's config (relative hooksPath, recursive
    // submodules, ext:: allowed) runs the repository's hook, proving the fixture is live.
    ["plain git clone with a permissive user config", true],
    ["cloneRepo, under the same user config", false],
  ])("%s runs hooks: %s", async (name, runsHooks) => {
    const dir = await mkdtemp(path.join(work, "hostile-"));
    const marker = path.join(dir, "hook-ran");
    const subMarker = path.join(dir, "submodule-ran");
    const hook = `#!/bin/sh\ntouch ${marker}\n`;
    const repo = await server.createRepo(path.basename(dir), { ".githooks/post-checkout": hook, "hooks/post-checkout": hook, "main.go": "package main\n" }, {
      submodules: { "vendor/evil": `ext::sh -c touch% ${subMarker}` },
    });
    const userConfig = path.join(dir, "gitconfig");
    await writeFile(userConfig, '[core]\n\thooksPath = .githooks\n[submodule]\n\trecurse = true\n[protocol "ext"]\n\tallow = always\n');
    const saved = { GIT_CONFIG_GLOBAL: process.env.GIT_CONFIG_GLOBAL };
    process.env.GIT_CONFIG_GLOBAL = userConfig;
    const dest = path.join(dir, "checkout");
    try {
      if (runsHooks) await run("git", ["clone", "-q", repo.url, dest]).catch(() => undefined);
      else await cloneRepo(remote(repo.url), null, dest, limits);
    } finally {
      if (saved.GIT_CONFIG_GLOBAL === undefined) delete process.env.GIT_CONFIG_GLOBAL;
      else process.env.GIT_CONFIG_GLOBAL = saved.GIT_CONFIG_GLOBAL;
    }
    const exists = (file: string) => stat(file).then(() => true, () => false);
    expect(await exists(marker), name).toBe(runsHooks);
    if (!runsHooks) {
      expect(await exists(subMarker)).toBe(false);
      expect(await readdir(path.join(dest, "vendor/evil"))).toEqual([]);
      expect(await readFile(path.join(dest, "hooks/post-checkout"), "utf8")).toBe(hook);
    }
  });
});

describe("pinnedTransport", () => {
  const pinned = (url: string, host: string, addresses: string[]) => ({ kind: "remote" as const, url, host, addresses });
  const resolveFlag = (value: string) => ["-c", `http.curloptResolve=${value}`];

  it.each([
    ["https: curl is told the address for the default port", pinned("https://github.com/o/r", "github.com", ["140.82.112.3"]), "https://github.com/o/r", resolveFlag("github.com:443:140.82.112.3")],
    ["http on its default port", pinned("http://h.example/o/r", "h.example", ["8.8.8.8"]), "http://h.example/o/r", resolveFlag("h.example:80:8.8.8.8")],
    ["https on port 80, every address, IPv6 in brackets", pinned("https://h.example:80/r", "h.example", ["8.8.8.8", "2606:4700::1111"]), "https://h.example:80/r", resolveFlag("h.example:80:8.8.8.8,[2606:4700::1111]")],
    ["git: the URL names the address", pinned("git://h.example/a/b.git", "h.example", ["8.8.8.8", "8.8.4.4"]), "git://8.8.8.8/a/b.git", []],
    ["git with a port", pinned("git://h.example:9418/x", "h.example", ["8.8.8.8"]), "git://8.8.8.8:9418/x", []],
    ["git to an IPv6 address", pinned("git://h.example:9418/x", "h.example", ["2606:4700::1111"]), "git://[2606:4700::1111]:9418/x", []],
    ["an IPv4 literal needs no pin", pinned("https://8.8.8.8/x", "8.8.8.8", ["8.8.8.8"]), "https://8.8.8.8/x", []],
    ["an IPv6 literal needs no pin", pinned("git://[2606:4700::1111]:9418/x", "2606:4700::1111", ["2606:4700::1111"]), "git://[2606:4700::1111]:9418/x", []],
  ])("%s", (_name, remote, url, config) => {
    expect(pinnedTransport(remote)).toEqual({ url, config });
  });

  it("refuses a remote nobody checked", () => {
    expect(() => pinnedTransport(pinned("https://h.example/x", "h.example", []))).toThrow(/No checked address/);
  });
});

describe("lastGitMessage", () => {
  it.each([
    ["keeps git's fatal line and the detail under it", "fatal: unable to connect to h:\nh[0: 1.2.3.4]: errno=Connection refused\n", "unable to connect to h: h[0: 1.2.3.4]: errno=Connection refused"],
    ["prefers git's line over the server's", "remote: visit evil.example\nfatal: repository not found\n", "repository not found"],
    ["strips terminal escapes and control characters", "fatal: bad \u001b[31mred\u001b[0m\u0007 thing", "bad red thing"],
    ["drops credentials from URLs", "fatal: unable to access 'https://user:pw@h/x/': 403", "unable to access 'https://h/x/': 403"],
    ["falls back to the last line", "something odd\n", "something odd"],
    ["says so when git printed nothing", "", "git exited without a message"],
  ])("%s", (_name, stderr, expected) => {
    expect(lastGitMessage(stderr)).toBe(expected);
  });
});
