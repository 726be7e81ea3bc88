// The size registry speaks just enough of the Distribution API for a push: these tests
// make the calls an engine makes, over real HTTP on loopback.
import { createHash } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { startSizeRegistry, SizeRegistryError, type BlobSizes, type SizeRegistry } from "./size-registry";

const sha = (bytes: Buffer) => `sha256:${createHash("sha256").update(bytes).digest("hex")}`;

function memorySizes(): BlobSizes & { map: Map<string, number> } {
  const map = new Map<string, number>();
  return { map, get: async (digest) => map.get(digest) ?? null, put: async (digest, size) => void map.set(digest, size) };
}

let registry: SizeRegistry | null = null;
afterEach(async () => {
  await registry?.close();
  registry = null;
});

async function start(sizes = memorySizes()) {
  registry = await startSizeRegistry({ port: 0, sizes });
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
  return { sizes, call, upload, registry };
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
        { digest: layers[0].digest, compressedBytes: 1234 },
        { digest: layers[1].digest, compressedBytes: 56 },
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
});
