// A real git server on loopback for tests: `git daemon` serving throwaway repositories
// over git://, so clone code is exercised against the real protocol without a network.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface RepoOptions {
  /** The default branch (HEAD); "main" unless given. */
  branch?: string;
  /** Tags put on the last commit. */
  tags?: string[];
  /** Further commits, each writing these files on top of the previous one. */
  extraCommits?: Array<Record<string, string>>;
  /** Submodules (path -> url) recorded as .gitmodules plus a gitlink, as a hostile repo would. */
  submodules?: Record<string, string>;
}

export interface GitServer {
  baseUrl: string;
  /** Files whose content starts with "#!" are committed executable. */
  createRepo(name: string, files: Record<string, string>, options?: RepoOptions): Promise<{ url: string; commits: string[] }>;
  stop(): Promise<void>;
}

// The developer's own git config (signing, hooks, templates) must not leak into fixtures.
const gitEnv = { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null", GIT_TERMINAL_PROMPT: "0" };
const identity = ["-c", "user.name=Slimstage Test", "-c", "user.email=test@slimstage.invalid", "-c", "commit.gpgsign=false"];

async function git(cwd: string, args: string[]): Promise<string> {
  const { stdout } = await run("git", [...identity, ...args], { cwd, env: gitEnv });
  return stdout.trim();
}

export async function startGitServer(): Promise<GitServer> {
  const root = await mkdtemp(path.join(os.tmpdir(), "slimstage-git-"));
  const { daemon, port } = await startDaemon(root);
  const baseUrl = `git://127.0.0.1:${port}`;

  async function writeFiles(dir: string, files: Record<string, string>): Promise<void> {
    for (const [name, content] of Object.entries(files)) {
      const file = path.join(dir, name);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, content);
      if (content.startsWith("#!")) await chmod(file, 0o755);
    }
  }

  return {
    baseUrl,
    async createRepo(name, files, options = {}) {
      const dir = path.join(root, name);
      await mkdir(dir, { recursive: true });
      await git(dir, ["init", "-q", "-b", options.branch ?? "main"]);
      // Lets clients fetch any commit by SHA, as GitHub and GitLab do.
      await git(dir, ["config", "uploadpack.allowAnySHA1InWant", "true"]);
      await git(dir, ["config", "uploadpack.allowReachableSHA1InWant", "true"]);
      const commits: string[] = [];
      const rounds = [files, ...(options.extraCommits ?? [])];
      for (const [index, round] of rounds.entries()) {
        await writeFiles(dir, round);
        await git(dir, ["add", "-A"]);
        if (index === 0 && options.submodules) await addSubmodules(dir, options.submodules);
        await git(dir, ["commit", "-q", "--allow-empty", "-m", `commit ${index + 1}`]);
        commits.push(await git(dir, ["rev-parse", "HEAD"]));
      }
      for (const tag of options.tags ?? []) await git(dir, ["tag", tag]);
      return { url: `${baseUrl}/${name}`, commits };
    },
    async stop() {
      await stopDaemon(daemon);
      await rm(root, { recursive: true, force: true });
    },
  };
}

async function addSubmodules(dir: string, submodules: Record<string, string>): Promise<void> {
  const lines = Object.entries(submodules).flatMap(([sub, url]) => [`[submodule "${sub}"]`, `\tpath = ${sub}`, `\turl = ${url}`, `\tupdate = !touch pwned-by-update`]);
  await writeFile(path.join(dir, ".gitmodules"), `${lines.join("\n")}\n`);
  await git(dir, ["add", ".gitmodules"]);
  for (const sub of Object.keys(submodules)) {
    // A gitlink needs no real commit behind it; only its presence makes git consider the submodule.
    await git(dir, ["update-index", "--add", "--cacheinfo", `160000,${"1".repeat(40)},${sub}`]);
  }
}

async function startDaemon(root: string): Promise<{ daemon: ChildProcess; port: number }> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const daemon = spawn(
      "git",
      ["daemon", "--reuseaddr", `--base-path=${root}`, "--export-all", "--enable=upload-pack", "--listen=127.0.0.1", `--port=${port}`, root],
      // Its own process group, so stop() also ends the per-connection children.
      { env: gitEnv, stdio: "ignore", detached: true },
    );
    if (await accepts(port, daemon)) return { daemon, port };
    await stopDaemon(daemon); // most likely another process took the port in between
  }
  throw new Error("git daemon did not start on a free port after 5 attempts");
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function accepts(port: number, daemon: ChildProcess): Promise<boolean> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline && daemon.exitCode === null && daemon.signalCode === null) {
    const connected = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (connected) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

async function stopDaemon(daemon: ChildProcess): Promise<void> {
  if (daemon.exitCode !== null || daemon.signalCode !== null || daemon.pid === undefined) return;
  const exited = new Promise((resolve) => daemon.once("exit", resolve));
  try {
    process.kill(-daemon.pid, "SIGTERM");
  } catch {
    return; // already gone
  }
  await exited;
}
