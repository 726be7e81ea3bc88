// Engine test: real layers from a real image, listed both ways the app measures (a push
// to the size registry, the image export), and dive's figures on them. The image is built
// FROM the static base with the docker CLI's classic builder: a WORKDIR that makes its
// directory (a real layer the history calls 0 B), a 5 MB file, then a 1 MB file COPYed
// over it at the same path, so 5 MB are wasted and nothing else is.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dockerEngine } from "@/lib/engine/docker-engine";
import { efficiencyOf } from "./efficiency";
import { mergeLayers, searchTree } from "./file-tree";
import { imageFromPush, readImageArchive, type ArchiveImage } from "./image-archive";
import type { CaptureFile, LayerFiles } from "./layer-files";
import { attachCompressed, toLayers } from "./layers";
import { memoryBlobSizes, memoryLayerFiles } from "./memory-stores";
import { startSizeRegistry, type SizeRegistry } from "./size-registry";

const run = promisify(execFile);
const engine = dockerEngine();
const BASE = "slimstage/static:local";
const REPOSITORY = "slimstage/layer-files-test";
const MB = 1024 * 1024;
const big = randomBytes(5 * MB);
const small = randomBytes(1 * MB);

let dir: string;
let imageId: string;
let registry: SizeRegistry;
const files = memoryLayerFiles();
const sizes = memoryBlobSizes();
const captureBlob: CaptureFile = (entry) => entry.path === "data/blob";

beforeAll(async () => {
  await engine.version(); // fails the file at once, with the reason, when no engine answers
  dir = await mkdtemp(path.join(os.tmpdir(), "slimstage-layer-files-"));
  await writeFile(path.join(dir, "big.bin"), big);
  await writeFile(path.join(dir, "small.bin"), small);
  await writeFile(path.join(dir, "Dockerfile"), `FROM ${BASE}\nWORKDIR /work\nCOPY big.bin /data/blob\nCOPY small.bin /data/blob\n`);
  // The classic builder, as the app builds; -q prints the image ID.
  const built = await run("docker", ["build", "-q", "--label", "slimstage.test=layer-files", dir], { env: { ...process.env, DOCKER_BUILDKIT: "0" } });
  imageId = built.stdout.trim().split("\n").pop()!;
  expect(imageId).toMatch(/^sha256:[a-f0-9]{64}$/);
  registry = await startSizeRegistry({ port: 0, sizes, files, captureFile: captureBlob });
});

afterAll(async () => {
  // Forced removal by ID drops the tags the pushes added too.
  if (imageId) await engine.removeImage(imageId).catch(() => {});
  await registry?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function push(tag: string): Promise<ArchiveImage> {
  await engine.push(imageId, `${registry.host}/${REPOSITORY}`, tag);
  const pushed = registry.takePushed(REPOSITORY, tag);
  return imageFromPush(pushed.config, pushed.layers);
}

/** A layer's listing as a comparable, order-free set. */
const listingOf = (files: LayerFiles | null) => files?.entries.map((e) => `${e.type} ${e.path} ${e.size} ${e.whiteout ?? ""}`).sort();

describe("layer files from a real image", () => {
  let pushed: ArchiveImage;
  let exported: ArchiveImage;

  it("lists every layer the same way from the push and from the export", async () => {
    pushed = await push("first");
    exported = await readImageArchive(await engine.exportImage(imageId), { captureFile: captureBlob });
    const baseLayers = (await run("docker", ["image", "inspect", "-f", "{{len .RootFS.Layers}}", BASE])).stdout.trim();
    expect(pushed.layers).toHaveLength(Number(baseLayers) + 3);
    expect(exported.layers.map((l) => l.diffId)).toEqual(pushed.layers.map((l) => l.diffId));
    for (const [i, layer] of pushed.layers.entries()) {
      expect(layer.files, `pushed layer ${i}`).not.toBeNull();
      expect(layer.files!.truncated).toBe(false);
      expect(listingOf(layer.files)).toEqual(listingOf(exported.layers[i].files));
    }
    const top = pushed.layers.slice(-2).map((layer) => layer.files!.entries.find((e) => e.path === "data/blob"));
    expect(top.map((entry) => entry?.size)).toEqual([big.length, small.length]);
    // Every listing was stored once, by the pushed blob's digest.
    for (const layer of pushed.layers) expect(listingOf(files.map.get(layer.digest!) ?? null)).toEqual(listingOf(layer.files));
  });

  it("keeps the chosen file's bytes from the layers it read", () => {
    for (const image of [pushed, exported]) {
      const [lower, upper] = image.layers.slice(-2).map((layer) => layer.captured);
      expect(lower?.[0]?.bytes.equals(big)).toBe(true);
      expect(upper?.[0]?.bytes.equals(small)).toBe(true);
    }
  });

  it("computes dive's efficiency: the 5 MB overwritten are wasted, and only they count against the score", () => {
    const listings = pushed.layers.map((layer) => layer.files);
    const result = efficiencyOf(listings);
    const allFileBytes = listings.flatMap((l) => l!.entries).reduce((sum, e) => sum + e.size, 0);
    expect(allFileBytes).toBeGreaterThan(big.length + small.length); // the base has files too
    expect(result.redundantBytes).toBe(big.length);
    expect(result.wastedBytes).toBe(big.length + small.length); // dive counts the latest copy too
    expect(result.totalBytes).toBe(allFileBytes);
    expect(result.efficiency).toBeCloseTo(1 - big.length / allFileBytes, 12);
    expect(result.inefficiencies[0]).toEqual({ path: "/data/blob", count: 2, wastedBytes: big.length + small.length });
    expect(result.complete).toBe(true);
    expect(efficiencyOf(exported.layers.map((layer) => layer.files))).toEqual(result);
  });

  it("shows the merged filesystem with the later copy", () => {
    const tree = mergeLayers(pushed.layers.map((layer) => layer.files));
    expect(searchTree(tree, "/data/blob").matches).toEqual([{ path: "/data/blob", bytes: small.length, files: 1, dir: false }]);
  });

  it("puts every real layer in the table with its compressed size, adding up to the image's", async () => {
    const history = await engine.history(imageId);
    const layers = toLayers(history, { id: null, historyLength: 0 }, pushed);
    expect(layers).toHaveLength(pushed.layers.length);
    // The WORKDIR's layer: 0 B by the history, a directory in its listing.
    const workdir = layers.findIndex((layer) => layer.instruction === "WORKDIR /work");
    expect(workdir).toBeGreaterThanOrEqual(0);
    expect(layers[workdir].sizeBytes).toBe(0);
    expect(pushed.layers[workdir].files?.entries).toContainEqual(expect.objectContaining({ path: "work", type: "dir" }));
    // Guessing from the history alone would drop it.
    expect(toLayers(history, { id: null, historyLength: 0 })).toHaveLength(pushed.layers.length - 1);
    const attached = attachCompressed(layers, pushed);
    expect(attached.every((layer) => layer.compressedBytes !== null && layer.layer !== null)).toBe(true);
    expect(attached.reduce((sum, layer) => sum + layer.compressedBytes!, 0)).toBe(pushed.compressedBytes);
  });

  it("on a second push, takes the known layers' files from the store and captures nothing", async () => {
    const again = await push("second");
    expect(again.layers.map((layer) => listingOf(layer.files))).toEqual(pushed.layers.map((layer) => listingOf(layer.files)));
    expect(again.layers.map((layer) => layer.captured)).toEqual(again.layers.map(() => null));
  });
});
