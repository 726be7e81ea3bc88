import { describe, expect, it } from "vitest";
import type { BinaryPackage } from "@/lib/binary/analyze-binary";
import { nextPackageSort, packageRows, sortPackages, type PackageSort } from "@/lib/views/package-order";

const packages = [
  { path: "runtime", bytes: 900, module: "std", version: "go1.23.4" },
  { path: "main", bytes: 40, module: "example.com/app", version: "(devel)" },
  { path: "example.com/greet", bytes: 120, module: "example.com/greet", version: "v1.2.3" },
  { path: "(generated)", bytes: 120 },
  { path: "fmt", bytes: 300, module: "std", version: "go1.23.4" },
];

describe("sortPackages", () => {
  it.each<[PackageSort, string[]]>([
    [{ column: "bytes", direction: "descending" }, ["runtime", "fmt", "(generated)", "example.com/greet", "main"]],
    [{ column: "bytes", direction: "ascending" }, ["main", "(generated)", "example.com/greet", "fmt", "runtime"]],
    [{ column: "path", direction: "ascending" }, ["(generated)", "example.com/greet", "fmt", "main", "runtime"]],
    [{ column: "path", direction: "descending" }, ["runtime", "main", "fmt", "example.com/greet", "(generated)"]],
    // No module: last either way; same module: by path.
    [{ column: "module", direction: "ascending" }, ["main", "example.com/greet", "fmt", "runtime", "(generated)"]],
    [{ column: "module", direction: "descending" }, ["fmt", "runtime", "example.com/greet", "main", "(generated)"]],
    [{ column: "version", direction: "ascending" }, ["main", "fmt", "runtime", "example.com/greet", "(generated)"]],
  ])("%o → %o", (sort, want) => {
    expect(sortPackages(packages, sort).map((p) => p.path)).toEqual(want);
  });

  it("leaves its input alone", () => {
    const input = [...packages];
    sortPackages(input, { column: "path", direction: "ascending" });
    expect(input).toEqual(packages);
  });
});

describe("nextPackageSort", () => {
  it.each<[PackageSort, PackageSort["column"], PackageSort]>([
    [{ column: "bytes", direction: "descending" }, "bytes", { column: "bytes", direction: "ascending" }],
    [{ column: "bytes", direction: "descending" }, "path", { column: "path", direction: "ascending" }],
    [{ column: "path", direction: "ascending" }, "path", { column: "path", direction: "descending" }],
    [{ column: "module", direction: "descending" }, "bytes", { column: "bytes", direction: "descending" }],
  ])("%o, click %s → %o", (current, column, want) => {
    expect(nextPackageSort(current, column)).toEqual(want);
  });
});

describe("packageRows", () => {
  it("names the module every package counts under, with its version", () => {
    const pkgs: BinaryPackage[] = [
      { path: "runtime", group: "std", bytes: 9, functions: 1 },
      { path: "(generated)", group: "other", bytes: 3, functions: 1 },
      { path: "example.com/greet", group: "dependency", module: "example.com/greet", version: "v1.2.3", bytes: 2, functions: 1 },
      { path: "example.com/loose", group: "dependency", bytes: 1, functions: 1 },
    ];
    const modules = [
      { path: "std", version: "go1.23.4" },
      { path: "(generated)", version: "" },
      { path: "example.com/greet", version: "v1.2.3" },
    ];
    expect(packageRows(pkgs, modules).map((p) => [p.path, p.module, p.version])).toEqual([
      ["runtime", "std", "go1.23.4"],
      ["(generated)", "(generated)", undefined],
      ["example.com/greet", "example.com/greet", "v1.2.3"],
      ["example.com/loose", "example.com/loose", undefined],
    ]);
  });
});
