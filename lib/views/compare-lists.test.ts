// The shared change list: pairing by name, the five kinds, largest change first, caps
// that keep the full counts and byte totals.
import { describe, expect, it } from "vitest";
import { classifyPairs, hasChanges, pairByName, type ChangeKind } from "@/lib/views/compare-lists";

interface Item { name: string; bytes: number; version?: string }
const item = (name: string, bytes: number, version?: string): Item => ({ name, bytes, ...(version ? { version } : {}) });
const measure = { name: (i: Item) => i.name, bytes: (i: Item) => i.bytes, differs: (a: Item, b: Item) => a.version !== b.version };
const names = (list: ReturnType<typeof classifyPairs<Item>>, kind: ChangeKind) => list[kind].map((c) => `${c.name}:${c.deltaBytes}`);

describe("classifyPairs", () => {
  it.each<[string, Item[], Item[], Partial<Record<ChangeKind, string[]>>, number]>([
    ["nothing on either side", [], [], {}, 0],
    ["the same items", [item("a", 1), item("b", 2)], [item("b", 2), item("a", 1)], {}, 2],
    ["added and removed, largest first", [item("gone", 5), item("gone-big", 50)], [item("new", 7), item("new-big", 70)], { added: ["new-big:70", "new:7"], removed: ["gone-big:-50", "gone:-5"] }, 0],
    ["grown and shrunk by their change, not their size", [item("a", 1000), item("b", 10), item("c", 500)], [item("a", 1001), item("b", 110), item("c", 400)], { grown: ["b:100", "a:1"], shrunk: ["c:-100"] }, 0],
    ["same size with another version is changed", [item("m", 10, "v1"), item("n", 10, "v1")], [item("m", 10, "v2"), item("n", 10, "v1")], { changed: ["m:0"] }, 1],
    ["a grown item with a new version is grown", [item("m", 10, "v1")], [item("m", 12, "v2")], { grown: ["m:2"] }, 0],
    ["ties by name", [], [item("b", 3), item("a", 3)], { added: ["a:3", "b:3"] }, 0],
  ])("%s", (_name, before, after, expected, unchanged) => {
    const list = classifyPairs(pairByName(before, after, (i) => i.name), measure);
    for (const kind of ["added", "removed", "grown", "shrunk", "changed"] as const) {
      expect(names(list, kind), kind).toEqual(expected[kind] ?? []);
      expect(list.counts[kind]).toBe((expected[kind] ?? []).length);
    }
    expect(list.counts.unchanged).toBe(unchanged);
    expect(hasChanges(list)).toBe(Object.keys(expected).length > 0);
  });

  it("caps each list but counts and sums all of them", () => {
    const after = Array.from({ length: 8 }, (_, i) => item(`f${i}`, (i + 1) * 10));
    const list = classifyPairs(pairByName([], after, (i) => i.name), measure, 3);
    expect(list.added.map((c) => c.name)).toEqual(["f7", "f6", "f5"]);
    expect(list.counts.added).toBe(8);
    expect(list.bytes.added).toBe(360);
  });

  it("keeps both sides of a pair", () => {
    const list = classifyPairs(pairByName([item("x", 1, "v1")], [item("x", 4, "v2")], (i) => i.name), measure);
    expect(list.grown).toEqual([{ name: "x", before: item("x", 1, "v1"), after: item("x", 4, "v2"), deltaBytes: 3 }]);
  });
});
