// The merged filesystem tree: whiteouts, opaque directories, links, replacements; then
// pruning (totals still add up), search by path, and the build-only summary.
import { describe, expect, it } from "vitest";
import { mergeLayers, pruneTree, searchTree, summarizeBuildOnly, type FileTreeNode } from "./file-tree";
import type { LayerEntry, LayerFiles } from "./layer-files";

const f = (path: string, size: number): LayerEntry => ({ path, size, type: "file", mode: 0o644 });
const d = (path: string): LayerEntry => ({ path, size: 0, type: "dir", mode: 0o755 });
const ln = (path: string, target: string): LayerEntry => ({ path, size: 0, type: "symlink", mode: 0o777, linkTarget: target });
const hl = (path: string, target: string): LayerEntry => ({ path, size: 0, type: "hardlink", mode: 0o755, linkTarget: target });
const wh = (path: string): LayerEntry => ({ path, size: 0, type: "file", mode: 0, whiteout: "file" });
const opq = (path: string): LayerEntry => ({ path, size: 0, type: "file", mode: 0, whiteout: "opaque" });
const layer = (...entries: LayerEntry[]): LayerFiles => ({ entries, truncated: false });

/** Every file's path and bytes, depth first in the tree's order, to compare against. */
function flatten(node: FileTreeNode): Array<[string, number]> {
  if (!node.children) return [[node.path, node.bytes]];
  return node.children.flatMap(flatten);
}

describe("mergeLayers", () => {
  it.each<[string, LayerFiles[], Array<[string, number]>]>([
    ["files from every layer, largest first", [layer(d("etc"), f("etc/a", 10)), layer(f("etc/b", 30), f("c", 20))], [["/etc/b", 30], ["/etc/a", 10], ["/c", 20]]],
    ["a later copy replaces an earlier one", [layer(f("x", 500)), layer(f("x", 7))], [["/x", 7]]],
    ["a whiteout deletes a file from the layers below", [layer(f("a", 1), f("b", 2)), layer(wh("a"))], [["/b", 2]]],
    ["a whiteout deletes a whole directory", [layer(d("cache"), f("cache/x", 5), f("cache/y/z", 6), f("keep", 1)), layer(wh("cache"))], [["/keep", 1]]],
    ["a whiteout does not delete what its own layer adds", [layer(f("a", 1)), layer(wh("a"), f("a", 9))], [["/a", 9]]],
    [
      "an opaque directory hides the lower contents but keeps its own layer's",
      [layer(d("var"), f("var/old1", 50), f("var/old2", 60), f("other", 1)), layer(d("var"), opq("var"), f("var/new", 5))],
      [["/var/new", 5], ["/other", 1]],
    ],
    ["symlinks and hardlinks add no bytes", [layer(f("usr/bin/perl", 100), hl("usr/bin/perl5", "usr/bin/perl"), ln("bin", "usr/bin"))], [["/usr/bin/perl", 100], ["/usr/bin/perl5", 0], ["/bin", 0]]],
    ["a file replaces a directory, contents and all", [layer(d("p"), f("p/q", 40)), layer(f("p", 3))], [["/p", 3]]],
    ["a whiteout of something never there changes nothing", [layer(f("a", 1)), layer(wh("nope/x"), wh("b"))], [["/a", 1]]],
  ])("%s", (_name, layers, files) => {
    const tree = mergeLayers(layers);
    expect(flatten(tree)).toEqual(files);
    expect(tree.bytes).toBe(files.reduce((sum, [, bytes]) => sum + bytes, 0));
    expect(tree.files).toBe(files.length);
  });

  it("gives directories cumulative sizes and counts, and the root its name", () => {
    const tree = mergeLayers([layer(d("usr"), d("usr/lib"), f("usr/lib/a", 5), f("usr/lib/b", 7), f("usr/x", 1)), null]);
    expect(tree).toEqual({
      name: "/",
      path: "/",
      bytes: 13,
      files: 3,
      children: [
        {
          name: "usr",
          path: "/usr",
          bytes: 13,
          files: 3,
          children: [
            { name: "lib", path: "/usr/lib", bytes: 12, files: 2, children: [{ name: "b", path: "/usr/lib/b", bytes: 7, files: 1 }, { name: "a", path: "/usr/lib/a", bytes: 5, files: 1 }] },
            { name: "x", path: "/usr/x", bytes: 1, files: 1 },
          ],
        },
      ],
    });
  });
});

// 3 top directories of 10 files each, sizes 1..10 times the directory's weight.
const wide = mergeLayers([layer(...["a", "b", "c"].flatMap((top, t) => Array.from({ length: 10 }, (_, i) => f(`${top}/f${i}`, (i + 1) * (t + 1) * 100))))]);

describe("pruneTree", () => {
  it("keeps the largest children per directory and folds the rest into one node that adds up", () => {
    const pruned = pruneTree(wide, { maxChildren: 3, maxNodes: 1000 });
    const c = pruned.children!.find((node) => node.name === "c")!;
    expect(c).toBeDefined();
    expect(c.children!.map((node) => node.name)).toEqual(["f9", "f8", "f7", "7 more"]);
    expect(c.children![3]).toEqual({ name: "7 more", path: "/c/…", bytes: 300 * (1 + 2 + 3 + 4 + 5 + 6 + 7), files: 7, more: 7 });
    for (const node of pruned.children!) expect(node.children!.reduce((sum, child) => sum + child.bytes, 0)).toBe(node.bytes);
    expect(pruned.bytes).toBe(wide.bytes);
  });

  it("spends a node budget on the largest nodes anywhere in the tree", () => {
    const pruned = pruneTree(wide, { maxChildren: 100, maxNodes: 6 });
    // c (16.5 KB), b (11 KB), a (5.5 KB), then c's three largest files beat any of b's.
    expect(pruned.children!.map((node) => node.name)).toEqual(["c", "b", "a"]);
    expect(pruned.children![0].children!.map((node) => node.name)).toEqual(["f9", "f8", "f7", "7 more"]);
    expect(pruned.children![1].children).toEqual([{ name: "10 more", path: "/b/…", bytes: wide.children![1].bytes, files: 10, more: 10 }]);
  });

  it("leaves a small tree as it is", () => {
    expect(pruneTree(wide, { maxChildren: 50, maxNodes: 50 })).toEqual(wide);
  });
});

describe("searchTree", () => {
  const tree = mergeLayers([layer(d("usr"), d("usr/lib/go-1.23"), f("usr/lib/go-1.23/bin/go", 900), f("usr/bin/gofmt", 300), f("etc/GOPATH.txt", 5), f("app", 50))]);
  it.each<[string, string, string[], number]>([
    ["a name, case-insensitive, largest first", "go", ["/usr/lib/go-1.23", "/usr/lib/go-1.23/bin", "/usr/lib/go-1.23/bin/go", "/usr/bin/gofmt", "/etc/GOPATH.txt"], 5],
    ["a path", "lib/go-1.23/bin", ["/usr/lib/go-1.23/bin", "/usr/lib/go-1.23/bin/go"], 2],
    ["nothing", "python", [], 0],
    ["an empty query", "  ", [], 0],
  ])("%s", (_name, query, paths, total) => {
    const result = searchTree(tree, query);
    expect(result.matches.map((match) => match.path)).toEqual(paths);
    expect(result.total).toBe(total);
  });

  it("limits the matches but counts them all", () => {
    const result = searchTree(wide, "/f", 4);
    expect(result.matches).toHaveLength(4);
    expect(result.matches[0]).toEqual({ path: "/c/f9", bytes: 3000, files: 1, dir: false });
    expect(result.total).toBe(30);
  });
});

describe("summarizeBuildOnly", () => {
  it("adds up the toolchain, caches and package manager files, and nothing else", () => {
    const tree = mergeLayers([
      layer(f("usr/lib/go-1.23/bin/go", 1000), f("usr/share/go-1.23/src/x.go", 200), f("usr/local/go/bin/go", 3000), f("usr/lib/golang-other/x", 7)),
      layer(f("root/go/pkg/mod/m@v1/a.go", 40), f("go/pkg/mod/n@v2/b.go", 60), f("root/.cache/go-build/aa/bb", 500)),
      layer(f("var/lib/apt/lists/x", 11), f("var/cache/apt/y", 12), f("var/lib/dpkg/status", 13), f("usr/share/doc/z", 14), f("usr/share/man/w", 15)),
      layer(f("out/app", 9999), f("usr/bin/git", 123)),
    ]);
    expect(summarizeBuildOnly(tree)).toEqual({ goToolchain: 4200, moduleCache: 100, buildCache: 500, packageManager: 65, total: 4865 });
  });

  it("is all zero for a scratch image", () => {
    expect(summarizeBuildOnly(mergeLayers([layer(f("app", 10))]))).toEqual({ goToolchain: 0, moduleCache: 0, buildCache: 0, packageManager: 0, total: 0 });
  });
});
