"use client";
// The files a container of this image sees: what it carries for the build only (the
// single-stage image), dive's efficiency figures and the paths that waste the most, a
// browsable and searchable directory tree, and a treemap of the directories.
import { useMemo, useState } from "react";
import type { VariantAnalysisView } from "@/lib/comparisons/types";
import { formatBytes } from "@/lib/format";
import { buildOnlyLine, formatPercent } from "@/lib/views/analysis-text";
import { fileTreemapTiles } from "@/lib/views/size-treemap";
import { BreakablePath } from "./breakable-path";
import { FileSearch } from "./file-search";
import { FileTreeView } from "./file-tree-view";
import { SizeTreemap } from "./size-treemap";
import styles from "./analysis.module.css";

const SHOWN_INEFFICIENCIES = 10;

export function FilesSection({ analysis, variantKey }: { analysis: VariantAnalysisView; variantKey: string }) {
  const { tree, efficiency, buildOnly } = analysis;
  const [reveal, setReveal] = useState<{ path: string } | null>(null);
  const tiles = useMemo(() => fileTreemapTiles(tree, { levels: 8 }), [tree]);
  const buildOnlyText = buildOnlyLine(buildOnly);

  if (!tree.children?.length) {
    return <p className="empty">File list unavailable for layers measured before this version of Slimstage.</p>;
  }
  return (
    <>
      {buildOnlyText ? (
        <p className={styles.buildOnly} data-testid="build-only">
          {buildOnlyText}.
        </p>
      ) : null}
      {efficiency.complete ? null : (
        <p className="muted">Some layers&apos; file lists are unavailable (measured before this version): the figures cover the layers that were listed.</p>
      )}

      <dl className={styles.figures} data-testid="efficiency">
        <dt>Efficiency (dive)</dt>
        <dd>{formatPercent(efficiency.efficiency)}</dd>
        <dt>Potential wasted space</dt>
        <dd>{formatBytes(efficiency.wastedBytes)}</dd>
        <dt>Files in all layers</dt>
        <dd>{formatBytes(efficiency.totalBytes)}</dd>
      </dl>
      {efficiency.inefficiencies.length > 0 ? (
        <div className="table-scroll">
          <table className={styles.compact}>
            <caption className={styles.caption}>Paths a later layer overwrites or deletes, largest first</caption>
            <thead>
              <tr>
                <th scope="col">Path</th>
                <th scope="col" className="num">Copies</th>
                <th scope="col" className="num">Space</th>
              </tr>
            </thead>
            <tbody>
              {efficiency.inefficiencies.slice(0, SHOWN_INEFFICIENCIES).map((item) => (
                <tr key={item.path}>
                  <td className={styles.path}>
                    <BreakablePath text={item.path} />
                  </td>
                  <td className="num">{item.count}</td>
                  <td className="num">{formatBytes(item.wastedBytes)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="muted">No layer overwrites or deletes a file of the layers below it.</p>
      )}

      <h5 className={styles.subhead}>Directories, largest first</h5>
      <FileSearch tree={tree} onReveal={(path) => setReveal({ path })} />
      <FileTreeView tree={tree} label={`Files of ${variantKey}`} reveal={reveal} />
      <p className={styles.hint}>
        {formatBytes(tree.bytes)} in {tree.files.toLocaleString("en-US")} files. Only the largest entries are kept; the rest of a directory is one
        &ldquo;more&rdquo; line.
      </p>

      <SizeTreemap tiles={tiles} title="Directories" rootLabel="/" testId={`files-treemap-${variantKey}`} />
    </>
  );
}
