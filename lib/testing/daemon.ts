// Background programs for tests (a registry, a second dockerd, a Podman service):
// started with their output in a log file, waited for until they answer, and stopped by
// their own PID, never by name, so nothing another test or the running app uses is
// touched. Also: Debian packages a test needs, installed the way the scripts do.
import { execFile, spawn } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface Daemon {
  pid: number;
  logFile: string;
  /** Whether the process is still running. */
  alive(): boolean;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
}

export interface DaemonOptions {
  logFile: string;
  /** Resolves true once the program answers. */
  ready: () => Promise<boolean>;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

export async function startDaemon(command: string, args: string[], options: DaemonOptions): Promise<Daemon> {
  const out = openSync(options.logFile, "a");
  const child = spawn(command, args, { stdio: ["ignore", out, out], env: options.env ?? process.env });
  closeSync(out);
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once("exit", () => ((exited = true), resolve())));
  child.once("error", () => (exited = true));
  const daemon: Daemon = {
    pid: child.pid ?? -1,
    logFile: options.logFile,
    alive: () => !exited,
    async stop(graceMs = 20_000) {
      if (exited) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await exit;
      clearTimeout(timer);
    },
  };
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  while (!(await options.ready().catch(() => false))) {
    if (exited || Date.now() > deadline) {
      await daemon.stop(2_000);
      throw new Error(`${command} ${exited ? "exited at start" : "did not answer in time"}; its log:\n${logTail(options.logFile)}`);
    }
    await sleep(200);
  }
  return daemon;
}

/** Polls `check` every 200 ms until it resolves true (a rejection counts as false). */
export async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(200);
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function logTail(file: string, lines = 20): string {
  return existsSync(file) ? readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n") : "(no log)";
}

export const isRoot = (): boolean => process.getuid?.() === 0;

/** Whether this process may raise resource limits (root inside some containers may not). */
export function hasCapSysResource(): boolean {
  const status = readFileSync("/proc/self/status", "utf8");
  const effective = BigInt(`0x${status.match(/^CapEff:\s*([0-9a-f]+)/m)?.[1] ?? "0"}`);
  const CAP_SYS_RESOURCE = 24n;
  return ((effective >> CAP_SYS_RESOURCE) & 1n) === 1n;
}

/** Whether `command` is on PATH. */
export async function hasCommand(command: string): Promise<boolean> {
  return run("sh", ["-c", 'command -v "$1"', "sh", command]).then(() => true, () => false);
}

/** Installs Debian packages that are missing (as root, through scripts/lib.sh's apt_install). */
export async function aptInstall(...packages: string[]): Promise<void> {
  const script = path.join(process.cwd(), "scripts", "testing", "apt-install.sh");
  await run("bash", [script, ...packages], { maxBuffer: 16 * 1024 * 1024 });
}

/**
 * Removes a directory an engine kept its storage in: first unmounts what is still mounted
 * under it (deepest first; Podman's storage bind-mounts itself), then deletes it without
 * ever crossing into another file system.
 */
export async function removeTree(dir: string): Promise<void> {
  const mounts = (await readFile("/proc/mounts", "utf8"))
    .split("\n")
    .map((line) => line.split(" ")[1] ?? "")
    .filter((mount) => mount === dir || mount.startsWith(`${dir}/`))
    .sort()
    .reverse();
  for (const mount of mounts) await run("umount", ["-l", mount]).catch(() => {});
  await run("rm", ["-rf", "--one-file-system", dir]).catch(() => {});
}

/** Whether a Docker-API engine answers on this unix socket (GET /_ping). */
export function pingEngine(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get({ socketPath, path: "/_ping", timeout: 2_000 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on("error", () => resolve(false));
    request.on("timeout", () => (request.destroy(), resolve(false)));
  });
}
