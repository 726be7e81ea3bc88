// dive's efficiency figures, table-driven: dive's own test case first (same numbers as
// wagoodman/dive filetree/efficiency_test.go), then overwrites, deletions and the quirks.
import { describe, expect, it } from "vitest";
import { efficiencyOf, type Efficiency } from "./efficiency";
import type { LayerEntry, LayerFiles } from "./layer-files";

const f = (path: string, size: number): LayerEntry => ({ path, size, type: "file", mode: 0o644 });
const d = (path: string): LayerEntry => ({ path, size: 0, type: "dir", mode: 0o755 });
const wh = (path: string): LayerEntry => ({ path, size: 0, type: "file", mode: 0, whiteout: "file" });
const opq = (path: string): LayerEntry => ({ path, size: 0, type: "file", mode: 0, whiteout: "opaque" });
const layer = (...entries: LayerEntry[]): LayerFiles => ({ entries, truncated: false });

const MB = 1024 * 1024;

describe("efficiencyOf", () => {
  it.each<[string, Array<LayerFiles | null>, Omit<Efficiency, "complete">]>([
    [
      "dive's own case: an overwrite, then a directory deleted that the layers only implied",
      [layer(f("etc/nginx/nginx.conf", 2000), f("etc/nginx/public", 3000)), layer(f("etc/nginx/nginx.conf", 5000), f("etc/athing", 10000)), layer(wh("etc/nginx"))],
      { efficiency: 0.75, wastedBytes: 7000, redundantBytes: 5000, totalBytes: 20000, inefficiencies: [{ path: "/etc/nginx/nginx.conf", count: 2, wastedBytes: 7000 }] },
    ],
    [
      "a 5 MB file overwritten by a 1 MB one: all copies wasted, the 5 MB counted against the score",
      [layer(d("data"), f("data/blob", 5 * MB)), layer(d("data"), f("data/blob", 1 * MB))],
      { efficiency: 1 / 6, wastedBytes: 6 * MB, redundantBytes: 5 * MB, totalBytes: 6 * MB, inefficiencies: [{ path: "/data/blob", count: 2, wastedBytes: 6 * MB }] },
    ],
    [
      "a deleted file: the whiteout is a copy of 0 bytes, so all of the file is wasted",
      [layer(f("a", 1000), f("b", 3000)), layer(wh("a"))],
      { efficiency: 0.75, wastedBytes: 1000, redundantBytes: 1000, totalBytes: 4000, inefficiencies: [{ path: "/a", count: 2, wastedBytes: 1000 }] },
    ],
    [
      "a deleted directory with its own entry counts its subtree on both sides: no waste (dive)",
      [layer(d("cache"), f("cache/x", 2000), f("cache/y", 3000)), layer(wh("cache"))],
      { efficiency: 1, wastedBytes: 0, redundantBytes: 0, totalBytes: 10000, inefficiencies: [] },
    ],
    [
      "opaque markers are ignored, as dive ignores them",
      [layer(d("var"), f("var/x", 100)), layer(d("var"), opq("var"), f("var/z", 50))],
      { efficiency: 1, wastedBytes: 0, redundantBytes: 0, totalBytes: 150, inefficiencies: [] },
    ],
    [
      "a directory is not a leaf where its files are listed; an empty one is, with 0 bytes",
      [layer(d("tmp"), d("app"), f("app/bin", 700)), layer(d("tmp"), d("app"), f("app/lib", 300))],
      { efficiency: 1, wastedBytes: 0, redundantBytes: 0, totalBytes: 1000, inefficiencies: [] },
    ],
    [
      "a path listed twice in one layer is one copy",
      [layer(f("x", 10), f("x", 40))],
      { efficiency: 1, wastedBytes: 0, redundantBytes: 0, totalBytes: 40, inefficiencies: [] },
    ],
    ["no layers, or no bytes", [], { efficiency: 1, wastedBytes: 0, redundantBytes: 0, totalBytes: 0, inefficiencies: [] }],
  ])("%s", (_name, layers, expected) => {
    const result = efficiencyOf(layers);
    expect(result).toEqual({ ...expected, complete: true });
    expect(1 - result.efficiency).toBeCloseTo(result.totalBytes === 0 ? 0 : result.redundantBytes / result.totalBytes, 12);
  });

  it("lists the largest inefficiencies first, at most the top N, and says when a listing was missing", () => {
    const lower = layer(...Array.from({ length: 30 }, (_, i) => f(`p/${i}`, (i + 1) * 10)));
    const upper = layer(...Array.from({ length: 30 }, (_, i) => f(`p/${i}`, 1)));
    const result = efficiencyOf([lower, upper, null], 5);
    expect(result.inefficiencies.map((row) => row.path)).toEqual(["/p/29", "/p/28", "/p/27", "/p/26", "/p/25"]);
    expect(result.inefficiencies[0]).toEqual({ path: "/p/29", count: 2, wastedBytes: 301 });
    expect(result.complete).toBe(false);
    expect(efficiencyOf([{ entries: [f("a", 1)], truncated: true }]).complete).toBe(false);
  });
});
