// Files of one variant's image across two comparisons, from full layer listings merged
// with their whiteouts: what a container sees is what is compared.
import { describe, expect, it } from "vitest";
import { diffFiles, imageFilesOf, type CompareFile } from "@/lib/views/compare-files";
import type { LayerEntry, LayerFiles } from "@/lib/measure/layer-files";

const f = (path: string, size: number): LayerEntry => ({ path, size, type: "file", mode: 0o644 });
const d = (path: string): LayerEntry => ({ path, size: 0, type: "dir", mode: 0o755 });
const ln = (path: string, target: string): LayerEntry => ({ path, size: 0, type: "symlink", mode: 0o777, linkTarget: target });
const wh = (path: string): LayerEntry => ({ path, size: 0, type: "file", mode: 0, whiteout: "file" });
const opq = (path: string): LayerEntry => ({ path, size: 0, type: "file", mode: 0, whiteout: "opaque" });
const layer = (...entries: LayerEntry[]): LayerFiles => ({ entries, truncated: false });

function filesOf(...layers: LayerFiles[]): CompareFile[] {
  const image = imageFilesOf(layers, "unknown");
  if (!image.known) throw new Error(image.reason);
  return image.files;
}

const base = layer(d("etc"), f("etc/passwd", 100), d("usr"), d("usr/share"), d("usr/share/zoneinfo"), f("usr/share/zoneinfo/Berlin", 2_000));

describe("diffFiles over merged layers", () => {
  it.each<[string, LayerFiles[], LayerFiles[], Record<string, string[]>]>([
    ["the same layers: nothing changed", [base, layer(f("app", 1_000))], [base, layer(f("app", 1_000))], {}],
    ["a bigger binary grows", [base, layer(f("app", 1_000))], [base, layer(f("app", 1_500))], { grown: ["/app:500"] }],
    ["an embedded asset is added, the old one removed", [base, layer(f("app", 1_000), f("data/old.bin", 40))], [base, layer(f("app", 1_000), f("data/new.bin", 400_000))], { added: ["/data/new.bin:400000"], removed: ["/data/old.bin:-40"] }],
    [
      "a file deleted by a later layer's whiteout is not in the image",
      [base, layer(f("tmp/cache.tar", 9_000))],
      [base, layer(f("tmp/cache.tar", 9_000)), layer(wh("tmp/cache.tar"))],
      { removed: ["/tmp/cache.tar:-9000"] },
    ],
    [
      "an opaque directory hides what the base had there",
      [base, layer(f("app", 1))],
      [base, layer(f("app", 1)), layer(d("usr/share/zoneinfo"), opq("usr/share/zoneinfo"), f("usr/share/zoneinfo/UTC", 100))],
      { added: ["/usr/share/zoneinfo/UTC:100"], removed: ["/usr/share/zoneinfo/Berlin:-2000"] },
    ],
    ["a whiteout of a whole directory removes every file in it", [base, layer(f("app", 1))], [base, layer(f("app", 1)), layer(wh("usr"))], { removed: ["/usr/share/zoneinfo/Berlin:-2000"] }],
    ["a file that becomes a symlink shrinks to 0 bytes", [base, layer(f("bin/sh", 300))], [base, layer(ln("bin/sh", "busybox"))], { shrunk: ["/bin/sh:-300"] }],
    ["directories alone are no change", [base], [base, layer(d("empty"), d("empty/inner"))], {}],
  ])("%s", (_name, before, after, expected) => {
    const diff = diffFiles(filesOf(...before), filesOf(...after));
    for (const kind of ["added", "removed", "grown", "shrunk", "changed"] as const) {
      expect(diff[kind].map((c) => `${c.name}:${c.deltaBytes}`), kind).toEqual(expected[kind] ?? []);
    }
  });

  it.each<[string, LayerFiles[], LayerFiles[], Array<[string, number]>]>([
    [
      "totals per directory, largest first, a directory explained by one subdirectory left out",
      [base, layer(f("src/a.go", 10), f("app", 1_000))],
      [base, layer(f("src/a.go", 10), f("src/vendor/x/y/z.go", 3_000), f("src/vendor/x/y/w.go", 2_000), f("src/go.mod", 7), f("root/.cache/go-build/ab/c-d", 900), f("app", 1_500))],
      [["/src", 5_007], ["/src/vendor/x", 5_000], ["/root/.cache/go-build", 900]],
    ],
    ["changes at the root only: no directory", [base, layer(f("app", 1_000))], [base, layer(f("app", 1_500))], []],
    ["a grown and a shrunk file that cancel out", [base, layer(f("d/a", 10), f("d/b", 10))], [base, layer(f("d/a", 15), f("d/b", 5))], []],
  ])("directories: %s", (_name, before, after, expected) => {
    expect(diffFiles(filesOf(...before), filesOf(...after)).directories.map((d) => [d.path, d.deltaBytes])).toEqual(expected);
  });

  it("lists at most `limit` of each kind, largest first, with the full count", () => {
    const after = Array.from({ length: 60 }, (_, i) => ({ path: `/f${i}`, bytes: i + 1 }));
    const diff = diffFiles([], after, 50);
    expect(diff.added).toHaveLength(50);
    expect(diff.added[0]).toMatchObject({ name: "/f59", deltaBytes: 60 });
    expect(diff.counts.added).toBe(60);
    expect(diff.bytes.added).toBe((60 * 61) / 2);
  });
});

describe("imageFilesOf", () => {
  it("is unknown when any layer's listing is missing", () => {
    expect(imageFilesOf([base, null], "made before file lists were kept")).toEqual({ known: false, reason: "made before file lists were kept" });
    expect(imageFilesOf([], "no layers")).toEqual({ known: false, reason: "no layers" });
  });

  it("counts files and bytes, and says when a listing was truncated", () => {
    const image = imageFilesOf([base, { entries: [f("app", 50)], truncated: true }], "");
    expect(image).toMatchObject({ known: true, fileCount: 3, totalBytes: 2_150, truncated: true });
  });
});
