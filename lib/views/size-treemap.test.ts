import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { analyzeGoBinary } from "@/lib/binary/analyze-binary";
import { mergeLayers, pruneTree } from "@/lib/measure/file-tree";
import type { LayerEntry } from "@/lib/measure/layer-files";
import { binaryTreemapTiles, fileTreemapTiles, GROUP_COLORS, zoomInto, type TreemapTile } from "@/lib/views/size-treemap";

const file = (p: string, size: number): LayerEntry => ({ path: p, size, type: "file", mode: 0o644 });
const tree = pruneTree(
  mergeLayers([
    {
      entries: [
        file("usr/lib/go/bin/go", 600),
        file("usr/lib/go/pkg/a", 100),
        file("usr/bin/git", 200),
        file("usr/bin/ls", 50),
        file("usr/share/empty", 0),
        file("etc/passwd", 5),
        file("etc/group", 4),
        file("app", 300),
        file("zero", 0),
      ],
      truncated: false,
    },
  ]),
);

const shape = (tiles: TreemapTile[]): unknown => tiles.map((t) => (t.children ? [t.name, t.value, shape(t.children)] : [t.name, t.value]));
const sums = (tiles: TreemapTile[]): boolean => tiles.every((t) => !t.children || (t.children.reduce((s, c) => s + c.value, 0) === t.value && sums(t.children)));

describe("fileTreemapTiles", () => {
  it.each<[string, { levels?: number; maxTiles?: number }, unknown]>([
    ["two levels", {}, [["usr", 950, [["lib", 700], ["bin", 250]]], ["app", 300], ["etc", 9, [["passwd", 5], ["group", 4]]]]],
    ["one level", { levels: 1 }, [["usr", 950], ["app", 300], ["etc", 9]]],
    ["two tiles a level", { maxTiles: 2 }, [["usr", 950, [["lib", 700], ["bin", 250]]], ["2 more", 309]]],
  ])("%s", (_, options, want) => {
    const tiles = fileTreemapTiles(tree, options);
    expect(shape(tiles)).toEqual(want);
    expect(sums(tiles)).toBe(true);
  });

  it("gives each top-level branch its colour and keeps ids unique", () => {
    const tiles = fileTreemapTiles(tree, { maxTiles: 2 });
    const [usr, more] = tiles;
    expect(usr.children!.every((c) => c.color === usr.color)).toBe(true);
    expect(more.color).not.toBe(usr.color);
    const ids = [tiles, usr.children!].flat().map((t) => t.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe("zoomInto", () => {
  const tiles = fileTreemapTiles(tree, { levels: 6 });
  const names = (trail: string[]) => {
    const at = zoomInto(tiles, trail);
    return [at.path.map((t) => t.name), at.tiles.map((t) => t.name)];
  };
  it.each<[string[], unknown]>([
    [[], [[], ["usr", "app", "etc"]]],
    [["/usr"], [["usr"], ["lib", "bin"]]],
    [["/usr", "/usr/lib", "/usr/lib/go"], [["usr", "lib", "go"], ["bin", "pkg"]]],
    // A file has nothing to zoom into, and a trail that no longer fits stops where it fits.
    [["/app"], [[], ["usr", "app", "etc"]]],
    [["/usr", "/etc"], [["usr"], ["lib", "bin"]]],
  ])("%o → %o", (trail, want) => {
    expect(names(trail)).toEqual(want);
  });
});

describe("binaryTreemapTiles", () => {
  const report = analyzeGoBinary(readFileSync(path.join(process.cwd(), "lib", "binary", "fixtures", "greetapp.stripped")))!;

  it("splits each module into its packages, which add up to the module", () => {
    const tiles = binaryTreemapTiles(report);
    expect(tiles.map((t) => t.name)).toEqual(report.modules.filter((m) => m.bytes > 0).map((m) => m.path));
    expect(sums(tiles)).toBe(true);
    const greet = tiles.find((t) => t.name === "example.com/greet");
    expect(greet?.children?.map((c) => c.name)).toEqual(["example.com/greet"]);
    expect(greet?.color).toBe(GROUP_COLORS.dependency);
    const std = tiles.find((t) => t.name === "std")!;
    expect(std.children!.map((c) => c.name)).toContain("runtime");
    expect(std.children!.length).toBeLessThanOrEqual(12);
    expect(std.children!.at(-1)?.name).toMatch(/^\d+ more$/);
  });

  it("puts packages the report left out into the module as one tile", () => {
    const tiles = binaryTreemapTiles({
      modules: [{ path: "std", group: "std", bytes: 1000 }],
      packages: [{ path: "runtime", group: "std", bytes: 700 }],
    });
    expect(shape(tiles)).toEqual([["std", 1000, [["runtime", 700], ["other packages", 300]]]]);
  });
});
