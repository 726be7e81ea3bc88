"use client";
// What fills the image's Go binary (lib/binary's report): its size by ELF section, a
// treemap of modules split into packages, the packages as a sortable table, the modules
// with their versions, and the largest functions. Function sizes come from .gopclntab,
// which stripped (-s -w) binaries keep; padding between functions is in .text only.
import { useMemo } from "react";
import type { VariantAnalysisView } from "@/lib/comparisons/types";
import { formatBytes } from "@/lib/format";
import { formatPercent, sectionRows } from "@/lib/views/analysis-text";
import { binaryTreemapTiles } from "@/lib/views/size-treemap";
import { ModuleTable, SymbolTable } from "./binary-tables";
import { PackageTable } from "./package-table";
import { SizeTreemap } from "./size-treemap";
import styles from "./analysis.module.css";

type Binary = NonNullable<VariantAnalysisView["binary"]>;

export function BinarySection({ binary, variantKey }: { binary: Binary; variantKey: string }) {
  const tiles = useMemo(() => binaryTreemapTiles(binary), [binary]);
  const sections = sectionRows(binary.sections, binary.fileBytes);
  return (
    <div data-testid={`binary-${variantKey}`}>
      <dl className={styles.figures}>
        <dt>File</dt>
        <dd>
          <code>{binary.path}</code>, {formatBytes(binary.fileBytes)}
        </dd>
        <dt>Built with</dt>
        <dd>{binary.goVersion ?? "no build information"}</dd>
        {binary.mainModule ? (
          <>
            <dt>Main module</dt>
            <dd>
              <code>{binary.mainModule.path}</code> {binary.mainModule.version}
            </dd>
          </>
        ) : null}
        <dt>Machine code</dt>
        <dd>
          {formatBytes(binary.textBytes)} of .text, {formatBytes(binary.attributedBytes)} of it in {binary.functionCount.toLocaleString("en-US")} functions
        </dd>
      </dl>

      <div className="table-scroll">
        <table className={styles.compact} data-testid="sections">
          <caption className={styles.caption}>Size by ELF section (share of the file)</caption>
          <thead>
            <tr>
              <th scope="col">Section</th>
              <th scope="col" className="num">Size</th>
              <th scope="col" className={styles.barCell}>
                Share
              </th>
            </tr>
          </thead>
          <tbody>
            {sections.map((section) => (
              <tr key={section.name}>
                <td>
                  <code>{section.name}</code>
                </td>
                <td className="num">{formatBytes(section.bytes)}</td>
                <td className={styles.barCell}>
                  <span className={styles.bar} style={{ width: `${Math.max(section.share * 100, 0.5)}%` }} aria-hidden="true" />
                  <span className={styles.barText}>{formatPercent(section.share)}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <SizeTreemap tiles={tiles} title="Modules and packages" rootLabel="all modules" testId={`binary-treemap-${variantKey}`} />
      <PackageTable packages={binary.packages} modules={binary.modules} omitted={binary.omittedPackages} variantKey={variantKey} />
      <ModuleTable modules={binary.modules} />
      <SymbolTable symbols={binary.largestSymbols} />
    </div>
  );
}
