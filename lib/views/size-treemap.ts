// Pure: the tiles of the two treemaps of "Why is it this big?" — an image's directories
// (`levels` deep) and a Go binary's modules, each split into its packages — and the level
// a reader has zoomed into. Few tiles stay readable: past `maxTiles` a level folds the
// rest into one "N more" tile, so every parent still adds up to its own bytes.
import type { BinaryModule, BinaryPackage } from "@/lib/binary/analyze-binary";
import type { PackageGroup } from "@/lib/binary/packages";
import type { FileTreeNode } from "@/lib/measure/file-tree";

export interface TreemapTile {
  name: string;
  /** Unique among the tiles: a directory's path, a module's or package's import path. */
  id: string;
  value: number;
  color: string;
  children?: TreemapTile[];
}

/** Top-level directories take these in turn; colour says which branch a tile is in. */
export const BRANCH_COLORS = ["#0b63ce", "#2e8540", "#b35c00", "#7b3fb3", "#0f7c8c", "#a3336b", "#5b6470"] as const;
export const GROUP_COLORS: Record<PackageGroup, string> = { main: "#0b63ce", dependency: "#b35c00", std: "#5b6f8a", other: "#9aa4b1" };
const FOLD_COLOR = "#aab2bd";

export interface TreemapOptions {
  levels?: number;
  maxTiles?: number;
}

/** Where a reader stands after zooming along `trail` (tile ids, outermost first): the path taken and the tiles shown. */
export function zoomInto(tiles: TreemapTile[], trail: readonly string[]): { path: TreemapTile[]; tiles: TreemapTile[] } {
  const path: TreemapTile[] = [];
  let shown = tiles;
  for (const id of trail) {
    const next = shown.find((tile) => tile.id === id && tile.children);
    if (!next?.children) break;
    path.push(next);
    shown = next.children;
  }
  return { path, tiles: shown };
}

export function fileTreemapTiles(root: FileTreeNode, { levels = 2, maxTiles = 12 }: TreemapOptions = {}): TreemapTile[] {
  const tiles = (node: FileTreeNode, level: number, color: (index: number) => string): TreemapTile[] =>
    fold(
      (node.children ?? []).filter((child) => child.bytes > 0),
      maxTiles,
      (child, index) => {
        const own = color(index);
        const nested = level < levels && child.children?.some((c) => c.bytes > 0);
        return {
          name: child.name,
          id: child.path,
          value: child.bytes,
          color: own,
          ...(nested ? { children: tiles(child, level + 1, () => own) } : {}),
        };
      },
      `${node.path} +`,
    );
  return tiles(root, 1, (index) => BRANCH_COLORS[index % BRANCH_COLORS.length]);
}

type ModuleLike = Pick<BinaryModule, "path" | "group" | "bytes">;
type PackageLike = Pick<BinaryPackage, "path" | "group" | "module" | "bytes">;

/** The module a package counts under, as lib/binary/analyze-binary.ts groups them. */
export function moduleKeyOf(pkg: PackageLike, stdModule = "std", otherModule = "(generated)"): string {
  return pkg.group === "std" ? stdModule : pkg.group === "other" ? otherModule : pkg.module ?? pkg.path;
}

/** Modules, each split into its largest packages (the rest, omitted packages included, folded). */
export function binaryTreemapTiles(binary: { modules: ModuleLike[]; packages: PackageLike[] }, { maxTiles = 12 }: TreemapOptions = {}): TreemapTile[] {
  return fold(
    binary.modules.filter((m) => m.bytes > 0),
    maxTiles,
    (module) => {
      const color = GROUP_COLORS[module.group];
      const packages = binary.packages.filter((p) => p.bytes > 0 && moduleKeyOf(p) === module.path);
      const listed = packages.reduce((sum, p) => sum + p.bytes, 0);
      const children = fold(packages, maxTiles, (p) => ({ name: p.path, id: `${module.path} ${p.path}`, value: p.bytes, color }), `${module.path} ++`);
      // Packages past the report's limit are in the module's bytes but not in the list.
      if (module.bytes > listed) children.push({ name: "other packages", id: `${module.path} +`, value: module.bytes - listed, color: FOLD_COLOR });
      return { name: module.path, id: module.path, value: module.bytes, color, children };
    },
    "+",
  );
}

// A summary node of the pruned tree ("12 more") counts as what it stands for.
function fold<T extends { bytes: number; more?: number }>(items: T[], maxTiles: number, tile: (item: T, index: number) => TreemapTile, foldId: string): TreemapTile[] {
  const sorted = [...items].sort((a, b) => b.bytes - a.bytes);
  const kept = sorted.length > maxTiles ? sorted.slice(0, maxTiles - 1) : sorted;
  const rest = sorted.slice(kept.length);
  const tiles = kept.map(tile);
  const count = rest.reduce((n, item) => n + (item.more ?? 1), 0);
  if (rest.length > 0) tiles.push({ name: `${count} more`, id: foldId, value: rest.reduce((sum, item) => sum + item.bytes, 0), color: FOLD_COLOR });
  return tiles;
}
