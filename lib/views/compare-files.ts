// Pure: which files of one variant's image changed between two comparisons, from each
// image's full layer listings merged as a container sees them (mergeLayers honours the
// whiteouts, so a file a later layer deletes is not in the image). Only files and links
// count (a directory is where they are, not a change); sizes are content bytes, so a file
// whose content changed at the same size is not seen (the listings carry no hashes).
import { DEFAULT_LIST_LIMIT, classifyPairs, pairByName, type ChangeList } from "@/lib/views/compare-lists";
import { mergeLayers, type FileTreeNode } from "@/lib/measure/file-tree";
import type { LayerFiles } from "@/lib/measure/layer-files";

export interface CompareFile {
  /** Absolute: "/usr/bin/app". */
  path: string;
  bytes: number;
}

/** One image's files, or why they are not known. */
export type ImageFiles =
  | { known: true; files: CompareFile[]; fileCount: number; totalBytes: number; truncated: boolean }
  | { known: false; reason: string };

/**
 * The files of an image from its layers' listings, bottom first. `null` for a layer
 * whose listing is not stored makes the whole image unknown: guessing from the others
 * would report that layer's files as added or removed.
 */
export function imageFilesOf(layers: ReadonlyArray<LayerFiles | null>, missingReason: string): ImageFiles {
  if (layers.length === 0 || layers.some((layer) => layer === null)) return { known: false, reason: missingReason };
  const files: CompareFile[] = [];
  const pending: FileTreeNode[] = [mergeLayers([...layers])];
  for (let node = pending.pop(); node; node = pending.pop()) {
    if (node.children) pending.push(...node.children);
    else files.push({ path: node.path, bytes: node.bytes });
  }
  return {
    known: true,
    files,
    fileCount: files.length,
    totalBytes: files.reduce((total, file) => total + file.bytes, 0),
    truncated: layers.some((layer) => layer?.truncated === true),
  };
}

export interface FilesDiff extends ChangeList<CompareFile> {
  /** Where the bytes moved: directories and their total change, largest first. */
  directories: DirectoryChange[];
}

export interface DirectoryChange {
  /** "/usr/local/go": at most DIRECTORY_DEPTH levels below the root. */
  path: string;
  /** Every changed file below it, at any depth. */
  deltaBytes: number;
}

export const DIRECTORY_DEPTH = 3;

export function diffFiles(before: readonly CompareFile[], after: readonly CompareFile[], limit = DEFAULT_LIST_LIMIT): FilesDiff {
  const pairs = pairByName(before, after, (file) => file.path);
  const list = classifyPairs(pairs, { name: (file) => file.path, bytes: (file) => file.bytes }, limit);
  return { ...list, directories: directoriesOf(pairs, Math.min(limit, 12)) };
}

// A new toolchain is thousands of added files under one folder: one line says so. Each
// directory down to DIRECTORY_DEPTH totals the files below it; one whose whole change is
// one subdirectory's is left out for that subdirectory ("/root/.cache/go-build", not
// "/root" and "/root/.cache" too), and the root is the image's total, shown elsewhere.
function directoriesOf(pairs: ReadonlyArray<readonly [CompareFile | null, CompareFile | null]>, limit: number): DirectoryChange[] {
  const sums = new Map<string, number>();
  for (const [before, after] of pairs) {
    const delta = (after?.bytes ?? 0) - (before?.bytes ?? 0);
    if (delta === 0) continue;
    const parts = (after ?? before)!.path.split("/").filter(Boolean).slice(0, -1).slice(0, DIRECTORY_DEPTH);
    for (let depth = 1; depth <= parts.length; depth++) {
      const dir = `/${parts.slice(0, depth).join("/")}`;
      sums.set(dir, (sums.get(dir) ?? 0) + delta);
    }
  }
  const parentOf = (dir: string) => dir.slice(0, dir.lastIndexOf("/"));
  const explained = new Set<string>();
  for (const [dir, delta] of sums) if (sums.get(parentOf(dir)) === delta) explained.add(parentOf(dir));
  return [...sums]
    .filter(([dir, delta]) => delta !== 0 && !explained.has(dir))
    .map(([path, deltaBytes]) => ({ path, deltaBytes }))
    .sort((a, b) => Math.abs(b.deltaBytes) - Math.abs(a.deltaBytes) || (a.path < b.path ? -1 : 1))
    .slice(0, limit);
}
