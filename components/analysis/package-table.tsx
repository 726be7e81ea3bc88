"use client";
// The Go packages of a binary as a table sortable by path, module, version or size
// (lib/views/package-order.ts); the largest 50 at first, all of them a click away.
import { useMemo, useState } from "react";
import type { BinaryModule, BinaryPackage } from "@/lib/binary/analyze-binary";
import { formatBytes } from "@/lib/format";
import { SortableHeader } from "@/components/sortable-header";
import { DEFAULT_PACKAGE_SORT, nextPackageSort, PACKAGE_SORT_TEXT, packageRows, sortPackages, type PackageSort, type PackageSortColumn } from "@/lib/views/package-order";
import { GROUP_TEXT } from "./binary-tables";
import { BreakablePath } from "./breakable-path";
import styles from "./analysis.module.css";

const FIRST_ROWS = 50;

interface PackageTableProps {
  packages: BinaryPackage[];
  modules: BinaryModule[];
  omitted: { count: number; bytes: number };
  variantKey: string;
}

export function PackageTable({ packages, modules, omitted, variantKey }: PackageTableProps) {
  const [sort, setSort] = useState<PackageSort>(DEFAULT_PACKAGE_SORT);
  const [all, setAll] = useState(false);
  const withModules = useMemo(() => packageRows(packages, modules), [packages, modules]);
  const rows = sortPackages(withModules, sort);
  const shown = all ? rows : rows.slice(0, FIRST_ROWS);

  const header = (column: PackageSortColumn, label: string, numeric = false) => (
    <SortableHeader
      label={label}
      numeric={numeric}
      direction={sort.column === column ? sort.direction : null}
      onSort={() => setSort(nextPackageSort(sort, column))}
    />
  );

  return (
    <>
      <div className="table-scroll">
        <table className={styles.compact} data-testid={`packages-${variantKey}`}>
          <caption className={styles.caption}>
            Packages by {PACKAGE_SORT_TEXT[sort.column]}
            {sort.column === "bytes" ? (sort.direction === "descending" ? ", largest first" : ", smallest first") : sort.direction === "descending" ? ", Z to A" : ""}
          </caption>
          <thead>
            <tr>
              {header("path", "Package")}
              {header("module", "Module")}
              {header("version", "Version")}
              {header("bytes", "Code", true)}
            </tr>
          </thead>
          <tbody>
            {shown.map((pkg) => (
              <tr key={pkg.path}>
                <td className={styles.path}>
                  <BreakablePath text={pkg.path} />
                </td>
                <td className={styles.path} title={GROUP_TEXT[pkg.group]}>
                  <BreakablePath text={pkg.module ?? ""} />
                </td>
                <td>{pkg.version ?? "—"}</td>
                <td className="num">{formatBytes(pkg.bytes)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className={styles.hint}>
        {rows.length > FIRST_ROWS ? (
          <button type="button" className="button button-secondary button-small" onClick={() => setAll(!all)}>
            {all ? `Show the first ${FIRST_ROWS}` : `Show all ${rows.length} packages`}
          </button>
        ) : null}{" "}
        {omitted.count > 0 ? `${omitted.count} smaller packages (${formatBytes(omitted.bytes)}) are not listed.` : null}
      </p>
    </>
  );
}
