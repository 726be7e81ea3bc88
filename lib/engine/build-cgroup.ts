// A process limit for one build. The build API has no pids option, but it takes a cgroup
// parent: every RUN container of the build is created under it, and a `pids.max` on that
// parent counts all of them together. So each build gets its own child cgroup
// (PARENT/<random>) with the limit, made here on the engine's host and removed after.
//
// The pure part says which files that means on cgroup v1 and v2; the rest touches
// /sys/fs/cgroup. Fallback: when the engine is remote (DOCKER_HOST tcp:// or ssh://: its
// cgroups are on another machine), uses the systemd cgroup driver (it wants "x.slice"
// parents it makes itself), or the cgroup cannot be made here (not root, read-only
// /sys/fs/cgroup), the build runs without a process limit and one log line says why.
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import { mkdir, readFile, rmdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { createLogger } from "@/lib/log";

export type CgroupVersion = 1 | 2;

export interface EngineCgroupFacts {
  /** The engine is reached over the network (its host's cgroups are not ours). */
  remote: boolean;
  /** What this host has at /sys/fs/cgroup, or null when neither layout is there. */
  hostVersion: CgroupVersion | null;
  /** docker info's CgroupDriver and CgroupVersion ("cgroupfs", "1"), when it says. */
  engineDriver?: string;
  engineVersion?: string;
}

/** Pure: whether a per-build cgroup can work here, and on which layout; else why not. */
export function planBuildCgroup(facts: EngineCgroupFacts): { version: CgroupVersion } | { reason: string } {
  if (facts.remote) return { reason: "the Docker Engine is remote (DOCKER_HOST), so its cgroups cannot be prepared from here" };
  if (facts.hostVersion === null) return { reason: "this host has no cgroup v1 pids hierarchy or cgroup v2 at /sys/fs/cgroup" };
  if (facts.engineDriver && facts.engineDriver !== "cgroupfs") {
    return { reason: `the engine uses the ${facts.engineDriver} cgroup driver; only cgroupfs takes a plain cgroup parent` };
  }
  if (facts.engineVersion && facts.engineVersion !== String(facts.hostVersion)) {
    return { reason: `the engine reports cgroup v${facts.engineVersion} but this host has v${facts.hostVersion}: it is not on this host` };
  }
  return { version: facts.hostVersion };
}

export interface CgroupLayout {
  /** The build API's `cgroupparent`. */
  cgroupParent: string;
  /** Where the limit is written. */
  pidsMax: string;
  /** Made before the build (with parents). */
  limitDir: string;
  /** cgroup v2: files that get "+pids", root first, so the child has a pids.max. */
  enablePids: string[];
  /** Removed after the build: the engine makes the child in every v1 hierarchy. */
  removeDirs: string[];
}

/** Pure: the files for child `child` of `parent` under `root` (v1 `hierarchies`: cpu, pids, ...). */
export function cgroupLayout(version: CgroupVersion, root: string, parent: string, child: string, hierarchies: string[] = []): CgroupLayout {
  const segments = parent.split("/").filter(Boolean);
  if (!segments.length || segments.some((s) => !/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(s))) {
    throw new Error(`bad cgroup parent "${parent}": use names of letters, digits, "_", "-" and "." separated by "/"`);
  }
  const relative = path.posix.join(...segments, child);
  if (version === 1) {
    const limitDir = path.posix.join(root, "pids", relative);
    const all = hierarchies.includes("pids") ? hierarchies : [...hierarchies, "pids"];
    return {
      cgroupParent: `/${relative}`,
      pidsMax: `${limitDir}/pids.max`,
      limitDir,
      enablePids: [],
      removeDirs: all.map((h) => path.posix.join(root, h, relative)),
    };
  }
  const limitDir = path.posix.join(root, relative);
  const ancestors = [root, ...segments.map((_, i) => path.posix.join(root, ...segments.slice(0, i + 1)))];
  return {
    cgroupParent: `/${relative}`,
    pidsMax: `${limitDir}/pids.max`,
    limitDir,
    enablePids: ancestors.map((dir) => `${dir}/cgroup.subtree_control`),
    removeDirs: [limitDir],
  };
}

export function hostCgroupVersion(root = "/sys/fs/cgroup"): CgroupVersion | null {
  if (existsSync(`${root}/cgroup.controllers`)) return 2;
  if (existsSync(`${root}/pids/cgroup.procs`)) return 1;
  return null;
}

export interface BuildCgroup {
  /** The build API's cgroupparent, or undefined when the build runs without a limit. */
  cgroupParent: string | undefined;
  /**
   * Removes the child cgroup (retrying while the last build containers go away). After a
   * cancel the engine may still create the step it was on, and would make the child again,
   * without the limit, if it were gone: `afterMs` keeps it (and its limit) that long first.
   */
  release(afterMs?: number): Promise<void>;
}

// Said once per process: every build would say the same.
const said = new Set<string>();
function sayOnce(line: string, warn: (line: string) => void = (text) => createLogger({ role: "engine" }).warn(text)): void {
  if (said.has(line)) return;
  said.add(line);
  warn(line);
}

const NONE: BuildCgroup = { cgroupParent: undefined, release: async () => {} };

export async function openBuildCgroup(
  facts: EngineCgroupFacts,
  options: { parent: string; pids: number; root?: string; warn?: (line: string) => void },
): Promise<BuildCgroup> {
  const root = options.root ?? "/sys/fs/cgroup";
  const plan = planBuildCgroup(facts);
  if ("reason" in plan) {
    sayOnce(`builds run without a process limit: ${plan.reason}`, options.warn);
    return NONE;
  }
  const hierarchies = plan.version === 1 ? readdirSync(root, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name) : [];
  const layout = cgroupLayout(plan.version, root, options.parent, randomBytes(6).toString("hex"), hierarchies);
  try {
    for (const file of layout.enablePids) {
      await mkdir(path.dirname(file), { recursive: true });
      const enabled = (await readFile(file, "utf8")).split(/\s+/);
      if (!enabled.includes("pids")) await writeFile(file, "+pids");
    }
    await mkdir(layout.limitDir, { recursive: true });
    await writeFile(layout.pidsMax, String(options.pids));
  } catch (error) {
    await removeDirs(layout.removeDirs, 1);
    sayOnce(`builds run without a process limit: cannot prepare ${layout.limitDir} (${(error as Error).message}); run scripts/build-cgroup.sh as root`, options.warn);
    return NONE;
  }
  return {
    cgroupParent: layout.cgroupParent,
    release: async (afterMs = 0) => {
      if (afterMs > 0) await new Promise((resolve) => setTimeout(resolve, afterMs).unref());
      await removeDirs(layout.removeDirs, 20);
    },
  };
}

// A canceled build's (or a run's) last container may still be going away: rmdir says
// EBUSY until then. What is left after that is removed by scripts/cleanup.sh (empty cgroups).
export async function removeDirs(dirs: string[], attempts: number, pauseMs = 250): Promise<void> {
  let left = dirs;
  for (let attempt = 0; attempt < attempts && left.length; attempt++) {
    if (attempt) await new Promise((resolve) => setTimeout(resolve, pauseMs));
    const failed: string[] = [];
    for (const dir of left) {
      await rmdir(dir).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== "ENOENT") failed.push(dir);
      });
    }
    left = failed;
  }
}
