// One variant's changes between two comparisons: sizes before and after, where the bytes
// moved (by directory), files, layers and the Go binary; each block says why when it
// cannot be compared (a comparison made before that was recorded, a variant built once).
import { formatBytes } from "@/lib/format";
import type { SizeChange, VariantDiff as VariantDiffData } from "@/lib/views/compare-result";
import { BinaryDiff } from "./binary-diff";
import { ChangeTable } from "./change-table";
import { SizeDelta } from "./size-delta";
import styles from "./compare.module.css";

/** `allRows`: every row of each list (the page's ?rows=all), else the first ones of each. */
export function VariantDiff({ diff, allRows }: { diff: VariantDiffData; allRows: boolean }) {
  const { key, sizes, layers, unavailable } = diff;
  return (
    <section className={styles.variant} id={`diff-${key}`} data-testid={`diff-${key}`} aria-labelledby={`diff-${key}-heading`}>
      <h2 className={styles.variantTitle} id={`diff-${key}-heading`}>
        <code>{key}</code>
        {sizes.disk.deltaBytes !== null ? (
          <SizeDelta delta={sizes.disk.deltaBytes} percent={sizes.disk.deltaPercent} />
        ) : (
          <span className="badge badge-skipped">{diff.before?.status === "built" ? "before only" : diff.after?.status === "built" ? "after only" : "not built"}</span>
        )}
      </h2>
      <dl className={styles.sizes}>
        <SizeRow label="On disk" change={sizes.disk} />
        <SizeRow label="Compressed" change={sizes.compressed} />
      </dl>

      {layers === null ? (
        <Unavailable text={unavailable.layers} />
      ) : (
        <Blocks diff={diff} allRows={allRows} />
      )}
    </section>
  );
}

function Blocks({ diff, allRows }: { diff: VariantDiffData; allRows: boolean }) {
  const { key, layers, files, binary, unavailable } = diff;
  return (
    <>
      {files && files.directories.length > 0 ? (
        <>
          <h3>Where the bytes moved</h3>
          <ul className={styles.directories} data-testid={`directories-${key}`}>
            {files.directories.map((dir) => (
              <li key={dir.path}>
                <code>{dir.path}</code> <SizeDelta delta={dir.deltaBytes} />
              </li>
            ))}
          </ul>
        </>
      ) : null}

      <details className={styles.block} open>
        <summary>Files{files ? ` (${files.fileCount.before} → ${files.fileCount.after})` : ""}</summary>
        {files ? (
          <>
            {files.truncated ? <p className={styles.unavailable}>A layer&apos;s file list was cut short, so some files may be missing here.</p> : null}
            <ChangeTable list={files} noun={["file", "files"]} nameHeading="Path" bytes={(f) => f.bytes} testId={`files-${key}`} allRows={allRows} />
          </>
        ) : (
          <Unavailable text={unavailable.files} />
        )}
      </details>

      <details className={styles.block} open>
        <summary>Layers</summary>
        {layers ? (
          <ChangeTable list={layers} noun={["layer", "layers"]} nameHeading="Instruction" bytes={(l) => l.sizeBytes} label={(c) => c.name || "(no instruction)"} testId={`layers-${key}`} allRows={allRows} />
        ) : (
          <Unavailable text={unavailable.layers} />
        )}
      </details>

      <details className={styles.block} open>
        <summary>Go binary</summary>
        {binary ? <BinaryDiff diff={binary} variantKey={key} allRows={allRows} /> : <Unavailable text={unavailable.binary} />}
      </details>
    </>
  );
}

function SizeRow({ label, change }: { label: string; change: SizeChange }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>
        {change.deltaBytes === null ? (
          // One side only: its size, not "— → 697 MB —".
          formatBytes(change.before ?? change.after)
        ) : (
          <>
            {formatBytes(change.before)} → {formatBytes(change.after)} <SizeDelta delta={change.deltaBytes} percent={change.deltaPercent} />
          </>
        )}
      </dd>
    </>
  );
}

const Unavailable = ({ text }: { text?: string }) => <p className={styles.unavailable}>{text ?? "Nothing to compare."}</p>;
