// Pure: the order of a Go binary's package table. Bytes sort largest first on the first
// click, text columns A to Z; a second click on the same column flips it. Ties keep the
// packages' path order, and a package without a module or version sorts after those with one.
import type { BinaryModule, BinaryPackage } from "@/lib/binary/analyze-binary";
import type { SortDirection } from "@/lib/views/layer-order";
import { moduleKeyOf } from "@/lib/views/size-treemap";

export type PackageSortColumn = "path" | "module" | "version" | "bytes";

export interface PackageSort {
  column: PackageSortColumn;
  direction: SortDirection;
}

export const DEFAULT_PACKAGE_SORT: PackageSort = { column: "bytes", direction: "descending" };

type PackageRow = Pick<BinaryPackage, "path" | "module" | "version" | "bytes">;

/** Each package with the module it counts under and that module's version ("std" and the Go version for the standard library). */
export function packageRows(packages: readonly BinaryPackage[], modules: readonly Pick<BinaryModule, "path" | "version">[]): BinaryPackage[] {
  const versions = new Map(modules.map((m) => [m.path, m.version]));
  return packages.map((p) => {
    const module = p.module ?? moduleKeyOf(p);
    const version = p.version ?? versions.get(module);
    return { ...p, module, ...(version ? { version } : {}) };
  });
}

export function sortPackages<T extends PackageRow>(packages: readonly T[], { column, direction }: PackageSort): T[] {
  const sign = direction === "ascending" ? 1 : -1;
  const byPath = (a: T, b: T) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  return [...packages].sort((a, b) => {
    if (column === "bytes") return (a.bytes - b.bytes) * sign || byPath(a, b);
    if (column === "path") return byPath(a, b) * sign;
    const [x, y] = [a[column] ?? "", b[column] ?? ""];
    if (x === "" || y === "") return x === y ? byPath(a, b) : x === "" ? 1 : -1;
    return (x < y ? -1 : x > y ? 1 : 0) * sign || byPath(a, b);
  });
}

export function nextPackageSort(current: PackageSort, column: PackageSortColumn): PackageSort {
  if (current.column === column) return { column, direction: current.direction === "ascending" ? "descending" : "ascending" };
  return { column, direction: column === "bytes" ? "descending" : "ascending" };
}

export const PACKAGE_SORT_TEXT: Record<PackageSortColumn, string> = {
  path: "package path",
  module: "module",
  version: "version",
  bytes: "size",
};
