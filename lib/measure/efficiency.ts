// Pure: dive's efficiency figures for an image, from its layers' file listings (bottom
// first). Computed as dive's code does it (filetree/efficiency.go and the image analysis
// that sums it), quirks included, so the numbers match what people see in dive:
//
// - In each layer, only leaves count: entries with nothing below them in that layer (a
//   directory whose files are listed is not counted, its files are).
// - Each path collects the size of every copy seen, layer after layer. A whiteout is a
//   copy too: of 0 bytes when it deletes a file (so the deleted file's bytes are all
//   "wasted"), of the whole deleted subtree when it deletes a directory (as the layers
//   below stacked it: dive then counts that subtree on both sides, so deleting a
//   directory costs nothing in the score).
// - efficiency = Σ(smallest copy of each path) / Σ(all copies), 1 when there are no bytes.
// - wastedBytes ("potential wasted space") = Σ(all copies) over the paths seen more than
//   once, the latest copy included. `redundantBytes` = Σ(all copies − smallest copy), what
//   the score counts against the image: 1 − efficiency = redundantBytes / totalBytes.
// - Opaque markers (.wh..wh..opq) are ignored, as dive ignores them.
import type { LayerEntry, LayerFiles } from "./layer-files";

export interface Inefficiency {
  /** Absolute ("/usr/bin/app"), as dive shows it. */
  path: string;
  /** Copies seen, whiteouts included. */
  count: number;
  /** All copies' bytes (dive's "total space" column). */
  wastedBytes: number;
}

export interface Efficiency {
  efficiency: number;
  wastedBytes: number;
  redundantBytes: number;
  totalBytes: number;
  /** The largest first, at most TOP_INEFFICIENCIES; paths of 0 bytes are left out. */
  inefficiencies: Inefficiency[];
  /** False when a layer's listing was missing or truncated: the figures cover what was listed. */
  complete: boolean;
}

export const TOP_INEFFICIENCIES = 20;

interface PathData { count: number; total: number; min: number }

/**
 * A node of the layers stacked so far; `entry` null for a directory only implied by its
 * children. `children` is made with the first child: most nodes are files, which have none.
 */
interface Stacked { entry: LayerEntry | null; children: Map<string, Stacked> | null }

export function efficiencyOf(layers: Array<LayerFiles | null>, top = TOP_INEFFICIENCIES): Efficiency {
  const paths = new Map<string, PathData>();
  const root: Stacked = { entry: null, children: null };
  for (const layer of layers) {
    const entries = uniqueEntries(layer?.entries ?? []);
    for (const entry of leaves(entries)) {
      const size = entry.whiteout ? removedBytes(find(root, entry.path)) : entry.size;
      const data = paths.get(entry.path);
      if (!data) paths.set(entry.path, { count: 1, total: size, min: size });
      else {
        data.count += 1;
        data.total += size;
        data.min = Math.min(data.min, size);
      }
    }
    stack(root, entries);
  }

  let totalBytes = 0;
  let smallest = 0;
  let wastedBytes = 0;
  const repeated: Inefficiency[] = [];
  for (const [path, data] of paths) {
    totalBytes += data.total;
    smallest += data.min;
    if (data.count < 2) continue;
    wastedBytes += data.total;
    if (data.total > 0) repeated.push({ path: `/${path}`, count: data.count, wastedBytes: data.total });
  }
  repeated.sort((a, b) => b.wastedBytes - a.wastedBytes || a.path.localeCompare(b.path));
  return {
    efficiency: totalBytes === 0 ? 1 : smallest / totalBytes,
    wastedBytes,
    redundantBytes: totalBytes - smallest,
    totalBytes,
    inefficiencies: repeated.slice(0, top),
    complete: layers.every((layer) => layer !== null && !layer.truncated),
  };
}

// One entry per path and kind (a path listed twice in a layer is one node in dive, the
// last payload winning); opaque markers dropped.
function uniqueEntries(entries: LayerEntry[]): LayerEntry[] {
  const byKey = new Map<string, LayerEntry>();
  for (const entry of entries) {
    if (entry.whiteout === "opaque") continue;
    byKey.set(`${entry.whiteout ? "w" : "e"}:${entry.path}`, entry);
  }
  return [...byKey.values()];
}

function leaves(entries: LayerEntry[]): LayerEntry[] {
  const parents = new Set<string>();
  for (const { path } of entries) {
    // Deepest ancestor first: one already known has its own ancestors known too.
    for (let at = path.lastIndexOf("/"); at > 0; at = path.lastIndexOf("/", at - 1)) {
      const parent = path.slice(0, at);
      if (parents.has(parent)) break;
      parents.add(parent);
    }
  }
  return entries.filter((entry) => entry.whiteout || !parents.has(entry.path));
}

function find(root: Stacked, path: string): Stacked | null {
  let node: Stacked | undefined = root;
  for (const part of path.split("/")) {
    node = node.children?.get(part);
    if (!node) return null;
  }
  return node;
}

// Dive sums a deleted directory's subtree (the directory's own size too) and counts a
// deleted file, or a path the layers below do not have, as 0.
function removedBytes(node: Stacked | null): number {
  if (!node || node.entry?.type !== "dir") return 0;
  let bytes = 0;
  const pending = [node];
  for (let next = pending.pop(); next; next = pending.pop()) {
    bytes += next.entry?.size ?? 0;
    if (next.children) pending.push(...next.children.values());
  }
  return bytes;
}

// Dive's Stack: whiteouts delete, every other node of the layer (the directories it only
// implies included, with a blank payload) replaces the payload below and keeps children.
function stack(root: Stacked, entries: LayerEntry[]): void {
  for (const entry of entries) {
    if (!entry.whiteout) continue;
    const at = entry.path.lastIndexOf("/");
    const parent = at < 0 ? root : find(root, entry.path.slice(0, at));
    parent?.children?.delete(entry.path.slice(at + 1));
  }
  const own = new Set(entries.filter((entry) => !entry.whiteout).map((entry) => entry.path));
  for (const entry of entries) {
    if (entry.whiteout) continue;
    let node = root;
    // Each part and the path up to it are cut from the entry's path, not joined again.
    const path = entry.path;
    for (let start = 0; start <= path.length; ) {
      const slash = path.indexOf("/", start);
      const end = slash < 0 ? path.length : slash;
      const part = path.slice(start, end);
      const children = (node.children ??= new Map());
      let child = children.get(part);
      if (!child) children.set(part, (child = { entry: null, children: null }));
      if (slash < 0) child.entry = entry;
      else if (!own.has(path.slice(0, end))) child.entry = null;
      node = child;
      start = end + 1;
    }
  }
}
