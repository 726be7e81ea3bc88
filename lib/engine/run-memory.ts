// The peak memory of one run check. The container is created under a cgroup of its own
// (PARENT/<random>, made here on the engine's host as build-cgroup.ts makes a build's);
// the engine makes the container's cgroup inside it and removes that when the program
// exits, while the parent keeps the high-water mark of everything charged below it:
// cgroup v1 `memory.max_usage_in_bytes`, v2 `memory.peak` (Linux 5.19 and later). Read
// after the run, so a program that exits in a millisecond is measured too — the engine's
// stats API samples once a second and a container's own cgroup goes with its program.
// It is the container's peak, its start included: the runtime setting it up (runc's init,
// about 4 MB on Docker 20.10 here) is charged before the program runs, so a program using
// less than that peaks at the same figure.
// Where the cgroup cannot be made here (a remote engine, the systemd cgroup driver, no
// memory controller, not root) or the engine did not use it (nothing charged), the
// answer is "not measured" with why, never an estimate.
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { cgroupLayout, planBuildCgroup, removeDirs, type CgroupVersion, type EngineCgroupFacts } from "./build-cgroup";

/** A run's peak memory in bytes, or null with the reason it was not measured. */
export type MemoryPeak = { bytes: number; reason: null } | { bytes: null; reason: string };

export interface MemoryLayout {
  /** The create API's HostConfig.CgroupParent. */
  cgroupParent: string;
  /** Made before the run. */
  memoryDir: string;
  /** The high-water mark of the parent, read after the run. */
  peakFile: string;
  /** cgroup v2: files that get "+memory", root first, so the parent accounts memory. */
  enableMemory: string[];
  /** Removed after the run: on v1 the engine makes the parent in every hierarchy. */
  removeDirs: string[];
}

/** Pure: the files for run cgroup `child` of `parent` under `root` (v1 `hierarchies`: cpu, memory, ...). */
export function memoryLayout(version: CgroupVersion, root: string, parent: string, child: string, hierarchies: string[] = []): MemoryLayout {
  const base = cgroupLayout(version, root, parent, child, hierarchies.includes("memory") || version === 2 ? hierarchies : [...hierarchies, "memory"]);
  const relative = base.cgroupParent.slice(1);
  if (version === 1) {
    const memoryDir = path.posix.join(root, "memory", relative);
    return { cgroupParent: base.cgroupParent, memoryDir, peakFile: `${memoryDir}/memory.max_usage_in_bytes`, enableMemory: [], removeDirs: base.removeDirs };
  }
  return {
    cgroupParent: base.cgroupParent,
    memoryDir: base.limitDir,
    peakFile: `${base.limitDir}/memory.peak`,
    enableMemory: base.enablePids,
    removeDirs: base.removeDirs,
  };
}

/** Pure: the peak file's text as a figure; 0 means the engine ran the program elsewhere (it ignored the parent). */
export function readPeak(text: string | null): MemoryPeak {
  if (text === null) return { bytes: null, reason: "this kernel does not keep a cgroup's peak memory (memory.peak needs Linux 5.19)" };
  const bytes = Number(text.trim());
  if (!Number.isSafeInteger(bytes) || bytes < 0) return { bytes: null, reason: `unreadable peak "${text.trim().slice(0, 40)}"` };
  if (bytes === 0) return { bytes: null, reason: "the engine did not run the container in the cgroup made for it" };
  return { bytes, reason: null };
}

export interface RunMemory {
  /** For HostConfig.CgroupParent; undefined when the run is not measured. */
  cgroupParent: string | undefined;
  /** After the run: the peak, or why there is none. Removes the cgroup. */
  finish(): Promise<MemoryPeak>;
}

export async function openRunMemory(facts: EngineCgroupFacts, options: { parent?: string; root?: string } = {}): Promise<RunMemory> {
  const root = options.root ?? "/sys/fs/cgroup";
  const notMeasured = (reason: string): RunMemory => ({ cgroupParent: undefined, finish: async () => ({ bytes: null, reason }) });
  // The same conditions as a build's process limit, but for the memory controller.
  const plan = planBuildCgroup({ ...facts, hostVersion: facts.hostVersion === 1 && !existsSync(`${root}/memory/cgroup.procs`) ? null : facts.hostVersion });
  if ("reason" in plan) return notMeasured(plan.reason.replace("pids hierarchy", "memory hierarchy"));
  const hierarchies = plan.version === 1 ? readdirSync(root, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name) : [];
  const layout = memoryLayout(plan.version, root, options.parent ?? "slimstage-runs", randomBytes(6).toString("hex"), hierarchies);
  try {
    for (const file of layout.enableMemory) {
      await mkdir(path.dirname(file), { recursive: true });
      const enabled = (await readFile(file, "utf8")).split(/\s+/);
      if (!enabled.includes("memory")) await writeFile(file, "+memory");
    }
    await mkdir(layout.memoryDir, { recursive: true });
  } catch (error) {
    await removeDirs(layout.removeDirs, 1);
    return notMeasured(`cannot prepare ${layout.memoryDir} (${(error as Error).message})`);
  }
  return {
    cgroupParent: layout.cgroupParent,
    finish: async () => {
      const text = await readFile(layout.peakFile, "utf8").catch((error: NodeJS.ErrnoException) => (error.code === "ENOENT" ? null : `error: ${error.message}`));
      await removeDirs(layout.removeDirs, 20, 100);
      return readPeak(text);
    },
  };
}
