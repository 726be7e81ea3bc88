import { describe, expect, it } from "vitest";
import { mergeLayers, pruneTree } from "@/lib/measure/file-tree";
import type { LayerEntry } from "@/lib/measure/layer-files";
import { ancestorsOf, treeKeyAction, visibleTreeRows, type TreeAction } from "@/lib/views/file-tree-rows";

const file = (path: string, size: number): LayerEntry => ({ path, size, type: "file", mode: 0o644 });

// The tree the analysis stores: merged from a listing, then pruned (2 children a directory).
const tree = pruneTree(
  mergeLayers([
    {
      entries: [
        file("usr/lib/go/bin/go", 600),
        file("usr/lib/go/pkg/a", 100),
        file("usr/bin/git", 200),
        file("usr/bin/ls", 50),
        file("usr/bin/cat", 10),
        file("etc/passwd", 5),
        file("app", 300),
      ],
      truncated: false,
    },
  ]),
  { maxChildren: 2 },
);

const paths = (open: string[]) => visibleTreeRows(tree, new Set(open)).map((row) => row.path);

describe("visibleTreeRows", () => {
  it.each<[string[], string[]]>([
    [[], ["/usr", "/app", "/…"]],
    [["/usr"], ["/usr", "/usr/lib", "/usr/bin", "/app", "/…"]],
    [["/usr", "/usr/bin"], ["/usr", "/usr/lib", "/usr/bin", "/usr/bin/git", "/usr/bin/ls", "/usr/bin/…", "/app", "/…"]],
    // A closed parent hides what is open below it.
    [["/usr/bin"], ["/usr", "/app", "/…"]],
    // A file cannot be opened.
    [["/app"], ["/usr", "/app", "/…"]],
  ])("open %o → %o", (open, want) => {
    expect(paths(open)).toEqual(want);
  });

  it("says where each row sits and how much of its parent it is", () => {
    const rows = visibleTreeRows(tree, new Set(["/usr", "/usr/bin"]));
    const byPath = new Map(rows.map((row) => [row.path, row]));
    expect(byPath.get("/usr")).toMatchObject({ level: 1, expandable: true, expanded: true, parent: null, bytes: 960, posInSet: 1, setSize: 3 });
    expect(byPath.get("/usr/bin/git")).toMatchObject({ level: 3, expandable: false, parent: "/usr/bin", files: 1, posInSet: 1, setSize: 3 });
    expect(byPath.get("/usr/bin/…")).toMatchObject({ more: true, name: "1 more", bytes: 10, share: 10 / 260 });
    expect(byPath.get("/app")?.share).toBeCloseTo(300 / 1265, 10);
  });
});

describe("ancestorsOf", () => {
  it.each<[string, string[]]>([
    ["/usr/lib/go-1.23/bin/go", ["/usr", "/usr/lib", "/usr/lib/go-1.23", "/usr/lib/go-1.23/bin"]],
    ["/app", []],
    ["/", []],
  ])("%s → %o", (path, want) => {
    expect(ancestorsOf(path)).toEqual(want);
  });
});

describe("treeKeyAction", () => {
  const open = ["/usr"];
  const rows = visibleTreeRows(tree, new Set(open));
  it.each<[string, string, TreeAction]>([
    ["/usr", "ArrowDown", { focus: "/usr/lib" }],
    ["/usr/lib", "ArrowUp", { focus: "/usr" }],
    ["/usr", "ArrowUp", null],
    ["/…", "ArrowDown", null],
    ["/usr/bin", "Home", { focus: "/usr" }],
    ["/usr", "End", { focus: "/…" }],
    ["/usr", "ArrowRight", { focus: "/usr/lib" }],
    ["/usr/lib", "ArrowRight", { expand: "/usr/lib" }],
    ["/app", "ArrowRight", null],
    ["/usr", "ArrowLeft", { collapse: "/usr" }],
    ["/usr/bin", "ArrowLeft", { focus: "/usr" }],
    ["/app", "ArrowLeft", null],
    ["/usr", "Enter", { collapse: "/usr" }],
    ["/usr/bin", " ", { expand: "/usr/bin" }],
    ["/app", "Enter", null],
    ["/usr", "a", null],
    ["/gone", "ArrowDown", { focus: "/usr" }],
  ])("on %s, %j → %j", (focused, key, want) => {
    expect(treeKeyAction(rows, focused, key)).toEqual(want);
  });

  it("does nothing in an empty tree", () => {
    expect(treeKeyAction([], "/usr", "ArrowDown")).toBeNull();
  });
});
