// The Go binary across two comparisons: modules and packages added, removed, grown, with
// versions; first on the committed real binaries (hello, then a program with a vendored
// third-party module), then table cases for versions and the packages a report omits.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { analyzeGoBinary, type BinaryModule, type BinaryPackage } from "@/lib/binary/analyze-binary";
import { binaryReportOf, diffBinaries } from "@/lib/views/compare-binary";

const fixture = (name: string) => {
  const report = analyzeGoBinary(readFileSync(path.join(process.cwd(), "lib", "binary", "fixtures", name)));
  if (!report) throw new Error(`${name} is not a Go binary`);
  return report;
};

describe("diffBinaries on real binaries", () => {
  it("a third-party module and its package are added with their version; the standard library grows", () => {
    const diff = diffBinaries(fixture("hello.stripped"), fixture("greetapp.stripped"));
    const greet = diff.modules.added.find((c) => c.name === "example.com/greet");
    expect(greet?.after).toMatchObject({ version: "v1.2.3", group: "dependency" });
    expect(greet?.deltaBytes).toBeGreaterThan(0);
    const greetPackage = diff.packages.added.find((c) => c.name === "example.com/greet");
    expect(greetPackage?.after).toMatchObject({ module: "example.com/greet", version: "v1.2.3" });
    const std = diff.modules.grown.find((c) => c.name === "std");
    expect(std?.before?.version).toMatch(/^go1\./);
    expect(std?.deltaBytes).toBeGreaterThan(0);
    expect(diff.after.fileBytes - diff.before.fileBytes).toBeGreaterThan(0);
  });

  it("the same binary on both sides changes nothing", () => {
    const diff = diffBinaries(fixture("hello.stripped"), fixture("hello.stripped"));
    expect(diff.modules.counts).toMatchObject({ added: 0, removed: 0, grown: 0, shrunk: 0, changed: 0 });
    expect(diff.packages.counts.unchanged).toBeGreaterThan(10);
  });
});

const mod = (path: string, version: string, bytes: number): BinaryModule => ({ path, version, group: "dependency", bytes, packages: 1 });
const pkg = (path: string, bytes: number, version = "v1.0.0"): BinaryPackage => ({ path, group: "dependency", module: path, version, bytes, functions: 1 });
const report = (modules: BinaryModule[], packages: BinaryPackage[], omitted = 0) => ({
  goVersion: "go1.23.5",
  mainModule: { path: "example.com/app", version: "(devel)" },
  fileBytes: 1_000_000,
  textBytes: 400_000,
  functionCount: 100,
  modules,
  packages,
  omittedPackages: { count: omitted, bytes: omitted * 10 },
});

describe("diffBinaries cases", () => {
  it.each<[string, ReturnType<typeof report>, ReturnType<typeof report>, Record<string, string[]>]>([
    ["an upgrade that grows", report([mod("x.io/a", "v1.0.0", 100)], []), report([mod("x.io/a", "v1.1.0", 150)], []), { grown: ["x.io/a:v1.0.0>v1.1.0:50"] }],
    ["an upgrade at the same size is changed", report([mod("x.io/a", "v1.0.0", 100)], []), report([mod("x.io/a", "v1.0.1", 100)], []), { changed: ["x.io/a:v1.0.0>v1.0.1:0"] }],
    ["a dependency dropped", report([mod("x.io/a", "v1.0.0", 100), mod("x.io/b", "v2.0.0", 7)], []), report([mod("x.io/a", "v1.0.0", 100)], []), { removed: ["x.io/b:v2.0.0>:-7"] }],
  ])("modules: %s", (_name, before, after, expected) => {
    const diff = diffBinaries(before, after);
    for (const kind of ["added", "removed", "grown", "shrunk", "changed"] as const) {
      expect(diff.modules[kind].map((c) => `${c.name}:${c.before?.version ?? ""}>${c.after?.version ?? ""}:${c.deltaBytes}`), kind).toEqual(expected[kind] ?? []);
    }
  });

  it("a small package missing from a report that omitted some is neither added nor removed", () => {
    const before = report([], [pkg("big", 1_000), pkg("small", 5)]);
    const after = report([], [pkg("big", 1_000), pkg("mid", 600)], 3);
    const diff = diffBinaries(before, after);
    expect(diff.packages.added.map((c) => c.name)).toEqual(["mid"]);
    expect(diff.packages.removed.map((c) => c.name)).toEqual([]);
    // Without omissions the same package is removed.
    expect(diffBinaries(before, report([], [pkg("big", 1_000), pkg("mid", 600)])).packages.removed.map((c) => c.name)).toEqual(["small"]);
  });
});

describe("binaryReportOf", () => {
  it.each<[string, unknown, boolean]>([
    ["no analysis", null, false],
    ["an analysis without a binary", { tree: {}, binary: null }, false],
    ["a binary without modules", { binary: { fileBytes: 1, packages: [] } }, false],
    ["a stored report", { binary: report([], []) }, true],
  ])("%s", (_name, analysis, found) => {
    expect(binaryReportOf(analysis) !== null).toBe(found);
  });
});
