// The compare view's overview: one row per variant key with its size before and after
// (on disk, compressed below it, small: four columns must fit a phone) and the change;
// each key links to its section below.
import { formatBytes } from "@/lib/format";
import type { VariantDiff, VariantState } from "@/lib/views/compare-result";
import { SizeDelta } from "./size-delta";
import styles from "./compare.module.css";

export function CompareSummary({ variants }: { variants: VariantDiff[] }) {
  return (
    <>
      <p className={styles.legend}>Size on disk; compressed (what a pull moves) below it.</p>
      <div className="table-scroll">
        <table className={styles.table} data-testid="compare-summary">
          <caption className="visually-hidden">Size of each variant before and after, on disk and compressed</caption>
          <thead>
            <tr>
              <th scope="col">Variant</th>
              <th scope="col" className="num">Before</th>
              <th scope="col" className="num">After</th>
              <th scope="col" className="num">Change</th>
            </tr>
          </thead>
          <tbody>
            {variants.map(({ key, before, after, sizes }) => (
              <tr key={key} data-testid={`summary-${key}`}>
                <th scope="row">
                  <a href={`#diff-${key}`}>
                    <code>{key}</code>
                  </a>
                </th>
                <td className="num">{cell(before, sizes.disk.before, sizes.compressed.before)}</td>
                <td className="num">{cell(after, sizes.disk.after, sizes.compressed.after)}</td>
                <td className="num">
                  <SizeDelta delta={sizes.disk.deltaBytes} percent={sizes.disk.deltaPercent} />
                  {sizes.compressed.deltaBytes !== null ? (
                    <span className={styles.compressed}>
                      <SizeDelta delta={sizes.compressed.deltaBytes} percent={sizes.compressed.deltaPercent} />
                    </span>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function cell(state: VariantState | null, disk: number | null, compressed: number | null) {
  if (!state) return <span className="muted">absent</span>;
  if (state.status !== "built" || disk === null) return <span className="muted">{state.status}</span>;
  return (
    <>
      {formatBytes(disk)}
      {state.runVerdict === "fails" ? <> <span className="badge badge-fails">fails</span></> : null}
      <span className={styles.compressed}>{formatBytes(compressed)}</span>
    </>
  );
}
