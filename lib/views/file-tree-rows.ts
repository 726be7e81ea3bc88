// Pure: the rows a collapsible file tree shows (an image's merged filesystem, largest
// first as lib/measure/file-tree.ts sorts it), given which directories are open, and what
// a key press does in it — the WAI-ARIA tree pattern: Up/Down move, Right opens or steps
// into a directory, Left closes or steps out, Home/End jump, Enter and Space open or close.
import type { FileTreeNode } from "@/lib/measure/file-tree";

export interface TreeRow {
  path: string;
  name: string;
  bytes: number;
  files: number;
  /** 1 for the entries of "/" (aria-level). */
  level: number;
  /** A directory with something in it. */
  expandable: boolean;
  expanded: boolean;
  /** A summary of what pruning left out ("12 more"). */
  more: boolean;
  parent: string | null;
  /** Of the parent's bytes, 0..1. */
  share: number;
  posInSet: number;
  setSize: number;
}

/** Every row a reader sees: the root's entries and, below each open directory, its own. */
export function visibleTreeRows(tree: FileTreeNode, expanded: ReadonlySet<string>): TreeRow[] {
  const rows: TreeRow[] = [];
  const walk = (node: FileTreeNode, level: number, parent: string | null) => {
    const children = node.children ?? [];
    children.forEach((child, index) => {
      const expandable = (child.children?.length ?? 0) > 0;
      const open = expandable && expanded.has(child.path);
      rows.push({
        path: child.path,
        name: child.name,
        bytes: child.bytes,
        files: child.files,
        level,
        expandable,
        expanded: open,
        more: child.more !== undefined,
        parent,
        share: node.bytes > 0 ? child.bytes / node.bytes : 0,
        posInSet: index + 1,
        setSize: children.length,
      });
      if (open) walk(child, level + 1, child.path);
    });
  };
  walk(tree, 1, null);
  return rows;
}

/** The directories to open so that `path` shows: "/usr/lib/go" → ["/usr", "/usr/lib"]. */
export function ancestorsOf(path: string): string[] {
  const parts = path.split("/").filter(Boolean);
  return parts.slice(0, -1).map((_, i) => `/${parts.slice(0, i + 1).join("/")}`);
}

export type TreeAction = { focus: string } | { expand: string } | { collapse: string } | null;

/** What `key` does on the focused row (null: nothing, let the browser have it). */
export function treeKeyAction(rows: readonly TreeRow[], focused: string, key: string): TreeAction {
  const at = rows.findIndex((row) => row.path === focused);
  if (at < 0) return rows.length > 0 ? { focus: rows[0].path } : null;
  const row = rows[at];
  const focusAt = (index: number): TreeAction => (index >= 0 && index < rows.length && index !== at ? { focus: rows[index].path } : null);
  switch (key) {
    case "ArrowDown":
      return focusAt(at + 1);
    case "ArrowUp":
      return focusAt(at - 1);
    case "Home":
      return focusAt(0);
    case "End":
      return focusAt(rows.length - 1);
    case "ArrowRight":
      if (!row.expandable) return null;
      return row.expanded ? focusAt(at + 1) : { expand: row.path };
    case "ArrowLeft":
      if (row.expanded) return { collapse: row.path };
      return row.parent === null ? null : { focus: row.parent };
    case "Enter":
    case " ":
      if (!row.expandable) return null;
      return row.expanded ? { collapse: row.path } : { expand: row.path };
    default:
      return null;
  }
}
