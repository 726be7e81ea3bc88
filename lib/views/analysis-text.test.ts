import { describe, expect, it } from "vitest";
import type { AnalysisSummary } from "@/lib/comparisons/types";
import type { BuildOnlySummary } from "@/lib/measure/file-tree";
import { analysisSummaryLine, buildOnlyLine, formatPercent, sectionRows } from "@/lib/views/analysis-text";

const buildOnly = (parts: Partial<BuildOnlySummary>): BuildOnlySummary => {
  const b = { goToolchain: 0, moduleCache: 0, buildCache: 0, packageManager: 0, ...parts };
  return { ...b, total: b.goToolchain + b.moduleCache + b.buildCache + b.packageManager };
};

describe("buildOnlyLine", () => {
  it.each<[Partial<BuildOnlySummary>, string | null]>([
    [
      { goToolchain: 233e6, moduleCache: 12.4e6, buildCache: 353.6e6, packageManager: 28e6 },
      "627 MB of it is only for building: Go toolchain 233 MB, module cache 12.4 MB, build cache 354 MB, package manager files 28 MB",
    ],
    [{ goToolchain: 233e6, packageManager: 28e6 }, "261 MB of it is only for building: Go toolchain 233 MB, package manager files 28 MB"],
    [{}, null],
  ])("%o → %s", (parts, want) => {
    expect(buildOnlyLine(buildOnly(parts))).toBe(want);
  });
});

describe("formatPercent", () => {
  it.each<[number, string]>([
    [1, "100%"],
    [0.99999, "99.9%"],
    [0.9923, "99.2%"],
    [0.874, "87%"],
    [0.0512, "5.1%"],
    [0.0001, "<0.1%"],
    [0, "0%"],
    [1.2, "100%"],
    [Number.NaN, "—"],
  ])("%d → %s", (share, want) => {
    expect(formatPercent(share)).toBe(want);
  });
});

describe("analysisSummaryLine", () => {
  const summary = (over: Partial<AnalysisSummary>): AnalysisSummary => ({
    efficiency: 1,
    wastedBytes: 0,
    redundantBytes: 0,
    complete: true,
    buildOnly: buildOnly({}),
    binary: null,
    ...over,
  });
  const binary = {
    path: "/app",
    goVersion: "go1.23.4",
    fileBytes: 1_460_000,
    textBytes: 600_000,
    moduleCount: 2,
    topModules: [{ path: "std", version: "go1.23.4", bytes: 900_000 }],
  };
  it.each<[string, Partial<AnalysisSummary>, string]>([
    ["a slim image", { binary }, "Go binary 1.5 MB (2 modules, largest std 900 KB)"],
    [
      "the single-stage image",
      { binary, buildOnly: buildOnly({ goToolchain: 233e6 }), wastedBytes: 5e6, efficiency: 0.992 },
      "233 MB only for building · Go binary 1.5 MB (2 modules, largest std 900 KB) · 5 MB wasted, 99.2% efficient",
    ],
    ["no binary", {}, "no Go binary found"],
    ["one module", { binary: { ...binary, moduleCount: 1, topModules: [] } }, "Go binary 1.5 MB (1 module)"],
  ])("%s", (_, over, want) => {
    expect(analysisSummaryLine(summary(over))).toBe(want);
  });
});

describe("sectionRows", () => {
  it("lists sections largest first with their share, then what no section holds", () => {
    const rows = sectionRows([{ name: ".rodata", bytes: 300 }, { name: ".text", bytes: 600 }], 1000);
    expect(rows).toEqual([
      { name: ".text", bytes: 600, share: 0.6 },
      { name: ".rodata", bytes: 300, share: 0.3 },
      { name: "(headers, padding)", bytes: 100, share: 0.1 },
    ]);
    expect(sectionRows([{ name: ".text", bytes: 10 }], 10).map((r) => r.name)).toEqual([".text"]);
  });
});
