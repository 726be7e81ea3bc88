// The layer lister on real tar streams made with tar-stream's pack: entry kinds, OCI
// whiteouts, the entry cap, captured files, gzip by magic bytes, and broken input.
import { readFileSync } from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import { captureGoBinary } from "./image-analysis";
import { entryOf, LayerLister, listLayer, MarkerSearch, normalizePath, type LayerEntry } from "./layer-files";
import { chunked, dir, file, filled, hardlink, opaque, symlink, tarOf, whiteout, type TarItem } from "./tar-fixtures";

const ELF = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]), filled(300_000, 9)]);

describe("listLayer", () => {
  it.each<[string, TarItem[], LayerEntry[]]>([
    [
      "files, directories and their modes",
      [dir("usr"), dir("usr/bin"), file("usr/bin/app", 1234, 0o755), file("./etc/hostname", 9)],
      [
        { path: "usr", size: 0, type: "dir", mode: 0o755 },
        { path: "usr/bin", size: 0, type: "dir", mode: 0o755 },
        { path: "usr/bin/app", size: 1234, type: "file", mode: 0o755 },
        { path: "etc/hostname", size: 9, type: "file", mode: 0o644 },
      ],
    ],
    [
      "symlinks keep their target as written; hardlinks are normalised",
      [symlink("usr/bin/python", "python3.11"), symlink("lib", "usr/lib"), hardlink("usr/bin/perl5", "./usr/bin/perl")],
      [
        { path: "usr/bin/python", size: 0, type: "symlink", mode: 0o644, linkTarget: "python3.11" },
        { path: "lib", size: 0, type: "symlink", mode: 0o644, linkTarget: "usr/lib" },
        { path: "usr/bin/perl5", size: 0, type: "hardlink", mode: 0o644, linkTarget: "usr/bin/perl" },
      ],
    ],
    [
      "a whiteout names the path it deletes; an opaque marker its directory",
      [whiteout("var/lib/apt/lists/deb_Release"), opaque("var/cache/apt"), whiteout("top")],
      [
        { path: "var/lib/apt/lists/deb_Release", size: 0, type: "file", mode: 0o644, whiteout: "file" },
        { path: "var/cache/apt", size: 0, type: "file", mode: 0o644, whiteout: "opaque" },
        { path: "top", size: 0, type: "file", mode: 0o644, whiteout: "file" },
      ],
    ],
    ["aufs bookkeeping and the root are skipped", [dir("."), { name: ".wh..wh.plnk/12.34" }, { name: "x/.wh..wh.aufs" }, file("a", 1)], [{ path: "a", size: 1, type: "file", mode: 0o644 }]],
    ["devices and fifos are 'other'", [{ name: "dev/null", type: "character-device" }, { name: "run/fifo", type: "fifo" }], [
      { path: "dev/null", size: 0, type: "other", mode: 0o644 },
      { path: "run/fifo", size: 0, type: "other", mode: 0o644 },
    ]],
  ])("%s", async (_name, items, expected) => {
    const layer = await tarOf(items);
    for (const chunkSize of [1, 512, 65_536]) {
      const { files, captured, format } = await listLayer(chunked(layer, chunkSize));
      expect(format).toBe("tar");
      expect(files).toEqual({ entries: expected, truncated: false });
      expect(captured).toEqual([]);
    }
  });

  it("reads a gzip layer by its magic bytes, whatever the chunking", async () => {
    const layer = await tarOf([dir("app"), file("app/server", 200_000), file("app/config.json", 50)]);
    const gzipped = zlib.gzipSync(layer);
    for (const chunkSize of [1, 3, 4096]) {
      const { files, format } = await listLayer(chunked(gzipped, chunkSize));
      expect(format).toBe("gzip");
      expect(files.entries.map((e) => [e.path, e.size])).toEqual([["app", 0], ["app/server", 200_000], ["app/config.json", 50]]);
      expect(files.truncated).toBe(false);
    }
  });

  it.each([
    ["plain tar", (tar: Buffer) => tar, {}, false],
    ["gzip", (tar: Buffer) => zlib.gzipSync(tar), {}, false],
    ["gzip past the entry cap (gunzipped through for its size)", (tar: Buffer) => zlib.gzipSync(tar), { maxEntries: 2 }, true],
  ])("measures the uncompressed size of a %s layer", async (_name, encode, options, truncated) => {
    const tar = await tarOf(Array.from({ length: 10 }, (_, i) => file(`d/${i}`, 30_000)));
    const result = await listLayer(chunked(encode(tar), 8192), options);
    expect(result.uncompressedBytes).toBe(tar.length);
    expect(result.files.truncated).toBe(truncated);
  });

  it("stops at the entry cap and says so", async () => {
    const layer = await tarOf(Array.from({ length: 50 }, (_, i) => file(`f/${i}`, 10)));
    const { files } = await listLayer(chunked(layer, 700), { maxEntries: 20 });
    expect(files.entries).toHaveLength(20);
    expect(files.entries[19].path).toBe("f/19");
    expect(files).toMatchObject({ truncated: true });
    expect(files.error).toBeUndefined();
  });

  it("keeps the bytes of the files captureFile chooses, by their first bytes", async () => {
    const layer = zlib.gzipSync(await tarOf([file("usr/bin/script", Buffer.from("#!/bin/sh\necho hi\n"), 0o755), file("out/app", ELF, 0o755), file("out/notes", 70_000)]));
    const offered: string[] = [];
    const { captured, files } = await listLayer(chunked(layer, 1000), {
      captureFile: (entry, head) => {
        offered.push(entry.path);
        expect(head.length).toBe(Math.min(64, entry.size));
        return head.subarray(0, 4).equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
      },
    });
    expect(offered).toEqual(["usr/bin/script", "out/app", "out/notes"]);
    expect(captured).toHaveLength(1);
    expect(captured[0].path).toBe("out/app");
    expect(captured[0].bytes.equals(ELF)).toBe(true);
    expect(files.entries).toHaveLength(3);
  });

  it("keeps only the Go binaries among a layer's executables with captureGoBinary (its last look at the whole file)", async () => {
    // Real binaries: Go's, committed as fixtures (lib/binary/fixtures/make.sh), and this machine's /bin/true.
    const go = readFileSync(path.join(process.cwd(), "lib", "binary", "fixtures", "hello.stripped"));
    const notGo = readFileSync("/bin/true");
    const layer = zlib.gzipSync(await tarOf([file("usr/bin/true", notGo, 0o755), file("app", go, 0o755), file("usr/lib/go-1.23/bin/go", go, 0o755)]));
    const { captured, files } = await listLayer(chunked(layer, 4096), { captureFile: captureGoBinary });
    expect(captured.map((c) => c.path)).toEqual(["app"]);
    expect(captured[0].bytes.equals(go)).toBe(true);
    expect(files.entries.map((e) => e.path)).toEqual(["usr/bin/true", "app", "usr/lib/go-1.23/bin/go"]);
  });

  it("does not offer files over the capture limit", async () => {
    const layer = await tarOf([file("big", 5000), file("small", 10)]);
    const offered: string[] = [];
    await listLayer(chunked(layer, 512), { captureFile: (entry) => offered.push(entry.path) > 0, maxCaptureFileBytes: 1000 });
    expect(offered).toEqual(["small"]);
  });

  it.each([
    ["a cut tar", async () => (await tarOf([file("a", 100_000), file("b", 100)])).subarray(0, 50_000), /not a readable tar/],
    ["a corrupt gzip", async () => zlib.gzipSync(await tarOf([file("a", 100_000)])).subarray(0, 3_000), /not valid gzip|not a readable tar/],
    ["a zstd layer", async () => Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), filled(3000)]), /zstd/],
    ["JSON, not a layer", async () => Buffer.from(JSON.stringify({ rootfs: { diff_ids: [] }, history: [] }).repeat(20)), /not a readable tar/],
  ])("reports %s as an error, without rejecting or hanging", async (_name, make, message) => {
    const { files, uncompressedBytes } = await listLayer(chunked(await make(), 4096));
    expect(files.truncated).toBe(true);
    expect(files.error).toMatch(message);
    if (/gzip|zstd/.test(_name)) expect(uncompressedBytes).toBeNull();
  });

  it("keeps what it listed before the error", async () => {
    const layer = await tarOf([file("first", 10), file("second", 100_000)]);
    const { files } = await listLayer(chunked(layer.subarray(0, 20_000), 4096));
    expect(files.entries.map((e) => e.path)).toEqual(["first", "second"]);
    expect(files.truncated).toBe(true);
  });

  it("a lister written to after it stopped neither throws nor waits", async () => {
    const lister = new LayerLister({ maxEntries: 1 });
    const layer = await tarOf([file("a", 10), file("b", 10), file("c", 300_000)]);
    for await (const chunk of chunked(layer, 512)) await lister.write(chunk);
    const { files } = await lister.finish();
    expect(files.entries.map((e) => e.path)).toEqual(["a"]);
  });

  it("an empty stream is an empty, complete listing", async () => {
    expect((await listLayer(chunked(Buffer.alloc(0), 1))).files).toEqual({ entries: [], truncated: false });
  });
});

describe("entryOf and normalizePath", () => {
  it.each([
    ["./usr/bin/", "usr/bin"],
    ["/etc//passwd", "etc/passwd"],
    ["a/./b/../c", "a/c"],
    ["./", ""],
    ["../../etc/x", "etc/x"],
  ])("%s -> %s", (name, expected) => {
    expect(normalizePath(name)).toBe(expected);
  });

  it("gives a file its header size and a directory none", () => {
    expect(entryOf({ name: "x/", type: "directory", size: 4096, mode: 0o700 })).toEqual({ path: "x", size: 0, type: "dir", mode: 0o700 });
    expect(entryOf({ name: "y", type: "file", size: 7 })).toEqual({ path: "y", size: 7, type: "file", mode: 0 });
  });
});

describe("MarkerSearch", () => {
  const marker = Buffer.from("\xff Go buildinf:", "latin1");
  const bytes = Buffer.concat([filled(1000, 1), marker, filled(1000, 2)]);
  it.each([
    ["in one piece", [bytes]],
    ["cut in its middle", [bytes.subarray(0, 1007), bytes.subarray(1007)]],
    ["cut at every byte", [...bytes].map((b) => Buffer.from([b]))],
    ["in pieces shorter than itself", Array.from({ length: Math.ceil(bytes.length / 5) }, (_, i) => bytes.subarray(i * 5, i * 5 + 5))],
    ["at the very start and end", [marker.subarray(0, 3), marker.subarray(3)]],
  ])("finds it %s", (_name, pieces) => {
    const search = new MarkerSearch(marker);
    for (const piece of pieces) search.push(piece);
    expect(search.found).toBe(true);
  });

  it("does not find it when one byte differs, however it is cut", () => {
    const near = Buffer.concat([filled(1000, 1), marker.subarray(0, 13), Buffer.from("!"), filled(1000, 2)]);
    for (const size of [1, 5, 13, 14, 1007, near.length]) {
      const search = new MarkerSearch(marker);
      for (let at = 0; at < near.length; at += size) search.push(near.subarray(at, at + size));
      expect(search.found).toBe(false);
    }
  });
});
