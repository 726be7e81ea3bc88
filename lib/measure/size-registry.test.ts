// The size registry speaks just enough of the Distribution API for a push: these tests
// make the calls an engine makes, over real HTTP on loopback.
import { createHash, randomBytes } from "node:crypto";
import zlib from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import type { CaptureFile } from "./layer-files";
import { memoryBlobSizes as memorySizes, memoryLayerFiles } from "./memory-stores";
import { startSizeRegistry, SizeRegistryError, type LayerFileStore, type SizeRegistry } from "./size-registry";
import { dir, file, filled, tarOf } from "./tar-fixtures";

const sha = (bytes: Buffer) => `sha256:${createHash("sha256").update(bytes).digest("hex")}`;

let registry: SizeRegistry | null = null;
afterEach(async () => {
  await registry?.close();
  registry = null;
});

async function start(sizes = memorySizes(), options: { files?: LayerFileStore; captureFile?: CaptureFile } = {}) {
  registry = await startSizeRegistry({ port: 0, sizes, ...options });
  const base = `http://${registry.host}`;
  const call = (method: string, path: string, body?: Buffer) => fetch(`${base}${path}`, { method, body: body ? new Uint8Array(body) : undefined });
  /** POST, PATCH the bytes in two chunks, PUT with the digest: what an engine does. */
  const upload = async (bytes: Buffer, digest = sha(bytes)) => {
    const started = await call("POST", "/v2/slimstage/variants/blobs/uploads/");
    expect(started.status).toBe(202);
    const location = started.headers.get("location")!;
    const half = Math.floor(bytes.length / 2);
    expect((await call("PATCH", location, bytes.subarray(0, half))).status).toBe(202);
    expect((await call("PATCH", location, bytes.subarray(half))).status).toBe(202);
    return call("PUT", `${location}?digest=${digest}`);
  };
  const manifest = async (tag: string, config: Buffer, layers: Buffer[]) => {
    const body = { schemaVersion: 2, config: { size: config.length, digest: sha(config) }, layers: layers.map((l) => ({ size: l.length, digest: sha(l) })) };
    return call("PUT", `/v2/slimstage/variants/manifests/${tag}`, Buffer.from(JSON.stringify(body)));
  };
  return { sizes, call, upload, manifest, registry };
}

describe("size registry", () => {
  it("answers the version check, and HEAD 404 for a blob it does not know", async () => {
    const { call } = await start();
    const version = await call("GET", "/v2/");
    expect(version.status).toBe(200);
    expect(version.headers.get("docker-distribution-api-version")).toBe("registry/2.0");
    expect((await call("HEAD", `/v2/slimstage/variants/blobs/sha256:${"0".repeat(64)}`)).status).toBe(404);
  });

  it("counts a big blob into the store, and then says it exists with its size", async () => {
    const { sizes, upload, call } = await start();
    const big = Buffer.alloc(1_500_000, 7);
    const done = await upload(big);
    expect(done.status).toBe(201);
    expect(sizes.map.get(sha(big))).toBe(big.length);
    const head = await call("HEAD", `/v2/slimstage/variants/blobs/${sha(big)}`);
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe(String(big.length));
    // A mount from another repository of a known blob needs no upload.
    expect((await call("POST", `/v2/slimstage/other/blobs/uploads/?mount=${sha(big)}&from=slimstage/variants`)).status).toBe(201);
  });

  it("refuses bytes that do not match their digest, and learns nothing from them", async () => {
    const { sizes, upload } = await start();
    const bytes = Buffer.alloc(2_000_000, 1);
    const claimed = sha(Buffer.from("something else"));
    expect((await upload(bytes, claimed)).status).toBe(400);
    expect(sizes.map.size).toBe(0);
  });

  it("reads a pushed image from its manifest and config; each manifest is read once", async () => {
    const { upload, call, registry } = await start();
    const config = Buffer.from(JSON.stringify({ rootfs: { diff_ids: ["sha256:a", "sha256:b"] }, history: [{ created_by: "COPY x" }] }));
    expect((await upload(config)).status).toBe(201);
    const layers = [
      { mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip", size: 1234, digest: `sha256:${"1".repeat(64)}` },
      { mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip", size: 56, digest: `sha256:${"2".repeat(64)}` },
    ];
    const manifest = { schemaVersion: 2, config: { size: config.length, digest: sha(config) }, layers };
    const put = await call("PUT", "/v2/slimstage/variants/manifests/abc-single", Buffer.from(JSON.stringify(manifest)));
    expect(put.status).toBe(201);
    expect(registry.takePushed("slimstage/variants", "abc-single")).toEqual({
      config: JSON.parse(config.toString()),
      layers: [
        { digest: layers[0].digest, compressedBytes: 1234, files: null, captured: null },
        { digest: layers[1].digest, compressedBytes: 56, files: null, captured: null },
      ],
    });
    expect(() => registry.takePushed("slimstage/variants", "abc-single")).toThrow(SizeRegistryError);
  });

  it.each([
    ["an unknown upload session", "PATCH", "/v2/slimstage/variants/blobs/uploads/00000000-0000-0000-0000-000000000000", 404],
    ["a repository name with capitals", "HEAD", `/v2/Slimstage/x/blobs/sha256:${"0".repeat(64)}`, 404],
    ["a path outside the API", "GET", "/etc/passwd", 404],
    ["a manifest delete", "DELETE", "/v2/slimstage/variants/manifests/abc", 405],
  ])("answers %s with %i and no crash", async (_what, method, path, status) => {
    const { call } = await start();
    expect((await call(method, path)).status).toBe(status);
  });

  // ---- Layer listings ----

  const ELF = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46]), randomBytes(1_400_000)]); // incompressible: a big blob
  const isElf: CaptureFile = (_entry, head) => head.subarray(0, 4).equals(ELF.subarray(0, 4));
  const appLayer = async () => zlib.gzipSync(await tarOf([dir("out"), file("out/app", ELF, 0o755), file("out/README", 300)]), { level: 1 });
  const config = Buffer.from(JSON.stringify({ rootfs: { diff_ids: ["sha256:a"] }, history: [{ created_by: "COPY app" }] }));

  it("lists an uploaded layer as it arrives, stores the listing by digest and hands over captured files once", async () => {
    const files = memoryLayerFiles();
    const { upload, manifest, registry } = await start(memorySizes(), { files, captureFile: isElf });
    const layer = await appLayer();
    expect(layer.length).toBeGreaterThan(1024 * 1024); // a big blob: counted, never kept
    expect((await upload(layer)).status).toBe(201);
    expect((await upload(config)).status).toBe(201);
    expect([...files.map.keys()]).toEqual([sha(layer)]); // the config is no layer
    expect(files.map.get(sha(layer))!.entries.map((e) => [e.path, e.size, e.type])).toEqual([
      ["out", 0, "dir"],
      ["out/app", ELF.length, "file"],
      ["out/README", 300, "file"],
    ]);
    // A tiny layer (a WORKDIR's directory) is kept in memory, and listed too.
    const tiny = zlib.gzipSync(await tarOf([dir("src")]));
    expect((await upload(tiny)).status).toBe(201);
    expect((await manifest("t1", config, [layer, tiny])).status).toBe(201);
    const [pushed, pushedTiny] = registry.takePushed("slimstage/variants", "t1").layers;
    expect(pushedTiny).toEqual({ digest: sha(tiny), compressedBytes: tiny.length, files: { entries: [{ path: "src", size: 0, type: "dir", mode: 0o755 }], truncated: false }, captured: [] });
    expect(pushed.files).toEqual(files.map.get(sha(layer)));
    expect(pushed.captured?.map((c) => c.path)).toEqual(["out/app"]);
    expect(pushed.captured![0].bytes.equals(ELF)).toBe(true);
    // Captured bytes are handed over once; the listing stays.
    expect((await manifest("t2", config, [layer, tiny])).status).toBe(201);
    expect(registry.takePushed("slimstage/variants", "t2").layers[0]).toMatchObject({ files: pushed.files, captured: null });
  });

  it("with a listing store, a layer whose size is known but listing is not counts as unknown, so the engine sends it again", async () => {
    const sizes = memorySizes();
    const files = memoryLayerFiles();
    const layer = await appLayer();
    sizes.map.set(sha(layer), layer.length); // measured before listings existed
    const { call, upload } = await start(sizes, { files });
    const head = () => call("HEAD", `/v2/slimstage/variants/blobs/${sha(layer)}`);
    expect((await head()).status).toBe(404);
    expect((await call("POST", `/v2/slimstage/other/blobs/uploads/?mount=${sha(layer)}&from=slimstage/variants`)).status).toBe(202);
    expect((await upload(layer)).status).toBe(201);
    expect((await head()).status).toBe(200);
    expect((await upload(config)).status).toBe(201);
    expect((await call("HEAD", `/v2/slimstage/variants/blobs/${sha(config)}`)).status).toBe(200);
  });

  it("gives a layer it already knew its listing from the store, with nothing captured", async () => {
    const sizes = memorySizes();
    const files = memoryLayerFiles();
    const layer = await appLayer();
    sizes.map.set(sha(layer), layer.length);
    const listing = { entries: [{ path: "out/app", size: 10, type: "file" as const, mode: 0o755 }], truncated: false };
    files.map.set(sha(layer), listing);
    const { call, upload, manifest, registry } = await start(sizes, { files, captureFile: isElf });
    expect((await call("HEAD", `/v2/slimstage/variants/blobs/${sha(layer)}`)).status).toBe(200);
    expect((await upload(config)).status).toBe(201);
    expect((await manifest("known", config, [layer])).status).toBe(201);
    expect(registry.takePushed("slimstage/variants", "known").layers).toEqual([{ digest: sha(layer), compressedBytes: layer.length, files: listing, captured: null }]);
  });

  it("still measures a layer it cannot list, and says why", async () => {
    const files = memoryLayerFiles();
    const { upload } = await start(memorySizes(), { files });
    const notTar = zlib.gzipSync(filled(1_500_000, 5), { level: 1 });
    expect((await upload(notTar)).status).toBe(201);
    expect(files.map.get(sha(notTar))).toMatchObject({ entries: [], truncated: true, error: expect.stringMatching(/not a readable tar/) });
  });
});
