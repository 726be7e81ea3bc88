// Fetches one commit of an untrusted repository into a directory with real git, under a
// time and size limit. Every git call is hardened: only the network transports we allow
// (file:// only when configured), no hooks, no submodules, no redirects, no prompts, and
// none of the machine's git configuration, so a repository can make git do nothing but
// download and write files. git never resolves the host itself: it connects to the
// addresses the URL policy checked (see pinnedTransport).
import { spawn } from "node:child_process";
import { lstat, mkdtemp, readdir, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { UserError } from "@/lib/errors";
import { validateRef, type CloneSource, type PinnedRemote } from "./url-policy";

export interface CloneOptions {
  timeoutMs: number;
  maxBytes: number;
  allowLocal: boolean;
  signal?: AbortSignal;
}

interface Session {
  dest: string;
  env: Record<string, string>;
  config: string[];
  deadline: number;
  options: CloneOptions;
  label: string;
}

interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

const SIZE_POLL_MS = 500;
const MAX_CAPTURE = 64 * 1024;
// Names only a proxy or a private CA setup needs; everything else of ours stays out of git's reach.
const PASSED_ENV = ["PATH", "http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "no_proxy", "NO_PROXY", "ALL_PROXY", "SSL_CERT_FILE", "SSL_CERT_DIR"];

/**
 * Clones `ref` (a branch, tag or commit SHA; the default branch when null) into `dest` and
 * returns the checked-out commit. On failure `dest` may hold partial data: the caller removes it.
 */
export async function cloneRepo(location: CloneSource, ref: string | null, dest: string, options: CloneOptions): Promise<{ commit: string }> {
  if (location.kind === "local" && !options.allowLocal) {
    throw new UserError("LOCAL_REPO_NOT_ALLOWED", "Local repositories are not allowed on this server.", "invalid", "repo");
  }
  if (ref !== null) validateRef(ref);
  options.signal?.throwIfAborted();
  const transport = location.kind === "remote" ? pinnedTransport(location) : { url: location.path, config: [] };
  const home = await mkdtemp(path.join(os.tmpdir(), "slimstage-git-home-"));
  const session: Session = {
    dest: path.resolve(dest),
    env: gitEnv(home),
    config: [...hardening(options.allowLocal), ...transport.config],
    deadline: Date.now() + options.timeoutMs,
    options,
    label: location.kind === "remote" ? location.url : location.path,
  };
  try {
    await mustRun(session, ["init", "-q", "--template=", "--", session.dest], os.tmpdir());
    await mustRun(session, ["remote", "add", "origin", "--", transport.url]);
    const target = await fetchRef(session, ref);
    await checkSize(session);
    await mustRun(session, ["checkout", "-q", "--detach", target, "--"]);
    await checkSize(session);
    const head = await mustRun(session, ["rev-parse", "--verify", "HEAD^{commit}"]);
    return { commit: head.stdout.trim() };
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

/** Fetches what `ref` names, shallowly when git can; returns what to check out. */
async function fetchRef(session: Session, ref: string | null): Promise<string> {
  const flags = ["fetch", "-q", "--no-tags", "--no-recurse-submodules"];
  const shallow = await runGit(session, [...flags, "--depth", "1", "--", "origin", ref ?? "HEAD"]);
  if (shallow.code === 0) return "FETCH_HEAD";
  if (!refMissing(shallow.stderr)) throw cloneFailed(session, shallow.stderr);
  if (ref === null) {
    throw new UserError("CLONE_FAILED", `${session.label} has no default branch; is the repository empty?`, "invalid", "repo");
  }
  // A commit SHA the server will not serve directly (or an abbreviated one): fetch every
  // branch and tag, then look for it locally.
  if (!/^[0-9a-f]{4,40}$/i.test(ref)) throw unknownRef(session, ref);
  await mustRun(session, [...flags, "--", "origin", "+refs/heads/*:refs/remotes/origin/*", "+refs/tags/*:refs/tags/*"]);
  const found = await runGit(session, ["rev-parse", "-q", "--verify", `${ref}^{commit}`]);
  if (found.code !== 0) throw unknownRef(session, ref);
  return found.stdout.trim();
}

const DEFAULT_PORTS: Record<string, number> = { "https:": 443, "http:": 80, "git:": 9418 };
const bracketed = (address: string) => (net.isIPv6(address) ? `[${address}]` : address);

/**
 * How git reaches a checked remote without asking DNS again (a second answer could be a
 * private address: DNS rebinding). http(s): curl is told the host's addresses
 * (http.curloptResolve), so TLS and the Host header still use the name. git://: has no such
 * setting, so the URL names the address itself. An IP literal needs neither. (A proxy from
 * http_proxy resolves the name itself: running behind one is the operator's choice.)
 */
export function pinnedTransport(remote: PinnedRemote): { url: string; config: string[] } {
  if (remote.addresses.length === 0) throw new Error(`No checked address for ${remote.host}`);
  if (net.isIP(remote.host) !== 0) return { url: remote.url, config: [] };
  const parsed = new URL(remote.url);
  const port = parsed.port === "" ? DEFAULT_PORTS[parsed.protocol] : Number(parsed.port);
  if (parsed.protocol === "git:") {
    const authority = `${bracketed(remote.addresses[0])}${parsed.port === "" ? "" : `:${parsed.port}`}`;
    return { url: remote.url.replace(/^git:\/\/[^/]+/, `git://${authority}`), config: [] };
  }
  const resolve = `${remote.host}:${port}:${remote.addresses.map(bracketed).join(",")}`;
  return { url: remote.url, config: ["-c", `http.curloptResolve=${resolve}`] };
}

function refMissing(stderr: string): boolean {
  return /couldn't find remote ref|not our ref|unadvertised object|no such remote ref/i.test(stderr);
}

function hardening(allowLocal: boolean): string[] {
  const settings = [
    "protocol.allow=never",
    "protocol.https.allow=always",
    "protocol.http.allow=always",
    "protocol.git.allow=always",
    `protocol.file.allow=${allowLocal ? "always" : "never"}`,
    "core.hooksPath=/dev/null",
    "core.symlinks=true",
    "core.fsmonitor=false",
    "submodule.recurse=false",
    "fetch.recurseSubmodules=false",
    "http.followRedirects=false",
    "credential.helper=",
    // Automatic gc would run detached, outliving the time limit and writing after the size check.
    "gc.auto=0",
    "maintenance.auto=false",
    "advice.detachedHead=false",
    "init.defaultBranch=main",
  ];
  return settings.flatMap((setting) => ["-c", setting]);
}

function gitEnv(home: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of PASSED_ENV) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return {
    ...env,
    HOME: home,
    XDG_CONFIG_HOME: home,
    LC_ALL: "C", // messages are matched in English
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_TERMINAL_PROMPT: "0",
    GIT_ASKPASS: "/bin/false", // a failing askpass plus no terminal: a password prompt fails at once
    GIT_PROTOCOL_FROM_USER: "0",
  };
}

async function mustRun(session: Session, args: string[], cwd = session.dest): Promise<GitResult> {
  const result = await runGit(session, args, cwd);
  if (result.code !== 0) throw cloneFailed(session, result.stderr);
  return result;
}

/** Runs git in its own process group, killed as a whole on timeout, size or abort. */
function runGit(session: Session, args: string[], cwd = session.dest): Promise<GitResult> {
  const { options } = session;
  const remaining = session.deadline - Date.now();
  if (remaining <= 0) return Promise.reject(timedOut(session));
  if (options.signal?.aborted) return Promise.reject(options.signal.reason);
  return new Promise((resolve, reject) => {
    // The cast: Next.js types NODE_ENV as always present, and git must not see our environment.
    const env = session.env as NodeJS.ProcessEnv;
    const child = spawn("git", [...session.config, ...args], { cwd, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let stopReason: unknown = null;
    let measuring = false;
    const kill = (reason: unknown) => {
      if (stopReason !== null) return;
      stopReason = reason;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      } catch {
        // already exited
      }
    };
    const onAbort = () => kill(options.signal?.reason ?? new Error("aborted"));
    const timer = setTimeout(() => kill(timedOut(session)), remaining);
    const poll = setInterval(() => {
      if (measuring) return;
      measuring = true;
      void dirSize(session.dest)
        .then((size) => size > options.maxBytes && kill(tooLarge(session)))
        .finally(() => (measuring = false));
    }, SIZE_POLL_MS);
    options.signal?.addEventListener("abort", onAbort, { once: true });
    child.stdout.on("data", (chunk: Buffer) => (stdout = (stdout + chunk.toString()).slice(-MAX_CAPTURE)));
    child.stderr.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-MAX_CAPTURE)));
    const finish = () => {
      clearTimeout(timer);
      clearInterval(poll);
      options.signal?.removeEventListener("abort", onAbort);
    };
    child.once("error", (error) => {
      finish();
      reject(error);
    });
    child.once("close", (code) => {
      finish();
      if (stopReason !== null) reject(stopReason);
      else resolve({ code: code ?? 1, stdout, stderr });
    });
  });
}

async function checkSize(session: Session): Promise<void> {
  if ((await dirSize(session.dest)) > session.options.maxBytes) throw tooLarge(session);
}

async function dirSize(dir: string): Promise<number> {
  // git renames and deletes temporary files while we walk; a vanished entry counts as 0.
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  let total = 0;
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += await dirSize(full);
    else total += (await lstat(full).catch(() => null))?.size ?? 0;
  }
  return total;
}

/** git's own explanation, reduced to one printable line without credentials. */
export function lastGitMessage(stderr: string): string {
  const lines = stderr
    // eslint-disable-next-line no-control-regex
    .replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "")
    .split(/\r?\n|\r/)
    .map((line) => line.replace(/[\p{Cc}\p{Cf}]/gu, "").trim())
    .filter(Boolean);
  // The server controls "remote:" lines, so git's own last fatal/error line (and the detail
  // git prints under it, such as errno) is preferred.
  const start = lines.length - 1 - [...lines].reverse().findIndex((l) => /^(fatal|error):/.test(l));
  const line = start < lines.length ? lines.slice(start).join(" ") : (lines.at(-1) ?? "git exited without a message");
  return line
    .replace(/^(fatal|error):\s*/, "")
    .replace(/\/\/[^/@\s]*@/g, "//")
    .slice(0, 300);
}

function cloneFailed(session: Session, stderr: string): UserError {
  return new UserError("CLONE_FAILED", `Could not fetch ${session.label}: ${lastGitMessage(stderr)}. Check that the URL is right and the repository is public.`, "invalid", "repo");
}

function unknownRef(session: Session, ref: string): UserError {
  return new UserError("UNKNOWN_REF", `${session.label} has no branch, tag or commit named "${ref}".`, "invalid", "ref");
}

function timedOut(session: Session): UserError {
  const seconds = Math.round(session.options.timeoutMs / 100) / 10;
  return new UserError("CLONE_TIMEOUT", `Fetching ${session.label} took longer than ${seconds} s; try a smaller repository or a specific ref.`, "unavailable", "repo");
}

function tooLarge(session: Session): UserError {
  const mb = Math.round(session.options.maxBytes / 1e5) / 10;
  return new UserError("REPO_TOO_LARGE", `${session.label} is larger than the ${mb} MB this server clones; try a smaller repository.`, "invalid", "repo");
}
