import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import zlib from "node:zlib";
import { pack } from "tar-stream";
import { describe, expect, it } from "vitest";
import { ImageArchiveError, imageFromPush, readImageArchive, type ArchiveImage, type ArchiveLayer } from "./image-archive";
import { attachCompressed, toLayers, type HistoryRow } from "./layers";

// ---- Building archives ----

interface TarFile { name: string; body?: Buffer; symlink?: string }

async function tarOf(files: TarFile[]): Promise<Buffer> {
  const archive = pack();
  const chunks: Buffer[] = [];
  const collected = (async () => {
    for await (const chunk of archive) chunks.push(chunk as Buffer);
  })();
  for (const file of files) {
    await new Promise<void>((resolve, reject) => {
      const done = (error?: Error | null) => (error ? reject(error) : resolve());
      if (file.symlink) archive.entry({ name: file.name, type: "symlink", linkname: file.symlink }, done);
      else archive.entry({ name: file.name }, file.body ?? Buffer.alloc(0), done);
    });
  }
  archive.finalize();
  await collected;
  return Buffer.concat(chunks);
}

/** Text that compresses like real files, with a seeded random part so layers differ. */
function content(seed: number, bytes: number): Buffer {
  const out = Buffer.alloc(bytes);
  let state = seed;
  for (let i = 0; i < bytes; i++) {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    out[i] = i % 64 < 40 ? 0x61 + ((i >> 6) % 26) : 0x20 + (state % 90);
  }
  return out;
}

/** A layer as an engine writes it: a tar of files. */
const layerTar = (seed: number, bytes: number, name = `usr/share/file-${seed}`) => tarOf([{ name, body: content(seed, bytes) }]);

const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
const gzip6 = (bytes: Buffer) => zlib.gzipSync(bytes, { level: 6 }).length;

const history = [
  { created_by: "/bin/sh -c #(nop) ADD file:abc in / " },
  { created_by: '/bin/sh -c #(nop)  CMD ["bash"]', empty_layer: true },
  { created_by: "/bin/sh -c apt-get install -y golang" },
  { created_by: "/bin/sh -c #(nop) COPY file:def in /app " },
];

function configOf(layers: Buffer[]): Buffer {
  return json({ architecture: "amd64", os: "linux", rootfs: { type: "layers", diff_ids: layers.map((l) => `sha256:${sha256(l)}`) }, history });
}

async function* chunked(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

const plainLayer = (bytes: Buffer) => ({ diffId: `sha256:${sha256(bytes)}`, sizeBytes: bytes.length, compressedBytes: gzip6(bytes) });

// Three plain layers: a big one (600 KB spans many chunks), 2 KB, and a small one whose
// tar starts with "{" (a file named so), which the reader first takes for JSON.
async function sampleLayers(big = 600_000): Promise<Buffer[]> {
  return [await layerTar(1, big), await layerTar(2, 2_000), await layerTar(3, 5_000, "{braces}")];
}

// ---- Layouts ----

/** Classic docker save: layers first, manifest.json last, one layer duplicated as a symlink. */
async function classicArchive(layers: Buffer[]): Promise<Buffer> {
  const config = configOf([...layers, layers[1]]);
  const dirs = layers.map((_, i) => `dir${i}`);
  return tarOf([
    { name: `${sha256(config)}.json`, body: config },
    // Stream order differs from rootfs order on purpose.
    ...[2, 0, 1].flatMap((i) => [
      { name: `${dirs[i]}/VERSION`, body: Buffer.from("1.0") },
      { name: `${dirs[i]}/json`, body: json({ id: dirs[i] }) },
      { name: `${dirs[i]}/layer.tar`, body: layers[i] },
    ]),
    { name: "dir3/layer.tar", symlink: "../dir1/layer.tar" },
    { name: "manifest.json", body: json([{ Config: `${sha256(config)}.json`, RepoTags: ["x:1"], Layers: [...dirs.map((d) => `${d}/layer.tar`), "dir3/layer.tar"] }]) },
    { name: "repositories", body: json({ x: { 1: "abc" } }) },
  ]);
}

const blob = (bytes: Buffer): TarFile => ({ name: `blobs/sha256/${sha256(bytes)}`, body: bytes });
const descriptor = (mediaType: string, bytes: Buffer) => ({ mediaType, digest: `sha256:${sha256(bytes)}`, size: bytes.length });

/** OCI layout: index.json last, a plain, a pre-gzipped and a zstd layer; an attestation beside the image. */
async function ociArchive(layers: Buffer[], options: { dockerManifest?: "same" | "fewer" } = {}) {
  const [plain, toGzip] = layers;
  const gzipped = zlib.gzipSync(toGzip, { level: 9 });
  const zstd = Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), content(4, 3_000)]);
  const config = configOf([plain, toGzip, toGzip]);
  const manifest = json({
    schemaVersion: 2,
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    config: descriptor("application/vnd.oci.image.config.v1+json", config),
    layers: [
      descriptor("application/vnd.oci.image.layer.v1.tar", plain),
      descriptor("application/vnd.oci.image.layer.v1.tar+gzip", gzipped),
      descriptor("application/vnd.oci.image.layer.v1.tar+zstd", zstd),
    ],
  });
  const attestation = json({ schemaVersion: 2, config: descriptor("application/vnd.oci.image.config.v1+json", json({})), layers: [] });
  const imageIndex = json({
    schemaVersion: 2,
    mediaType: "application/vnd.oci.image.index.v1+json",
    manifests: [
      { ...descriptor("application/vnd.oci.image.manifest.v1+json", attestation), platform: { os: "unknown", architecture: "unknown" } },
      { ...descriptor("application/vnd.oci.image.manifest.v1+json", manifest), platform: { os: "linux", architecture: "amd64" } },
    ],
  });
  const files: TarFile[] = [
    ...[plain, gzipped, zstd, config, manifest, attestation, json({}), imageIndex].map(blob),
    { name: "oci-layout", body: json({ imageLayoutVersion: "1.0.0" }) },
    { name: "index.json", body: json({ schemaVersion: 2, manifests: [descriptor("application/vnd.oci.image.index.v1+json", imageIndex)] }) },
  ];
  if (options.dockerManifest) {
    const all = [plain, gzipped, zstd].map((l) => `blobs/sha256/${sha256(l)}`);
    const listed = options.dockerManifest === "same" ? all : all.slice(0, 1);
    files.push({ name: "manifest.json", body: json([{ Config: `blobs/sha256/${sha256(config)}`, RepoTags: ["x:1"], Layers: listed }]) });
  }
  const expected = [
    plainLayer(plain),
    { diffId: `sha256:${sha256(toGzip)}`, sizeBytes: toGzip.length, compressedBytes: gzipped.length },
    { diffId: `sha256:${sha256(toGzip)}`, sizeBytes: null, compressedBytes: zstd.length },
  ];
  return { archive: await tarOf(files), expected: options.dockerManifest === "fewer" ? expected.slice(0, 1) : expected };
}

const sum = (layers: Array<{ compressedBytes: number }>) => layers.reduce((total, layer) => total + layer.compressedBytes, 0);
/** A layer's sizes alone, to compare with what the test computed. */
const sizes = ({ diffId, sizeBytes, compressedBytes }: ArchiveLayer) => ({ diffId, sizeBytes, compressedBytes });
const paths = (layer: ArchiveLayer) => layer.files?.entries.map((entry) => entry.path);

// ---- readImageArchive ----

describe("readImageArchive", () => {
  it.each([
    ["64 KB chunks", 600_000, 65_536],
    ["1-byte chunks (first bytes split across chunks)", 5_000, 1],
  ])("classic docker-archive with manifest.json last, %s", async (_name, big, chunkSize) => {
    const layers = await sampleLayers(big);
    const image = await readImageArchive(chunked(await classicArchive(layers), chunkSize));
    const expected = [...layers, layers[1]].map(plainLayer);
    expect(image.layers.map(sizes)).toEqual(expected);
    // Listed as they passed; the layer written twice (a symlink) has the same files.
    expect(image.layers.map(paths)).toEqual([["usr/share/file-1"], ["usr/share/file-2"], ["{braces}"], ["usr/share/file-2"]]);
    expect(image.layers.map((layer) => [layer.files?.truncated, layer.captured, layer.digest])).toEqual(Array(4).fill([false, [], null]));
    expect(image.compressedBytes).toBe(sum(expected));
    expect(image.history).toEqual([
      { createdBy: "/bin/sh -c #(nop) ADD file:abc in / ", emptyLayer: false },
      { createdBy: '/bin/sh -c #(nop)  CMD ["bash"]', emptyLayer: true },
      { createdBy: "/bin/sh -c apt-get install -y golang", emptyLayer: false },
      { createdBy: "/bin/sh -c #(nop) COPY file:def in /app ", emptyLayer: false },
    ]);
  });

  it.each([
    ["OCI layout only (nested index, attestation skipped)", undefined, 16_384],
    ["OCI layout only, 1-byte chunks (gzip magic split)", undefined, 1],
    ["OCI layout with a matching manifest.json", "same" as const, 16_384],
    ["manifest.json preferred over index.json", "fewer" as const, 16_384],
  ])("%s", async (_name, dockerManifest, chunkSize) => {
    const layers = await sampleLayers(chunkSize === 1 ? 5_000 : 600_000);
    const { archive, expected } = await ociArchive(layers, { dockerManifest });
    const image = await readImageArchive(Readable.from(chunked(archive, chunkSize)));
    expect(image.layers.map(sizes)).toEqual(expected);
    expect(image.compressedBytes).toBe(sum(expected));
    expect(image.history).toHaveLength(4);
    // The plain and the gzip layer are listed; a zstd one cannot be, and says so.
    expect(image.layers.map(paths)).toEqual([["usr/share/file-1"], ["usr/share/file-2"], []].slice(0, expected.length));
    if (expected.length === 3) expect(image.layers[2].files).toMatchObject({ truncated: true, error: expect.stringMatching(/zstd/) });
    expect(image.layers.every((layer) => layer.digest?.startsWith("sha256:"))).toBe(true);
  });

  it("remembers big layers and does not compress a known one again", async () => {
    const layers = await sampleLayers(1_100_000);
    const archive = await classicArchive(layers);
    const remembered = new Map<string, { sizeBytes: number | null; compressedBytes: number }>();
    const first = await readImageArchive(chunked(archive, 65_536), { onMeasured: (path, measured) => remembered.set(path, measured) });
    expect([...remembered.keys()]).toEqual(["dir0/layer.tar"]); // only layers of 1 MB or more
    expect(remembered.get("dir0/layer.tar")).toEqual({ sizeBytes: first.layers[0].sizeBytes, compressedBytes: first.layers[0].compressedBytes });

    // A known layer's sizes come from memory: a marker value proves nothing was recomputed.
    const marker = { sizeBytes: 1, compressedBytes: 2 };
    const second = await readImageArchive(chunked(archive, 65_536), { known: (path) => (path === "dir0/layer.tar" ? marker : undefined) });
    expect(second.layers[0]).toMatchObject(marker);
    expect(second.layers.slice(1)).toEqual(first.layers.slice(1));
    // A known layer is still listed as it is read through.
    expect(second.layers[0].files).toEqual(first.layers[0].files);
    expect(paths(second.layers[0])).toEqual(["usr/share/file-1"]);
  });

  it("measures a layer over 1 MB that starts with '{' as a layer, streaming", async () => {
    const layer = Buffer.concat([Buffer.from("{"), content(5, 1_200_000)]);
    const config = configOf([layer]);
    const archive = await tarOf([
      { name: "c.json", body: config },
      { name: "l/layer.tar", body: layer },
      { name: "manifest.json", body: json([{ Config: "c.json", Layers: ["l/layer.tar"] }]) },
    ]);
    expect((await readImageArchive(chunked(archive, 65_536))).layers.map(sizes)).toEqual([plainLayer(layer)]);
  });

  it("keeps the files captureFile chooses, from plain and gzip layers", async () => {
    const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46]), content(8, 40_000)]);
    const plain = await tarOf([{ name: "out/app", body: elf }, { name: "out/notes", body: content(9, 100) }]);
    const gzipped = zlib.gzipSync(await tarOf([{ name: "bin/tool", body: elf }]));
    const archive = await tarOf([
      { name: "c.json", body: configOf([plain, plain]) },
      { name: "a/layer.tar", body: plain },
      { name: "b/layer.tar", body: gzipped },
      { name: "manifest.json", body: json([{ Config: "c.json", Layers: ["a/layer.tar", "b/layer.tar"] }]) },
    ]);
    const image = await readImageArchive(chunked(archive, 4096), { captureFile: (_entry, head) => head[0] === 0x7f && head[1] === 0x45 });
    expect(image.layers.map((layer) => layer.captured?.map((file) => file.path))).toEqual([["out/app"], ["bin/tool"]]);
    expect(image.layers.every((layer) => layer.captured![0].bytes.equals(elf))).toBe(true);
  });

  it("gives an unknown uncompressed size for a corrupt gzip layer", async () => {
    const broken = zlib.gzipSync(content(6, 50_000)).subarray(0, 2_000);
    const archive = await tarOf([
      { name: "c.json", body: json({ rootfs: { diff_ids: ["sha256:x"] } }) },
      { name: "l/layer.tar", body: broken },
      { name: "manifest.json", body: json([{ Config: "c.json", Layers: ["l/layer.tar"] }]) },
    ]);
    expect((await readImageArchive(chunked(archive, 4096))).layers.map(sizes)).toEqual([{ diffId: "sha256:x", sizeBytes: null, compressedBytes: 2_000 }]);
  });

  const config = json({ rootfs: { diff_ids: [] } });
  it.each([
    ["no manifest at all", [{ name: "c.json", body: config }], /neither a manifest\.json .* nor an index\.json/],
    ["manifest.json of another shape", [{ name: "manifest.json", body: json({ Config: "c.json" }) }], /manifest\.json does not describe an image/],
    ["config missing", [{ name: "manifest.json", body: json([{ Config: "c.json", Layers: [] }]) }], /image config c\.json is missing/],
    ["config not JSON", [{ name: "c.json", body: Buffer.from("{oops") }, { name: "manifest.json", body: json([{ Config: "c.json", Layers: [] }]) }], /not valid JSON/],
    ["layer missing", [{ name: "c.json", body: config }, { name: "manifest.json", body: json([{ Config: "c.json", Layers: ["l/layer.tar"] }]) }], /l\/layer\.tar is listed by the manifest but missing/],
    ["index.json naming no manifest in the archive", [{ name: "index.json", body: json({ manifests: [{ digest: "sha256:00" }] }) }], /index\.json names no image manifest/],
  ] as Array<[string, TarFile[], RegExp]>)("rejects an archive with %s", async (_name, files, message) => {
    const error = await readImageArchive(chunked(await tarOf(files), 4096)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageArchiveError);
    expect((error as Error).message).toMatch(message);
  });

  it.each([
    ["inside a big layer", (archive: Buffer) => archive.subarray(0, 300_000)],
    ["inside a tar header", (archive: Buffer) => archive.subarray(0, 1024 + 200)],
    ["not a tar at all", () => content(7, 10_000)],
  ])("rejects a stream cut or corrupt %s, without hanging", async (_name, cut) => {
    const archive = cut(await classicArchive(await sampleLayers()));
    await expect(readImageArchive(Readable.from(chunked(archive, 65_536)))).rejects.toThrow(ImageArchiveError);
  });

  it("rejects when the source fails mid-stream", async () => {
    const archive = await classicArchive(await sampleLayers());
    async function* failing() {
      yield archive.subarray(0, 200_000);
      throw new Error("socket hang up");
    }
    await expect(readImageArchive(failing())).rejects.toThrow(/socket hang up/);
  });
});

// ---- attachCompressed ----

const archiveOf = (rows: Array<[string, boolean]>, compressed: number[]): ArchiveImage => ({
  layers: compressed.map((compressedBytes) => ({ diffId: null, digest: null, sizeBytes: compressedBytes * 3, compressedBytes, files: null, captured: null })),
  history: rows.map(([createdBy, emptyLayer]) => ({ createdBy, emptyLayer })),
  compressedBytes: compressed.reduce((a, b) => a + b, 0),
});
const app = (...sizes: number[]) => sizes.map((sizeBytes, index) => ({ index, sizeBytes }));

describe("imageFromPush", () => {
  it.each([
    [
      "two layers and an empty-layer row",
      { rootfs: { diff_ids: ["sha256:a", "sha256:b"] }, history: [{ created_by: "ADD x" }, { created_by: "ENV A=1", empty_layer: true }, { created_by: "COPY y" }] },
      [{ compressedBytes: 100 }, { compressedBytes: 20 }],
      {
        layers: [
          { diffId: "sha256:a", digest: null, sizeBytes: null, compressedBytes: 100, files: null, captured: null },
          { diffId: "sha256:b", digest: null, sizeBytes: null, compressedBytes: 20, files: null, captured: null },
        ],
        history: [
          { createdBy: "ADD x", emptyLayer: false },
          { createdBy: "ENV A=1", emptyLayer: true },
          { createdBy: "COPY y", emptyLayer: false },
        ],
        compressedBytes: 120,
      },
    ],
    ["no history", { rootfs: { diff_ids: ["sha256:a"] } }, [{ compressedBytes: 7 }], { layers: [{ diffId: "sha256:a", digest: null, sizeBytes: null, compressedBytes: 7, files: null, captured: null }], history: [], compressedBytes: 7 }],
  ])("reads %s", (_what, config, layers, expected) => {
    expect(imageFromPush(config, layers)).toEqual(expected);
  });

  it("carries each pushed layer's digest, files and captured files", () => {
    const files = { entries: [{ path: "app", size: 5, type: "file" as const, mode: 0o755 }], truncated: false };
    const captured = [{ path: "app", bytes: Buffer.from("hello") }];
    const image = imageFromPush({ rootfs: { diff_ids: ["sha256:a"] } }, [{ digest: "sha256:c", compressedBytes: 9, files, captured }]);
    expect(image.layers).toEqual([{ diffId: "sha256:a", digest: "sha256:c", sizeBytes: null, compressedBytes: 9, files, captured }]);
  });

  it.each([null, "text", { rootfs: { diff_ids: "sha256:a" } }])("refuses a config that is not one: %j", (config) => {
    expect(() => imageFromPush(config, [])).toThrow(ImageArchiveError);
  });
});

describe("attachCompressed", () => {
  it.each([
    ["counts match: by position", app(100, 10), archiveOf([["ADD x /", false], ["CMD [\"a\"]", true], ["RUN go build", false]], [40, 4]), [40, 4]],
    [
      "a classic WORKDIR layer the app dropped (size 0)",
      app(100, 10),
      archiveOf([["ADD x /", false], ["/bin/sh -c #(nop) WORKDIR /src", false], ["ENV A=b", true], ["RUN go build", false]], [40, 1, 4]),
      [40, 4],
    ],
    [
      "a no-op RUN the app kept but the archive has no layer for",
      app(100, 0, 10),
      archiveOf([["ADD x /", false], ["RUN true # buildkit", true], ["CMD [\"a\"]", true], ["COPY app / # buildkit", false]], [40, 4]),
      [40, 0, 4],
    ],
    [
      "two WORKDIR layers, only one kept: ambiguous",
      app(100, 0, 10),
      archiveOf([["ADD x /", false], ["WORKDIR /a", false], ["WORKDIR /b", false], ["RUN go build", false]], [40, 1, 1, 4]),
      [null, null, null],
    ],
    ["history disagrees with the layers", app(100), archiveOf([["ADD x /", false], ["RUN a", false]], [40, 4, 5]), [null]],
    [
      "a sized app layer would land on an empty row",
      app(100, 5, 10),
      archiveOf([["ADD x /", false], ["RUN true", true], ["RUN go build", false]], [40, 4]),
      [null, null, null],
    ],
    ["no history", app(100, 10), archiveOf([], [40]), [null, null]],
  ] as Array<[string, ReturnType<typeof app>, ArchiveImage, Array<number | null>]>)("%s", (_name, layers, archive, expected) => {
    const attached = attachCompressed(layers, archive);
    expect(attached.map((layer) => layer.compressedBytes)).toEqual(expected);
    expect(attached.map(({ index, sizeBytes }) => ({ index, sizeBytes }))).toEqual(layers);
    // The archive layer itself comes along wherever one was matched.
    expect(attached.map((layer) => layer.layer?.compressedBytes ?? (layer.compressedBytes === null ? null : 0))).toEqual(expected);
  });
});

// ---- The layers shown are the image's real layers ----

type Step = [createdBy: string, historyBytes: number, emptyLayer: boolean, compressedBytes?: number];

/** An image from its steps, oldest first: the engine's history (newest first) and what a push reports. */
function imageOfSteps(steps: Step[], configRows = steps) {
  const history: HistoryRow[] = steps.map(([createdBy, sizeBytes], i) => ({ id: `sha256:${i}`, createdBy, sizeBytes })).reverse();
  const real = configRows.filter(([, , empty]) => !empty);
  const archive = imageFromPush(
    { rootfs: { diff_ids: real.map((_, i) => `sha256:d${i}`) }, history: configRows.map(([created_by, , empty_layer]) => ({ created_by, empty_layer })) },
    real.map(([, , , compressedBytes], i) => ({ digest: `sha256:c${i}`, compressedBytes: compressedBytes ?? 0 })),
  );
  return { history, archive };
}

// A classic-builder single-stage image on a two-layer Go base, as goawk built it.
const goawk: Step[] = [
  ["/bin/sh -c #(nop) ADD file:abc in / ", 90_000_000, false, 30_000_000],
  ["/bin/sh -c apt-get install -y golang-1.23-go", 600_000_000, false, 200_000_000],
  ['/bin/sh -c #(nop)  CMD ["bash"]', 0, true],
  ["/bin/sh -c #(nop) WORKDIR /src", 0, false, 98],
  ["/bin/sh -c #(nop) COPY multi:def in ./ ", 30_000, false, 9_000],
  ["/bin/sh -c go mod download", 0, false, 32],
  ["/bin/sh -c #(nop) COPY dir:ghi in . ", 900_000, false, 250_000],
  ["/bin/sh -c CGO_ENABLED=0 go build -o /out/goawk .", 40_000_000, false, 15_000_000],
  ['/bin/sh -c #(nop)  ENTRYPOINT ["/out/goawk"]', 0, true],
];

describe("toLayers with the image config, then attachCompressed", () => {
  it.each<[string, Step[], Step[] | undefined, string[], Array<number | null>]>([
    [
      "goawk single-stage: a 0-byte WORKDIR and a 0-byte RUN are real layers, each with its compressed size",
      goawk,
      undefined,
      ["ADD file:abc in /", "RUN apt-get install -y golang-1.23-go", "WORKDIR /src", "COPY multi:def in ./", "RUN go mod download", "COPY dir:ghi in .", "RUN CGO_ENABLED=0 go build -o /out/goawk ."],
      [30_000_000, 200_000_000, 98, 9_000, 32, 250_000, 15_000_000],
    ],
    [
      "BuildKit: a RUN that changed nothing is marked empty and is no layer",
      [["ADD rootfs / # buildkit", 5_000, false, 2_000], ["RUN true # buildkit", 0, true], ["COPY app /app # buildkit", 1_000, false, 600], ['CMD ["/app"]', 0, true]],
      undefined,
      ["ADD rootfs /", "COPY app /app"],
      [2_000, 600],
    ],
    [
      "scratch multi-stage: one layer",
      [["COPY /out/app /app # buildkit", 1_450_000, false, 700_000], ['ENTRYPOINT ["/app"]', 0, true]],
      undefined,
      ["COPY /out/app /app"],
      [700_000],
    ],
  ])("%s", (_name, steps, configRows, instructions, compressed) => {
    const { history, archive } = imageOfSteps(steps, configRows);
    const layers = toLayers(history, { id: null, historyLength: 2 }, archive);
    expect(layers.map((layer) => layer.instruction)).toEqual(instructions);
    expect(layers.map((layer) => layer.index)).toEqual(instructions.map((_, i) => i));
    const attached = attachCompressed(layers, archive);
    expect(attached.map((layer) => layer.compressedBytes)).toEqual(compressed);
    expect(attached.map((layer) => layer.layer?.digest)).toEqual(compressed.map((_, i) => `sha256:c${i}`));
    // Every real layer is in the table: the compressed sizes add up to the image's.
    expect(attached.reduce((total, layer) => total + (layer.compressedBytes ?? 0), 0)).toBe(archive.compressedBytes);
  });

  it("falls back to guessing from the history when the config does not fit it", () => {
    // A config with one row fewer than the engine's history: its flags cannot be trusted.
    const { history, archive } = imageOfSteps(goawk, goawk.slice(1));
    const layers = toLayers(history, { id: null, historyLength: 2 }, archive);
    expect(layers.map((layer) => layer.instruction)).not.toContain("WORKDIR /src");
    expect(layers).toHaveLength(6);
    expect(toLayers(history, { id: null, historyLength: 2 })).toEqual(layers);
  });

  it("marks base layers by the base's history, the config deciding which rows are layers", () => {
    const { history, archive } = imageOfSteps(goawk);
    const layers = toLayers(history, { id: "sha256:2", historyLength: 99 }, archive);
    expect(layers.map((layer) => layer.fromBase)).toEqual([true, true, false, false, false, false, false]);
  });
});
