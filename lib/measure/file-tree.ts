// Pure: an image's filesystem as a container sees it (every layer applied in order, OCI
// whiteouts honoured), as a directory tree with cumulative sizes, largest first; pruning
// it for storage and transport; searching it by path; and what a single-stage Go image
// carries for the build only (toolchain, caches, package manager files).
//
// Bytes are file contents as the layers list them: a hardlink adds nothing (its target
// counted once), a symlink or directory nothing. `files` counts everything but directories.
import type { LayerEntry, LayerFiles } from "./layer-files";

export interface FileTreeNode {
  name: string;
  /** Absolute: "/" for the root, "/usr/bin/app". */
  path: string;
  bytes: number;
  files: number;
  /** Present on directories (largest first); absent on everything else. */
  children?: FileTreeNode[];
  /** On a summary node left by pruning: how many entries it stands for. */
  more?: number;
}

/** `children` is made with the first child: most nodes are files, which have none. */
interface Merged { entry: LayerEntry | null; children: Map<string, Merged> | null }

/** The merged view of the layers (bottom first); a missing listing adds nothing. */
export function mergeLayers(layers: Array<LayerFiles | null>): FileTreeNode {
  const root: Merged = { entry: null, children: null };
  for (const layer of layers) {
    const entries = layer?.entries ?? [];
    // Whiteouts hide what the layers below have, never what this layer adds.
    for (const entry of entries) {
      if (entry.whiteout === "opaque") find(root, entry.path)?.children?.clear();
      if (entry.whiteout === "file") parentOf(root, entry.path)?.children?.delete(lastPart(entry.path));
    }
    for (const entry of entries) if (!entry.whiteout) add(root, entry);
  }
  return toNode(root, "", "/");
}

function add(root: Merged, entry: LayerEntry): void {
  let node = root;
  for (const part of entry.path.split("/")) {
    const children = (node.children ??= new Map());
    let child = children.get(part);
    if (!child) children.set(part, (child = { entry: null, children: null }));
    // Something listed below a file or link makes it a directory again.
    else if (child.entry && child.entry.type !== "dir") child.entry = null;
    node = child;
  }
  // A file or link over a directory replaces it, contents and all.
  if (entry.type !== "dir") node.children = null;
  node.entry = entry;
}

function find(root: Merged, path: string): Merged | null {
  let node: Merged | undefined = root;
  for (const part of path.split("/")) if (!(node = node.children?.get(part))) return null;
  return node;
}

const parentOf = (root: Merged, path: string): Merged | null => (path.includes("/") ? find(root, path.slice(0, path.lastIndexOf("/"))) : root);
const lastPart = (path: string): string => path.slice(path.lastIndexOf("/") + 1);

function toNode(merged: Merged, name: string, path: string): FileTreeNode {
  const isDir = merged.entry === null || merged.entry.type === "dir";
  if (!isDir) return { name, path, bytes: merged.entry?.type === "file" ? merged.entry.size : 0, files: 1 };
  const children = [...(merged.children ?? [])].map(([childName, child]) => toNode(child, childName, path === "/" ? `/${childName}` : `${path}/${childName}`));
  children.sort(largestFirst);
  return { name: name || "/", path, bytes: sum(children, "bytes"), files: sum(children, "files"), children };
}

const largestFirst = (a: FileTreeNode, b: FileTreeNode): number =>
  (a.more !== undefined ? 1 : 0) - (b.more !== undefined ? 1 : 0) || b.bytes - a.bytes || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
const sum = (nodes: FileTreeNode[], key: "bytes" | "files"): number => nodes.reduce((total, node) => total + node[key], 0);

export interface PruneOptions {
  /** Children kept per directory, the largest. */
  maxChildren?: number;
  /** Nodes kept in all (summary nodes not counted): the largest anywhere in the tree. */
  maxNodes?: number;
}

/**
 * The tree with only its largest nodes: kept nodes are chosen largest first across the
 * whole tree, at most maxChildren per directory; what a directory loses is one summary
 * node ("12 more", with their bytes and files), so every directory still adds up.
 */
export function pruneTree(tree: FileTreeNode, { maxChildren = 25, maxNodes = 1500 }: PruneOptions = {}): FileTreeNode {
  const copy = (node: FileTreeNode): FileTreeNode => {
    const { children, ...rest } = node;
    return children ? { ...rest, children: [] } : rest;
  };
  const out = copy(tree);
  const kept = new Map<FileTreeNode, FileTreeNode>([[tree, out]]);
  const heap = new MaxHeap<{ node: FileTreeNode; parent: FileTreeNode }>((item) => item.node.bytes);
  for (const child of tree.children ?? []) heap.push({ node: child, parent: tree });
  let count = 0;
  while (count < maxNodes && heap.size > 0) {
    const { node, parent } = heap.pop()!;
    const parentOut = kept.get(parent)!;
    if (parentOut.children!.length >= maxChildren) continue;
    const nodeOut = copy(node);
    parentOut.children!.push(nodeOut);
    kept.set(node, nodeOut);
    count++;
    for (const child of node.children ?? []) heap.push({ node: child, parent: node });
  }
  for (const [node, nodeOut] of kept) {
    if (!node.children || !nodeOut.children) continue;
    const left = node.children.filter((child) => !kept.has(child));
    if (left.length > 0) {
      const more = left.reduce((total, child) => total + (child.more ?? 1), 0);
      nodeOut.children.push({ name: `${more} more`, path: `${node.path === "/" ? "" : node.path}/…`, bytes: sum(left, "bytes"), files: sum(left, "files"), more });
    }
    nodeOut.children.sort(largestFirst);
  }
  return out;
}

export interface SearchMatch { path: string; bytes: number; files: number; dir: boolean }

/** Nodes whose path contains the query (case-insensitive), largest first; `total` counts all. */
export function searchTree(tree: FileTreeNode, query: string, limit = 50): { matches: SearchMatch[]; total: number } {
  const needle = query.trim().toLowerCase();
  if (!needle) return { matches: [], total: 0 };
  const matches: SearchMatch[] = [];
  const pending = [tree];
  for (let node = pending.pop(); node; node = pending.pop()) {
    if (node.more === undefined && node.path !== "/" && node.path.toLowerCase().includes(needle)) {
      matches.push({ path: node.path, bytes: node.bytes, files: node.files, dir: node.children !== undefined });
    }
    if (node.children) pending.push(...node.children);
  }
  matches.sort((a, b) => b.bytes - a.bytes || (a.path < b.path ? -1 : 1));
  return { matches: matches.slice(0, limit), total: matches.length };
}

/** Where a single-stage Go image keeps what only the build needs; a final "*" matches a name prefix. */
export const BUILD_ONLY = {
  goToolchain: ["/usr/local/go", "/usr/lib/go-*", "/usr/share/go-*"],
  moduleCache: ["/go/pkg/mod", "/root/go/pkg/mod"],
  buildCache: ["/root/.cache/go-build"],
  packageManager: ["/var/lib/apt/lists", "/var/cache/apt", "/var/lib/dpkg", "/usr/share/doc", "/usr/share/man"],
} as const;

export type BuildOnlySummary = Record<keyof typeof BUILD_ONLY, number> & { total: number };

/** Bytes per build-only category. Give it the whole tree: a pruned one may have folded them away. */
export function summarizeBuildOnly(tree: FileTreeNode): BuildOnlySummary {
  const summary = { goToolchain: 0, moduleCache: 0, buildCache: 0, packageManager: 0, total: 0 };
  for (const [category, patterns] of Object.entries(BUILD_ONLY) as Array<[keyof typeof BUILD_ONLY, readonly string[]]>) {
    const nodes = new Set(patterns.flatMap((pattern) => matching(tree, pattern)));
    for (const node of nodes) summary[category] += node.bytes;
    summary.total += summary[category];
  }
  return summary;
}

function matching(tree: FileTreeNode, pattern: string): FileTreeNode[] {
  const parts = pattern.split("/").filter(Boolean);
  let nodes = [tree];
  for (const part of parts) {
    const test = part.endsWith("*") ? (name: string) => name.startsWith(part.slice(0, -1)) : (name: string) => name === part;
    nodes = nodes.flatMap((node) => (node.children ?? []).filter((child) => child.more === undefined && test(child.name)));
  }
  return nodes;
}

class MaxHeap<T> {
  private readonly items: T[] = [];
  constructor(private readonly score: (item: T) => number) {}
  get size(): number {
    return this.items.length;
  }
  push(item: T): void {
    const items = this.items;
    items.push(item);
    for (let i = items.length - 1; i > 0; ) {
      const up = (i - 1) >> 1;
      if (this.score(items[up]) >= this.score(items[i])) break;
      [items[up], items[i]] = [items[i], items[up]];
      i = up;
    }
  }
  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    items[0] = last;
    for (let i = 0; ; ) {
      const [l, r] = [2 * i + 1, 2 * i + 2];
      let best = i;
      if (l < items.length && this.score(items[l]) > this.score(items[best])) best = l;
      if (r < items.length && this.score(items[r]) > this.score(items[best])) best = r;
      if (best === i) return top;
      [items[best], items[i]] = [items[i], items[best]];
      i = best;
    }
  }
}
