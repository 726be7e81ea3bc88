// One "what changed" list (files, layers, modules, packages) as tables per kind: added,
// removed, grown, shrunk, changed, each largest change first, with "and N more" when the
// list was capped. Server-rendered: no JavaScript reaches the browser for it. Past its
// first rows a kind's rest is rendered only when the page is asked for every row
// (?rows=all, a link in its place): most readers stop at the largest changes, and the
// rest was most of the page's bytes.
import type { ReactNode } from "react";
import { formatBytes } from "@/lib/format";
import { CHANGE_KINDS, hasChanges, type Change, type ChangeKind, type ChangeList } from "@/lib/views/compare-lists";
import { formatByteDelta } from "@/lib/views/compare-format";
import { SizeDelta } from "./size-delta";
import styles from "./compare.module.css";

const KIND_TITLES: Record<ChangeKind, string> = { added: "Added", removed: "Removed", grown: "Grown", shrunk: "Shrunk", changed: "Changed, same size" };

interface ChangeTableProps<T> {
  list: ChangeList<T>;
  /** ["file", "files"] */
  noun: [string, string];
  /** Heading of the name column. */
  nameHeading: string;
  bytes: (item: T) => number;
  /** The name cell; the change's name by default. */
  label?: (change: Change<T>) => ReactNode;
  /** A second line under the name (a version): a fourth column would not fit a phone. */
  detail?: (change: Change<T>) => ReactNode;
  testId: string;
  /** Every row rendered (the page's ?rows=all), or the first ones and a link to the rest. */
  allRows: boolean;
}

/** Rows shown at once; the rest of a (capped) list opens below them. */
const VISIBLE_ROWS = 5;

export function ChangeTable<T>({ list, noun, nameHeading, bytes, label, detail, testId, allRows }: ChangeTableProps<T>) {
  const columns = { nameHeading, bytes, label, detail };
  const count = (n: number) => `${n} ${n === 1 ? noun[0] : noun[1]}`;
  if (!hasChanges(list)) {
    return (
      <p className="muted" data-testid={testId}>
        No {noun[1]} changed{list.counts.unchanged > 0 ? ` (${count(list.counts.unchanged)} the same)` : ""}.
      </p>
    );
  }
  return (
    <div data-testid={testId}>
      {CHANGE_KINDS.filter((kind) => list.counts[kind] > 0).map((kind) => (
        <div key={kind} id={`${testId}-${kind}`} data-testid={`${testId}-${kind}`}>
          <p className={styles.kind}>
            {KIND_TITLES[kind]}: <span className={styles.kindCount}>{count(list.counts[kind])}</span>{" "}
            {kind === "changed" ? null : <SizeDelta delta={list.bytes[kind]} />}
          </p>
          <Rows changes={list[kind].slice(0, VISIBLE_ROWS)} {...columns} />
          {list[kind].length <= VISIBLE_ROWS ? null : allRows ? (
            <details className={styles.rest} open>
              <summary>{list[kind].length - VISIBLE_ROWS} more</summary>
              <Rows changes={list[kind].slice(VISIBLE_ROWS)} {...columns} />
            </details>
          ) : (
            <p className={styles.rest}>
              <a href={`?rows=all#${testId}-${kind}`} data-testid={`${testId}-${kind}-more`}>
                Show {list[kind].length - VISIBLE_ROWS} more
              </a>
            </p>
          )}
          {list.counts[kind] > list[kind].length ? (
            <p className={styles.more}>
              …and {count(list.counts[kind] - list[kind].length)} more ({formatByteDelta(list.bytes[kind] - list[kind].reduce((sum, c) => sum + c.deltaBytes, 0))}).
            </p>
          ) : null}
        </div>
      ))}
      {list.counts.unchanged > 0 ? <p className={styles.more}>{count(list.counts.unchanged)} unchanged.</p> : null}
    </div>
  );
}

type RowsProps<T> = Pick<ChangeTableProps<T>, "nameHeading" | "bytes" | "label" | "detail"> & { changes: Change<T>[] };

function Rows<T>({ changes, nameHeading, bytes, label, detail }: RowsProps<T>) {
  return (
    <div className="table-scroll">
      <table className={styles.table}>
        <thead>
          <tr>
            <th scope="col">{nameHeading}</th>
            <th scope="col" className="num">Size</th>
            <th scope="col" className="num">Change</th>
          </tr>
        </thead>
        <tbody>
          {changes.map((change, index) => (
            <tr key={`${change.name}-${index}`}>
              <td className={styles.name}>
                {label ? label(change) : change.name}
                {detail ? <span className={styles.detail}>{detail(change)}</span> : null}
              </td>
              <td className="num" title={sizeTitle(change, bytes)}>
                {formatBytes(bytes((change.after ?? change.before)!))}
              </td>
              <td className="num">
                <SizeDelta delta={change.deltaBytes} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function sizeTitle<T>(change: Change<T>, bytes: (item: T) => number): string {
  const before = change.before === null ? "none" : formatBytes(bytes(change.before));
  const after = change.after === null ? "none" : formatBytes(bytes(change.after));
  return `before: ${before}, after: ${after}`;
}
