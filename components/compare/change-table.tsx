// One "what changed" list (files, layers, modules, packages) as tables per kind: added,
// removed, grown, shrunk, changed, each largest change first, with "and N more" when the
// list was capped. Server-rendered: no JavaScript reaches the browser for it.
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
  /** An extra column after the name (a version). */
  extra?: { heading: string; cell: (change: Change<T>) => ReactNode };
  testId: string;
}

export function ChangeTable<T>({ list, noun, nameHeading, bytes, label, extra, testId }: ChangeTableProps<T>) {
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
        <div key={kind} data-testid={`${testId}-${kind}`}>
          <p className={styles.kind}>
            {KIND_TITLES[kind]}: <span className={styles.kindCount}>{count(list.counts[kind])}</span>{" "}
            {kind === "changed" ? null : <SizeDelta delta={list.bytes[kind]} />}
          </p>
          <div className="table-scroll">
            <table className={styles.table}>
              <thead>
                <tr>
                  <th scope="col">{nameHeading}</th>
                  {extra ? <th scope="col">{extra.heading}</th> : null}
                  <th scope="col" className="num">Size</th>
                  <th scope="col" className="num">Change</th>
                </tr>
              </thead>
              <tbody>
                {list[kind].map((change, index) => (
                  <tr key={`${change.name}-${index}`}>
                    <td className={styles.name}>{label ? label(change) : change.name}</td>
                    {extra ? <td>{extra.cell(change)}</td> : null}
                    <td className="num" title={sizeTitle(change, bytes)}>{formatBytes(bytes((change.after ?? change.before)!))}</td>
                    <td className="num">
                      <SizeDelta delta={change.deltaBytes} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
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

function sizeTitle<T>(change: Change<T>, bytes: (item: T) => number): string {
  const before = change.before === null ? "none" : formatBytes(bytes(change.before));
  const after = change.after === null ? "none" : formatBytes(bytes(change.after));
  return `before: ${before}, after: ${after}`;
}
