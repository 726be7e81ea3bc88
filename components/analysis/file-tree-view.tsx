"use client";
// A collapsible directory tree with sizes, largest first, operated by mouse or keyboard
// as a WAI-ARIA tree (one tab stop; arrows, Home/End, Enter/Space: lib/views/file-tree-rows.ts).
// Each row's background bar is its share of its directory.
import { useEffect, useRef, useState, type KeyboardEvent } from "react";
import type { FileTreeNode } from "@/lib/measure/file-tree";
import { formatBytes } from "@/lib/format";
import { ancestorsOf, treeKeyAction, visibleTreeRows, type TreeRow } from "@/lib/views/file-tree-rows";
import { formatPercent } from "@/lib/views/analysis-text";
import styles from "./file-tree.module.css";

interface FileTreeViewProps {
  tree: FileTreeNode;
  label: string;
  /** Open the directories above this path and focus it (a search result chosen). */
  reveal: { path: string } | null;
}

export function FileTreeView({ tree, label, reveal }: FileTreeViewProps) {
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set());
  const [focused, setFocused] = useState<string | null>(null);
  // Bumped when the browser's focus must follow (a key press, a search result), never on a mere re-render.
  const [focusRequest, setFocusRequest] = useState(0);
  const list = useRef<HTMLUListElement>(null);
  const rows = visibleTreeRows(tree, expanded);
  const current = rows.some((row) => row.path === focused) ? focused : (rows[0]?.path ?? null);

  const focusRow = (path: string) => {
    setFocused(path);
    setFocusRequest((n) => n + 1);
  };

  useEffect(() => {
    if (!reveal) return;
    setExpanded((open) => new Set([...open, ...ancestorsOf(reveal.path)]));
    focusRow(reveal.path);
  }, [reveal]);

  useEffect(() => {
    if (focusRequest === 0 || !focused) return;
    const row = list.current?.querySelector<HTMLElement>(`[data-path="${CSS.escape(focused)}"]`);
    row?.focus();
    row?.scrollIntoView({ block: "nearest" });
  }, [focusRequest, focused]);

  const toggle = (path: string, open: boolean) =>
    setExpanded((was) => {
      const next = new Set(was);
      if (open) next.add(path);
      else next.delete(path);
      return next;
    });

  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    if (!current) return;
    const action = treeKeyAction(rows, current, event.key);
    if (!action) return;
    event.preventDefault();
    if ("focus" in action) focusRow(action.focus);
    else if ("expand" in action) toggle(action.expand, true);
    else toggle(action.collapse, false);
  };

  return (
    <ul role="tree" aria-label={label} className={styles.tree} ref={list} onKeyDown={onKeyDown} data-testid="file-tree">
      {rows.map((row) => (
        <Row
          key={row.path}
          row={row}
          tabbable={row.path === current}
          onFocus={() => setFocused(row.path)}
          onClick={() => {
            setFocused(row.path);
            if (row.expandable) toggle(row.path, !row.expanded);
          }}
        />
      ))}
    </ul>
  );
}

function Row({ row, tabbable, onFocus, onClick }: { row: TreeRow; tabbable: boolean; onFocus: () => void; onClick: () => void }) {
  const percent = Math.round(row.share * 1000) / 10;
  return (
    <li
      role="treeitem"
      aria-level={row.level}
      aria-setsize={row.setSize}
      aria-posinset={row.posInSet}
      aria-expanded={row.expandable ? row.expanded : undefined}
      aria-selected={tabbable}
      tabIndex={tabbable ? 0 : -1}
      data-path={row.path}
      className={`${styles.treeRow}${row.more ? ` ${styles.more}` : ""}`}
      style={{ paddingLeft: `${(row.level - 1) * 0.9 + 0.25}rem`, backgroundSize: `${percent}% 100%` }}
      onFocus={onFocus}
      onClick={onClick}
    >
      <span className={styles.caret} aria-hidden="true">
        {row.expandable ? (row.expanded ? "▾" : "▸") : ""}
      </span>
      <span className={styles.treeName} title={row.path}>
        {row.name}
        {row.expandable ? "/" : ""}
      </span>
      <span className={styles.treeSize}>
        {formatBytes(row.bytes)}
        <span className="visually-hidden">, {formatPercent(row.share)} of its directory</span>
      </span>
    </li>
  );
}
