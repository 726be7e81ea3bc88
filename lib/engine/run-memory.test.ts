import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { EngineCgroupFacts } from "./build-cgroup";
import { memoryLayout, openRunMemory, readPeak, type MemoryPeak } from "./run-memory";

describe("memoryLayout", () => {
  it.each<[string, 1 | 2, string[], ReturnType<typeof memoryLayout>]>([
    [
      "v1: the peak of the parent in the memory hierarchy; the parent removed from every hierarchy",
      1,
      ["cpu", "memory", "pids"],
      {
        cgroupParent: "/slimstage-runs/abc",
        memoryDir: "/sys/fs/cgroup/memory/slimstage-runs/abc",
        peakFile: "/sys/fs/cgroup/memory/slimstage-runs/abc/memory.max_usage_in_bytes",
        enableMemory: [],
        removeDirs: ["cpu", "memory", "pids"].map((h) => `/sys/fs/cgroup/${h}/slimstage-runs/abc`),
      },
    ],
    [
      "v1 without a listing still removes the memory child",
      1,
      [],
      {
        cgroupParent: "/slimstage-runs/abc",
        memoryDir: "/sys/fs/cgroup/memory/slimstage-runs/abc",
        peakFile: "/sys/fs/cgroup/memory/slimstage-runs/abc/memory.max_usage_in_bytes",
        enableMemory: [],
        removeDirs: ["/sys/fs/cgroup/memory/slimstage-runs/abc", "/sys/fs/cgroup/pids/slimstage-runs/abc"],
      },
    ],
    [
      "v2: memory.peak; memory enabled in the root and the parent",
      2,
      [],
      {
        cgroupParent: "/slimstage-runs/abc",
        memoryDir: "/sys/fs/cgroup/slimstage-runs/abc",
        peakFile: "/sys/fs/cgroup/slimstage-runs/abc/memory.peak",
        enableMemory: ["/sys/fs/cgroup/cgroup.subtree_control", "/sys/fs/cgroup/slimstage-runs/cgroup.subtree_control"],
        removeDirs: ["/sys/fs/cgroup/slimstage-runs/abc"],
      },
    ],
  ])("%s", (_name, version, hierarchies, expected) => {
    expect(memoryLayout(version, "/sys/fs/cgroup", "slimstage-runs", "abc", hierarchies)).toEqual(expected);
  });

  it("refuses a parent that is not a plain path", () => {
    expect(() => memoryLayout(1, "/sys/fs/cgroup", "../etc", "abc")).toThrow(/bad cgroup parent/);
  });
});

describe("readPeak", () => {
  it.each<[string, string | null, MemoryPeak]>([
    ["v1 max_usage_in_bytes", "64458752\n", { bytes: 64458752, reason: null }],
    ["v2 memory.peak", "1052672", { bytes: 1052672, reason: null }],
    ["nothing charged: the engine ignored the parent", "0\n", { bytes: null, reason: "the engine did not run the container in the cgroup made for it" }],
    ["no memory.peak (Linux before 5.19)", null, { bytes: null, reason: expect.stringContaining("5.19") as unknown as string }],
    ["unreadable", "error: EACCES", { bytes: null, reason: 'unreadable peak "error: EACCES"' }],
  ])("%s", (_name, text, expected) => {
    expect(readPeak(text)).toEqual(expected);
  });
});

describe("openRunMemory: not measured, saying why, where the cgroup cannot be made", () => {
  let root: string | undefined;
  afterEach(() => {
    if (root) rmSync(root, { recursive: true, force: true });
    root = undefined;
  });
  const local: EngineCgroupFacts = { remote: false, hostVersion: 1, engineDriver: "cgroupfs", engineVersion: "1" };

  it.each<[string, EngineCgroupFacts, boolean, RegExp]>([
    ["a remote engine", { ...local, remote: true }, true, /remote/],
    ["the systemd driver", { ...local, engineDriver: "systemd" }, true, /systemd/],
    ["no memory hierarchy", local, false, /no cgroup v1 memory hierarchy/],
    ["Podman's cgroup v2 reported on a v1 host", { ...local, engineVersion: "2" }, true, /v2/],
  ])("%s", async (_name, facts, withMemory, reason) => {
    root = mkdtempSync(path.join(tmpdir(), "run-memory-"));
    // A folder alone is not a hierarchy: a mounted one has cgroup.procs.
    mkdirSync(path.join(root, "memory"));
    if (withMemory) writeFileSync(path.join(root, "memory", "cgroup.procs"), "");
    const memory = await openRunMemory(facts, { root });
    expect(memory.cgroupParent).toBeUndefined();
    const peak = await memory.finish();
    expect(peak.bytes).toBeNull();
    expect(peak.reason).toMatch(reason);
  });
});
