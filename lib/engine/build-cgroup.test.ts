import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { cgroupLayout, hostCgroupVersion, openBuildCgroup, planBuildCgroup, type EngineCgroupFacts } from "./build-cgroup";

describe("cgroupLayout", () => {
  const cases: Array<{ name: string; version: 1 | 2; parent: string; hierarchies?: string[]; expected: ReturnType<typeof cgroupLayout> }> = [
    {
      name: "v1: the limit in the pids hierarchy, the child removed from every hierarchy",
      version: 1,
      parent: "slimstage-builds",
      hierarchies: ["cpu", "memory", "pids", "systemd"],
      expected: {
        cgroupParent: "/slimstage-builds/abc",
        limitDir: "/sys/fs/cgroup/pids/slimstage-builds/abc",
        pidsMax: "/sys/fs/cgroup/pids/slimstage-builds/abc/pids.max",
        enablePids: [],
        removeDirs: ["cpu", "memory", "pids", "systemd"].map((h) => `/sys/fs/cgroup/${h}/slimstage-builds/abc`),
      },
    },
    {
      name: "v1 without a listing still removes the pids child; a leading slash is fine",
      version: 1,
      parent: "/builds",
      expected: {
        cgroupParent: "/builds/abc",
        limitDir: "/sys/fs/cgroup/pids/builds/abc",
        pidsMax: "/sys/fs/cgroup/pids/builds/abc/pids.max",
        enablePids: [],
        removeDirs: ["/sys/fs/cgroup/pids/builds/abc"],
      },
    },
    {
      name: "v2: one tree; pids enabled in the root and in the parent",
      version: 2,
      parent: "slimstage-builds",
      expected: {
        cgroupParent: "/slimstage-builds/abc",
        limitDir: "/sys/fs/cgroup/slimstage-builds/abc",
        pidsMax: "/sys/fs/cgroup/slimstage-builds/abc/pids.max",
        enablePids: ["/sys/fs/cgroup/cgroup.subtree_control", "/sys/fs/cgroup/slimstage-builds/cgroup.subtree_control"],
        removeDirs: ["/sys/fs/cgroup/slimstage-builds/abc"],
      },
    },
    {
      name: "v2 with a nested parent enables pids at every level above the child",
      version: 2,
      parent: "apps/slimstage",
      expected: {
        cgroupParent: "/apps/slimstage/abc",
        limitDir: "/sys/fs/cgroup/apps/slimstage/abc",
        pidsMax: "/sys/fs/cgroup/apps/slimstage/abc/pids.max",
        enablePids: [
          "/sys/fs/cgroup/cgroup.subtree_control",
          "/sys/fs/cgroup/apps/cgroup.subtree_control",
          "/sys/fs/cgroup/apps/slimstage/cgroup.subtree_control",
        ],
        removeDirs: ["/sys/fs/cgroup/apps/slimstage/abc"],
      },
    },
  ];
  it.each(cases)("$name", ({ version, parent, hierarchies, expected }) => {
    expect(cgroupLayout(version, "/sys/fs/cgroup", parent, "abc", hierarchies)).toEqual(expected);
  });

  it.each(["", "/", "../etc", "a/../b", "a b", "x/.hidden"])("refuses the parent %j", (parent) => {
    expect(() => cgroupLayout(1, "/sys/fs/cgroup", parent, "abc")).toThrow(/bad cgroup parent/);
  });
});

describe("planBuildCgroup", () => {
  const local: EngineCgroupFacts = { remote: false, hostVersion: 1, engineDriver: "cgroupfs", engineVersion: "1" };
  const cases: Array<{ name: string; facts: EngineCgroupFacts; expected: RegExp | 1 | 2 }> = [
    { name: "a local cgroupfs engine on v1", facts: local, expected: 1 },
    { name: "a local cgroupfs engine on v2", facts: { ...local, hostVersion: 2, engineVersion: "2" }, expected: 2 },
    { name: "an engine that does not say its driver", facts: { remote: false, hostVersion: 2 }, expected: 2 },
    { name: "a remote engine", facts: { ...local, remote: true }, expected: /remote/ },
    { name: "no cgroups here", facts: { ...local, hostVersion: null }, expected: /no cgroup/ },
    { name: "the systemd driver", facts: { ...local, engineDriver: "systemd" }, expected: /systemd cgroup driver/ },
    { name: "an engine on another cgroup version", facts: { ...local, engineVersion: "2" }, expected: /not on this host/ },
  ];
  it.each(cases)("$name", ({ facts, expected }) => {
    const plan = planBuildCgroup(facts);
    if (typeof expected === "number") expect(plan).toEqual({ version: expected });
    else {
      expect("reason" in plan).toBe(true);
      if ("reason" in plan) expect(plan.reason).toMatch(expected);
    }
  });
});

// The file handling, on a directory laid out like /sys/fs/cgroup (a plain directory: the
// kernel's own files are not there, which is enough to see what is written and removed).
describe("openBuildCgroup on a stand-in tree", () => {
  let root = "";
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("v2: enables pids, writes the limit, removes the child", async () => {
    root = mkdtempSync(path.join(tmpdir(), "cgv2-"));
    writeFileSync(path.join(root, "cgroup.controllers"), "cpu memory pids");
    writeFileSync(path.join(root, "cgroup.subtree_control"), "cpu memory");
    mkdirSync(path.join(root, "builds"));
    writeFileSync(path.join(root, "builds", "cgroup.subtree_control"), "pids");
    expect(hostCgroupVersion(root)).toBe(2);

    const cgroup = await openBuildCgroup({ remote: false, hostVersion: 2 }, { parent: "builds", pids: 64, root });
    expect(cgroup.cgroupParent).toMatch(/^\/builds\/[0-9a-f]{12}$/);
    const child = path.join(root, cgroup.cgroupParent!);
    expect(readFileSync(path.join(child, "pids.max"), "utf8")).toBe("64");
    expect(readFileSync(path.join(root, "cgroup.subtree_control"), "utf8")).toBe("+pids");
    expect(readFileSync(path.join(root, "builds", "cgroup.subtree_control"), "utf8")).toBe("pids"); // already on: untouched

    // A real cgroup directory holds only kernel files, and rmdir takes it; here the limit file stands in for them.
    rmSync(path.join(child, "pids.max"));
    await cgroup.release();
    expect(existsSync(child)).toBe(false);
  });

  it("falls back, without a limit, when the engine is remote", async () => {
    root = mkdtempSync(path.join(tmpdir(), "cgv1-"));
    const cgroup = await openBuildCgroup({ remote: true, hostVersion: 1 }, { parent: "builds", pids: 64, root });
    expect(cgroup.cgroupParent).toBeUndefined();
    await cgroup.release();
  });
});
