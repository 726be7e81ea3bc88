// Another process's memory, from /proc: the web process runs as tsx (a small launcher)
// and the node process it starts, which serves the app. The server is found by what
// both share (the script name and PORT in its environment): the one whose parent is
// also such a process.
import { readdir, readFile } from "node:fs/promises";

interface Candidate {
  pid: number;
  ppid: number;
}

/** The PID of the node process serving `npm run web` on `port`, or null. */
export async function webServerPid(port: number): Promise<number | null> {
  const found: Candidate[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const [commandLine, environment, stat] = await Promise.all([
      readFile(`/proc/${entry}/cmdline`, "utf8").catch(() => ""),
      readFile(`/proc/${entry}/environ`, "utf8").catch(() => ""),
      readFile(`/proc/${entry}/stat`, "utf8").catch(() => ""),
    ]);
    if (!commandLine.split("\0").some((arg) => arg.endsWith("scripts/web.ts"))) continue;
    if (!environment.split("\0").includes(`PORT=${port}`)) continue;
    found.push({ pid: Number(entry), ppid: parentOf(stat) });
  }
  const pids = new Set(found.map((c) => c.pid));
  const child = found.find((c) => pids.has(c.ppid));
  return child?.pid ?? (found.length === 1 ? found[0].pid : null);
}

// /proc/PID/stat: "pid (comm) state ppid ..."; comm may hold spaces and parentheses.
function parentOf(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(fields[1]);
}

/** VmRSS of a process, in bytes (null once it is gone). */
export async function rssOf(pid: number): Promise<number | null> {
  const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => null);
  const match = status?.match(/^VmRSS:\s+(\d+)\s+kB$/m);
  return match ? Number(match[1]) * 1024 : null;
}

/** Samples another process's RSS at an interval; the peak and the last value. */
export class ProcessRssSampler {
  private peakBytes = 0;
  private lastBytes = 0;
  private readonly timer: NodeJS.Timeout;
  private sampling: Promise<void> = Promise.resolve();

  constructor(
    private readonly pid: number,
    intervalMs: number,
  ) {
    this.timer = setInterval(() => void this.sample(), intervalMs);
  }

  sample(): Promise<void> {
    this.sampling = this.sampling.then(async () => {
      const bytes = await rssOf(this.pid);
      if (bytes === null) return;
      this.lastBytes = bytes;
      this.peakBytes = Math.max(this.peakBytes, bytes);
    });
    return this.sampling;
  }

  async stop(): Promise<{ peak: number; last: number }> {
    clearInterval(this.timer);
    await this.sample();
    return { peak: this.peakBytes, last: this.lastBytes };
  }
}
