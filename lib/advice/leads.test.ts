import { describe, expect, it } from "vitest";
import type { VariantAnalysisView } from "@/lib/comparisons/types";
import { findLeads, importChain, parseImportGraph } from "./leads";

const graph = parseImportGraph(
  [
    "fmt errors io os",
    "example.com/app/internal/store example.com/lib/db fmt",
    "example.com/lib/db example.com/lib/db/driver net",
    "example.com/lib/db/driver io",
    "net io",
    "example.com/app example.com/app/internal/store fmt net/http",
    "net/http net io",
  ].join("\n"),
);

const binary = {
  path: "app",
  goVersion: "go1.23",
  mainPackagePath: "example.com/app",
  mainModule: { path: "example.com/app", version: "(devel)" },
  fileBytes: 10_000,
  sections: [],
  textBytes: 6_000,
  attributedBytes: 9_000,
  functionCount: 10,
  packages: [
    { path: "net/http", group: "std", bytes: 3_000, functions: 1 },
    { path: "runtime", group: "std", bytes: 2_500, functions: 1 },
    { path: "fmt", group: "std", bytes: 500, functions: 1 },
    { path: "example.com/lib/db/driver", group: "dependency", module: "example.com/lib", bytes: 1_200, functions: 1 },
  ],
  omittedPackages: { count: 0, bytes: 0 },
  modules: [
    { path: "std", version: "", group: "std", bytes: 7_000, packages: 30 },
    { path: "example.com/lib", version: "v1.2.0", group: "dependency", bytes: 1_500, packages: 2 },
    { path: "example.com/small", version: "v0.1.0", group: "dependency", bytes: 100, packages: 1 },
  ],
  largestSymbols: [],
} satisfies NonNullable<VariantAnalysisView["binary"]>;

describe("importChain", () => {
  it.each([
    ["a dependency two imports away", "example.com/lib/db/driver", ["example.com/app", "example.com/app/internal/store", "example.com/lib/db", "example.com/lib/db/driver"]],
    ["the shortest of two ways", "net", ["example.com/app", "example.com/app/internal/store", "example.com/lib/db", "net"]],
    ["nothing imports it", "crypto/tls", null],
  ])("%s", (_name, target, chain) => {
    const found = importChain(graph, "example.com/app", (pkg) => pkg === target);
    if (chain === null) expect(found).toBeNull();
    else expect(found?.at(-1)).toBe(target);
    if (chain && target !== "net") expect(found).toEqual(chain);
    if (target === "net") expect(found).toHaveLength(3); // main → net/http → net, shorter than through the store
  });
});

describe("findLeads", () => {
  it("ranks third-party modules first, then the standard packages main imports, by bytes, without the runtime", () => {
    const leads = findLeads(binary, graph);
    expect(leads.map((l) => [l.key, l.bytes])).toEqual([
      ["lead-module:example.com/lib", 1_500],
      ["lead-module:example.com/small", 100],
      ["lead-package:net/http", 3_000],
      ["lead-package:fmt", 500],
    ]);
    expect(leads[0].importPath).toEqual(["example.com/app", "example.com/app/internal/store", "example.com/lib/db"]);
    expect(leads[0].why).toBe("2 packages of it in the binary: 15.0% of the binary.");
  });

  it("without the import graph: no chains, every standard package but the runtime", () => {
    const leads = findLeads(binary, null);
    expect(leads.every((l) => l.importPath === null)).toBe(true);
    expect(leads.map((l) => l.key)).not.toContain("lead-package:runtime");
  });

  it("none without a binary breakdown", () => {
    expect(findLeads(null, graph)).toEqual([]);
  });
});
