// Reads an image export (`docker save`, the engine's GET /images/{id}/get) as a stream and
// measures every layer: its uncompressed size and its gzip size at level 6, which is what
// a registry push moves. Only small JSON documents are kept in memory; layers stream
// through zlib into a byte counter. The layout is recognised by its files, not assumed:
// the classic docker-archive (manifest.json), the OCI layout of newer engines (index.json
// + blobs/), and archives with both (manifest.json wins).
//
// The manifest may come after the layers, so every entry is measured or kept by path and
// the image is resolved at the end. A layer's format is read from its first bytes, which
// is what the registry would receive whatever the mediaType says: a gzip layer counts its
// own size as compressed and is gunzipped in a stream for its uncompressed size (gunzip
// costs a fraction of the gzip we already run on plain layers); a zstd layer counts its
// own size and its uncompressed size is unknown (Node 20 has no zstd).
//
// Every layer is also listed file by file (layer-files.ts) from the same bytes as they
// pass: a plain layer's tar goes to the lister beside gzip, a gzip layer's gunzipped
// bytes are the lister's own (which also counts them), a known layer is listed while it
// is read through.
import { posix } from "node:path";
import zlib from "node:zlib";
import { extract, type Extract } from "tar-stream";
import { z } from "zod";
import { LayerLister, layerFormatOf, listLayer, settled, type CaptureFile, type CapturedFile, type LayerFiles, type LayerFormat, type LayerListing } from "./layer-files";

export interface ArchiveLayer {
  diffId: string | null;
  /** The compressed blob's digest when it is known (a push; an OCI export's blob name). */
  digest: string | null;
  sizeBytes: number | null;
  compressedBytes: number;
  /** The layer's files; null when they are unknown (a pushed layer the registry could not list). */
  files: LayerFiles | null;
  /** Files captureFile chose; null when this measurement did not read the layer's bytes. */
  captured: CapturedFile[] | null;
}
export interface ArchiveImage {
  /** In rootfs order, bottom first. */
  layers: ArchiveLayer[];
  /** From the image config, oldest first. */
  history: Array<{ createdBy: string; emptyLayer: boolean }>;
  /** Sum over layers (a layer listed twice counts twice). */
  compressedBytes: number;
}

export class ImageArchiveError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ImageArchiveError";
  }
}

const GZIP_LEVEL = 6;
const JSON_MAX_BYTES = 1024 * 1024;
const JSON_TOTAL_MAX_BYTES = 32 * 1024 * 1024;

export type Measured = Pick<ArchiveLayer, "sizeBytes" | "compressedBytes">;
type Listed = Measured & LayerListing;
type Stored = { kind: "json"; bytes: Buffer } | { kind: "blob"; layer: Listed } | { kind: "link"; target: string };

export interface ReadOptions {
  /**
   * Sizes measured before, by entry path (a docker-archive layer directory or an OCI
   * blob digest names the same layer in every export): such a layer is read through
   * without compressing it again. Base layers are shared by every comparison.
   */
  known?: (path: string) => Measured | undefined;
  /** Called with each layer entry measured in this read, to remember it. */
  onMeasured?: (path: string, measured: Measured) => void;
  /** Chooses files of the layers to keep as bytes (see layer-files.ts). */
  captureFile?: CaptureFile;
}

export async function readImageArchive(
  archive: NodeJS.ReadableStream | AsyncIterable<Buffer>,
  options: ReadOptions = {},
): Promise<ArchiveImage> {
  return resolveImage(await readEntries(archive, options), options);
}

// Mapping these layers onto the app's layer table lives with the table (layers.ts).

// ---- Reading the tar stream ----

async function readEntries(archive: AsyncIterable<Buffer | string>, options: ReadOptions): Promise<Map<string, Stored>> {
  const tar = extract();
  void feed(archive, tar);
  const stored = new Map<string, Stored>();
  let jsonBytes = 0;
  try {
    for await (const entry of tar) {
      const { name, type, linkname, size = 0 } = entry.header;
      const path = normalize(name);
      if (type === "file" || type === "contiguous-file") {
        const known = size >= JSON_MAX_BYTES ? options.known?.(path) : undefined;
        if (known) {
          // Read through (the engine sends it anyway), listing it but not compressing it again.
          const listed = await listLayer(entry as AsyncIterable<Buffer>, { captureFile: options.captureFile });
          stored.set(path, { kind: "blob", layer: { ...known, files: listed.files, captured: listed.captured } });
          continue;
        }
        const mayKeep = size < JSON_MAX_BYTES && jsonBytes + size <= JSON_TOTAL_MAX_BYTES;
        const file = await readFile(entry as AsyncIterable<Buffer>, mayKeep, options);
        if (file.kind === "json") jsonBytes += file.bytes.length;
        else if (file.kind === "blob" && size >= JSON_MAX_BYTES) options.onMeasured?.(path, { sizeBytes: file.layer.sizeBytes, compressedBytes: file.layer.compressedBytes });
        stored.set(path, file);
        continue;
      }
      // docker save writes a layer seen twice as a symlink to the first copy.
      if (type === "symlink" && linkname) stored.set(path, { kind: "link", target: normalize(posix.join(posix.dirname(path), linkname)) });
      if (type === "link" && linkname) stored.set(path, { kind: "link", target: normalize(linkname) });
      for await (const _ of entry); // an unread entry would stall the extractor
    }
  } catch (error) {
    tar.destroy();
    (archive as { destroy?: () => void }).destroy?.();
    if (error instanceof ImageArchiveError) throw error;
    throw new ImageArchiveError(`Could not read the image archive (truncated or not a tar stream?): ${messageOf(error)}`, { cause: error });
  }
  return stored;
}

// Writes the source into the extractor, waiting for it to drain; never rejects: a source
// error destroys the extractor, which rejects the reader.
async function feed(source: AsyncIterable<Buffer | string>, tar: Extract): Promise<void> {
  try {
    for await (const chunk of source) {
      if (tar.destroyed) return;
      if (!tar.write(typeof chunk === "string" ? Buffer.from(chunk) : chunk)) await settled(tar, "drain");
    }
    tar.end(undefined);
  } catch (error) {
    tar.destroy(error instanceof Error ? error : new Error(String(error)));
  }
}

async function readFile(entry: AsyncIterable<Buffer>, mayKeep: boolean, options: ReadOptions): Promise<Stored> {
  const chunks = entry[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let headBytes = 0;
  while (headBytes < 4) {
    const next = await chunks.next();
    if (next.done) break;
    head.push(next.value);
    headBytes += next.value.length;
  }
  const start = Buffer.concat(head, Math.min(headBytes, 4));
  const all = prepend(head, chunks);
  if (mayKeep && (start[0] === 0x7b || start[0] === 0x5b)) {
    const parts: Buffer[] = [];
    for await (const chunk of all) parts.push(chunk);
    return { kind: "json", bytes: Buffer.concat(parts) };
  }
  return { kind: "blob", layer: await measureStream(layerFormatOf(start), all, options) };
}

async function* prepend(head: Buffer[], rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  yield* head;
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
}

// A plain layer is gzipped for its compressed size and listed side by side; a gzip
// layer's lister gunzips it, listing and counting its uncompressed bytes.
async function measureStream(format: LayerFormat, chunks: AsyncIterable<Buffer>, options: ReadOptions): Promise<Listed> {
  const gzip = format === "tar" ? new GzipCounter(zlib.createGzip({ level: GZIP_LEVEL })) : null;
  const lister = new LayerLister({ captureFile: options.captureFile });
  try {
    let bytes = 0;
    for await (const chunk of chunks) {
      bytes += chunk.length;
      await Promise.all([gzip?.write(chunk), lister.write(chunk)]);
    }
    const [out, listed] = await Promise.all([gzip?.end() ?? null, lister.finish()]);
    const listing = { files: listed.files, captured: listed.captured };
    if (format === "tar") {
      if (out === null) throw new ImageArchiveError("gzip failed while measuring a layer");
      return { sizeBytes: bytes, compressedBytes: out, ...listing };
    }
    // A corrupt gzip layer or a zstd one: uncompressed size unknown.
    return { sizeBytes: listed.uncompressedBytes, compressedBytes: bytes, ...listing };
  } finally {
    gzip?.destroy();
    lister.abort();
  }
}

/** Counts what a gzip stream outputs; null when the stream fails. */
class GzipCounter {
  private out = 0;
  private failed = false;
  private readonly finished: Promise<void>;

  constructor(private readonly stream: zlib.Gzip) {
    stream.on("data", (chunk: Buffer) => (this.out += chunk.length));
    this.finished = new Promise((resolve) => {
      stream.on("end", resolve);
      stream.on("error", () => {
        this.failed = true;
        resolve();
      });
    });
  }

  async write(chunk: Buffer): Promise<void> {
    if (!this.failed && !this.stream.write(chunk)) await settled(this.stream, "drain");
  }

  async end(): Promise<number | null> {
    if (!this.failed) this.stream.end();
    await this.finished;
    return this.failed ? null : this.out;
  }

  destroy(): void {
    this.stream.destroy();
  }
}


// ---- Resolving the image from what was read ----

const DockerManifest = z.array(z.object({ Config: z.string(), Layers: z.array(z.string()) })).min(1);
const Descriptor = z.object({ digest: z.string(), platform: z.object({ os: z.string().optional() }).optional() });
const OciIndex = z.object({ manifests: z.array(Descriptor) });
const OciManifest = z.object({ config: Descriptor, layers: z.array(Descriptor) });
const ImageConfig = z.object({
  rootfs: z.object({ diff_ids: z.array(z.string()) }).optional(),
  history: z.array(z.object({ created_by: z.string().optional(), empty_layer: z.boolean().optional() })).optional(),
});

interface ImageTarget { configPath: string; layerPaths: string[] }

/** What a push says of a layer (the size registry's PushedLayer; files and captured optional). */
export interface PushedLayerSizes {
  compressedBytes: number;
  digest?: string;
  files?: LayerFiles | null;
  captured?: CapturedFile[] | null;
}

/** The image as a registry push described it: its config and each layer's compressed size and files. */
export function imageFromPush(config: unknown, layers: PushedLayerSizes[]): ArchiveImage {
  const parsed = ImageConfig.safeParse(config);
  if (!parsed.success) throw new ImageArchiveError("The pushed image config is not an image config");
  return imageOf(
    parsed.data,
    layers.map((layer) => ({
      digest: layer.digest ?? null,
      sizeBytes: null,
      compressedBytes: layer.compressedBytes,
      files: layer.files ?? null,
      captured: layer.captured ?? null,
    })),
  );
}

function imageOf(config: z.infer<typeof ImageConfig>, measured: Array<Omit<ArchiveLayer, "diffId">>): ArchiveImage {
  const diffIds = config.rootfs?.diff_ids ?? [];
  const layers = measured.map((layer, i) => ({ diffId: diffIds[i] ?? null, ...layer }));
  return {
    layers,
    history: (config.history ?? []).map((row) => ({ createdBy: row.created_by ?? "", emptyLayer: row.empty_layer === true })),
    compressedBytes: layers.reduce((sum, layer) => sum + layer.compressedBytes, 0),
  };
}

async function resolveImage(stored: Map<string, Stored>, options: ReadOptions): Promise<ArchiveImage> {
  const target = dockerArchiveTarget(stored) ?? ociLayoutTarget(stored);
  if (!target) {
    throw new ImageArchiveError("Not an image archive: it has neither a manifest.json (docker-archive) nor an index.json (OCI layout)");
  }
  const parsed = ImageConfig.safeParse(readJson(stored, target.configPath, "image config"));
  if (!parsed.success) throw new ImageArchiveError(`The image config ${target.configPath} is not an image config`);
  const layers = [];
  for (const path of target.layerPaths) layers.push({ digest: digestOf(path), ...(await measuredLayer(stored, path, options)) });
  return imageOf(parsed.data, layers);
}

const digestOf = (path: string): string | null => {
  const match = normalize(path).match(/^blobs\/sha256\/([a-f0-9]{64})$/);
  return match ? `sha256:${match[1]}` : null;
};

function dockerArchiveTarget(stored: Map<string, Stored>): ImageTarget | null {
  if (!lookup(stored, "manifest.json")) return null;
  const parsed = DockerManifest.safeParse(readJson(stored, "manifest.json", "manifest"));
  if (!parsed.success) throw new ImageArchiveError("manifest.json does not describe an image (expected [{ Config, Layers }])");
  const [image] = parsed.data; // one image per export: ours
  return { configPath: image.Config, layerPaths: image.Layers };
}

function ociLayoutTarget(stored: Map<string, Stored>): ImageTarget | null {
  if (!lookup(stored, "index.json")) return null;
  const manifest = findManifest(stored, readJson(stored, "index.json", "OCI index"), 0);
  if (!manifest) throw new ImageArchiveError("index.json names no image manifest that is in the archive");
  return { configPath: blobPath(manifest.config.digest), layerPaths: manifest.layers.map((layer) => blobPath(layer.digest)) };
}

// An index may point at a manifest or, for multi-platform images, at another index whose
// entries include attestations (platform unknown/unknown); the first image present wins.
function findManifest(stored: Map<string, Stored>, document: unknown, depth: number): z.infer<typeof OciManifest> | null {
  const manifest = OciManifest.safeParse(document);
  if (manifest.success) return manifest.data;
  const index = OciIndex.safeParse(document);
  if (!index.success || depth > 4) return null;
  for (const descriptor of index.data.manifests) {
    const path = blobPath(descriptor.digest);
    if (descriptor.platform?.os === "unknown" || lookup(stored, path)?.kind !== "json") continue;
    const found = findManifest(stored, readJson(stored, path, "OCI manifest"), depth + 1);
    if (found) return found;
  }
  return null;
}

const blobPath = (digest: string): string => `blobs/${digest.replace(":", "/")}`;

function readJson(stored: Map<string, Stored>, path: string, what: string): unknown {
  const entry = lookup(stored, path);
  if (!entry) throw new ImageArchiveError(`The ${what} ${path} is missing from the image archive`);
  if (entry.kind !== "json") throw new ImageArchiveError(`The ${what} ${path} is not a JSON document`);
  try {
    return JSON.parse(entry.bytes.toString("utf8"));
  } catch (error) {
    throw new ImageArchiveError(`The ${what} ${path} is not valid JSON: ${messageOf(error)}`, { cause: error });
  }
}

async function measuredLayer(stored: Map<string, Stored>, path: string, options: ReadOptions): Promise<Listed> {
  const entry = lookup(stored, path);
  if (!entry) throw new ImageArchiveError(`Layer ${path} is listed by the manifest but missing from the image archive`);
  if (entry.kind === "blob") return entry.layer;
  // A small layer whose tar starts with "{" was kept as JSON; it is plain tar bytes.
  const listed = await listLayer([entry.bytes], { captureFile: options.captureFile });
  return { sizeBytes: entry.bytes.length, compressedBytes: zlib.gzipSync(entry.bytes, { level: GZIP_LEVEL }).length, files: listed.files, captured: listed.captured };
}

function lookup(stored: Map<string, Stored>, path: string): Exclude<Stored, { kind: "link" }> | undefined {
  let current = normalize(path);
  for (let hops = 0; hops < 8; hops++) {
    const entry = stored.get(current);
    if (entry?.kind !== "link") return entry;
    current = entry.target;
  }
  return undefined;
}

const normalize = (name: string): string => posix.normalize(name).replace(/^(\.\/|\/)+/, "");
const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
