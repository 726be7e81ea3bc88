// A container registry that keeps nothing but sizes, on the host's loopback. Pushing a
// variant's image to it makes the Docker Engine compress each layer exactly as a real
// push would, and the manifest it sends names every layer's compressed size and digest.
// A layer the registry already knows (base layers are shared by every comparison) is
// answered "already exists" from the size store, so the engine neither tars nor
// compresses it again: only the app's own layers cost anything to measure.
//
// Only the Distribution API calls a push makes are served: the version check, blob
// existence (HEAD), uploads (POST, PATCH, PUT with a digest, and cross-repository
// mounts) and the manifest PUT. Uploaded bytes are hashed and counted, never stored,
// except small blobs (the image config), kept in memory for reading the manifest. A blob
// whose bytes do not match its digest is refused, so nothing can teach the store a
// wrong size.
//
// The same bytes also go through gunzip into the layer lister as they arrive, so every
// layer the engine uploads is listed file by file (dive's view) at no extra pass. The
// listing is kept once per blob digest in a LayerFileStore; with one, a layer counts as
// known only when its listing is known too, so the engine uploads once more a layer that
// was measured before listings existed. Files chosen by `captureFile` (the Go binary)
// are kept in memory until the push is taken.
import { createHash, randomUUID, type Hash } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { z } from "zod";
import type { Logger } from "@/lib/log";
import { BoundedMap } from "./bounded-map";
import { LayerLister, layerFormatOf, type CaptureFile, type CapturedFile, type LayerFiles } from "./layer-files";

/** Compressed sizes by blob digest; the database in the app (the BlobSize table). */
export interface BlobSizes {
  get(digest: string): Promise<number | null>;
  put(digest: string, sizeBytes: number): Promise<void>;
}

/** Layer listings by blob digest (compressed), stored once; the database in the app. */
export interface LayerFileStore {
  getFiles(digest: string): Promise<LayerFiles | null>;
  putFiles(digest: string, files: LayerFiles): Promise<void>;
}

export interface PushedLayer {
  /** The compressed blob's digest, as in the manifest. */
  digest: string;
  compressedBytes: number;
  /** The layer's listing: from this upload, or from the store for a layer already known; null if unknown. */
  files: LayerFiles | null;
  /**
   * Files captureFile chose, when this push uploaded the layer; null when the registry
   * knew the layer already (its bytes were not sent), so nothing could be captured.
   */
  captured: CapturedFile[] | null;
}

export interface PushedImage {
  /** The image config (rootfs.diff_ids, history), as the engine sent it. */
  config: unknown;
  /** Bottom layer first, as in the manifest. */
  layers: PushedLayer[];
}

export interface SizeRegistryOptions {
  port: number;
  sizes: BlobSizes;
  /** Where listings are kept by digest; without it, only layers uploaded in a push are listed. */
  files?: LayerFileStore;
  /** Chooses the files of uploaded layers to keep (see layer-files.ts). */
  captureFile?: CaptureFile;
  /** Where its failures are logged (the worker's logger); without it, they are not. */
  log?: Logger;
}

export interface SizeRegistry {
  /** host:port, the registry part of an image reference ("127.0.0.1:5055"). */
  readonly host: string;
  /** The image last pushed as repository:tag, which is forgotten once read. */
  takePushed(repository: string, tag: string): PushedImage;
  close(): Promise<void>;
}

export class SizeRegistryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SizeRegistryError";
  }
}

/** Blobs smaller than this (configs, tiny layers) are kept in memory, not in the store. */
const SMALL_BLOB_BYTES = 1024 * 1024;
const SMALL_BLOBS_MAX_BYTES = 32 * 1024 * 1024;
const MANIFEST_MAX_BYTES = 4 * 1024 * 1024;
const UPLOADS_MAX = 64;
const UPLOAD_MAX_AGE_MS = 30 * 60_000;
const MANIFESTS_MAX = 256;
/** Listings kept in memory (recently uploaded or asked about), in entries. */
const LISTED_MAX_ENTRIES = 1_000_000;
/** Captured files waiting for their push to be taken. */
const CAPTURED_MAX_BYTES = 1024 * 1024 * 1024;

const DIGEST = /^sha256:[a-f0-9]{64}$/;
// A repository name of the Distribution spec, and a tag.
const NAME = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*";
const TAG = "[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}";
const ROUTES = {
  blob: new RegExp(`^/v2/(${NAME})/blobs/(sha256:[a-f0-9]{64})$`),
  uploads: new RegExp(`^/v2/(${NAME})/blobs/uploads/?$`),
  upload: new RegExp(`^/v2/(${NAME})/blobs/uploads/([0-9a-f-]{36})$`),
  manifest: new RegExp(`^/v2/(${NAME})/manifests/(${TAG})$`),
};

const Manifest = z.object({
  config: z.object({ digest: z.string().regex(DIGEST) }),
  layers: z.array(z.object({ digest: z.string().regex(DIGEST), size: z.number().int().nonnegative() })),
});

interface Upload {
  started: number;
  hash: Hash;
  bytes: number;
  /** Kept while the blob may still turn out small. */
  chunks: Buffer[] | null;
  lister: LayerLister;
}

export async function startSizeRegistry({ port, sizes, files, captureFile, log }: SizeRegistryOptions): Promise<SizeRegistry> {
  const uploads = new Map<string, Upload>();
  const small = new Map<string, Buffer>();
  let smallBytes = 0;
  const manifests = new Map<string, Buffer>();
  const listed = new BoundedMap<LayerFiles>(LISTED_MAX_ENTRIES, (listing) => listing.entries.length + 1);
  const captured = new BoundedMap<CapturedFile[]>(CAPTURED_MAX_BYTES, (kept) => kept.reduce((sum, file) => sum + file.bytes.length, 0));

  const keepSmall = (digest: string, bytes: Buffer) => {
    if (small.has(digest)) return;
    small.set(digest, bytes);
    smallBytes += bytes.length;
    // Oldest first out: the configs being read are the newest.
    for (const [oldest, kept] of small) {
      if (smallBytes <= SMALL_BLOBS_MAX_BYTES) break;
      small.delete(oldest);
      smallBytes -= kept.length;
    }
  };
  const sizeOf = async (digest: string): Promise<number | null> => small.get(digest)?.length ?? (await sizes.get(digest));
  const listingOf = async (digest: string): Promise<LayerFiles | null> => {
    const kept = listed.get(digest);
    if (kept || !files) return kept ?? null;
    const stored = await files.getFiles(digest);
    if (stored) listed.set(digest, stored);
    return stored;
  };
  // A blob the engine need not send: its size is known and, with a store, its listing
  // (which is read now, for takePushed); a small blob that is no layer needs none.
  const knownSize = async (digest: string): Promise<number | null> => {
    const size = await sizeOf(digest);
    if (size === null || !files) return size;
    const kept = small.get(digest);
    if (kept && !isLayerBlob(kept)) return size;
    return (await listingOf(digest)) ? size : null;
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://registry");
    const path = url.pathname;
    const reply = (status: number, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "Docker-Distribution-API-Version": "registry/2.0", "Content-Length": "0", ...headers });
      res.end();
    };
    let match: RegExpMatchArray | null;

    if (path === "/v2/" || path === "/v2") return reply(200);

    if ((match = path.match(ROUTES.blob)) && (req.method === "HEAD" || req.method === "GET")) {
      const size = await knownSize(match[2]);
      if (size === null) return reply(404);
      // GET would send the bytes, which are not kept: only HEAD is a real answer.
      if (req.method === "GET") return reply(404);
      return reply(200, { "Content-Length": String(size), "Docker-Content-Digest": match[2], "Content-Type": "application/octet-stream" });
    }

    if ((match = path.match(ROUTES.uploads)) && req.method === "POST") {
      const mount = url.searchParams.get("mount");
      if (mount && DIGEST.test(mount) && (await knownSize(mount)) !== null) {
        return reply(201, { Location: `/v2/${match[1]}/blobs/${mount}`, "Docker-Content-Digest": mount });
      }
      for (const [id, upload] of uploads) {
        if (Date.now() - upload.started <= UPLOAD_MAX_AGE_MS) continue;
        upload.lister.abort();
        uploads.delete(id);
      }
      if (uploads.size >= UPLOADS_MAX) return reply(429);
      const id = randomUUID();
      uploads.set(id, { started: Date.now(), hash: createHash("sha256"), bytes: 0, chunks: [], lister: new LayerLister({ captureFile }) });
      await received(req, uploads.get(id)!);
      return reply(202, { Location: `/v2/${match[1]}/blobs/uploads/${id}`, Range: "0-0", "Docker-Upload-UUID": id });
    }

    if ((match = path.match(ROUTES.upload))) {
      const [, name, id] = match;
      const upload = uploads.get(id);
      if (!upload) return reply(404);
      if (req.method === "DELETE") {
        upload.lister.abort();
        uploads.delete(id);
        return reply(204);
      }
      if (req.method !== "PATCH" && req.method !== "PUT") return reply(405);
      await received(req, upload);
      if (req.method === "PATCH") {
        return reply(202, { Location: `/v2/${name}/blobs/uploads/${id}`, Range: `0-${Math.max(0, upload.bytes - 1)}`, "Docker-Upload-UUID": id });
      }
      uploads.delete(id);
      const digest = url.searchParams.get("digest") ?? "";
      if (!DIGEST.test(digest) || `sha256:${upload.hash.digest("hex")}` !== digest) {
        upload.lister.abort();
        return reply(400);
      }
      const listing = await upload.lister.finish();
      const smallBytes = upload.chunks ? Buffer.concat(upload.chunks) : null;
      // The config and other small documents are no layers; every big blob is one.
      if (!smallBytes || isLayerBlob(smallBytes)) {
        listed.set(digest, listing.files);
        captured.set(digest, listing.captured);
        // A listing that could not be stored is listed again next time; the sizes stand.
        await files?.putFiles(digest, listing.files).catch((error: unknown) => log?.error({ err: error, digest }, "size registry: storing a layer listing"));
      }
      if (smallBytes) keepSmall(digest, smallBytes);
      else await sizes.put(digest, upload.bytes);
      return reply(201, { Location: `/v2/${name}/blobs/${digest}`, "Docker-Content-Digest": digest });
    }

    if ((match = path.match(ROUTES.manifest)) && req.method === "PUT") {
      const body = await readLimited(req, MANIFEST_MAX_BYTES);
      if (!body) return reply(413);
      const digest = `sha256:${createHash("sha256").update(body).digest("hex")}`;
      manifests.delete(`${match[1]}:${match[2]}`);
      manifests.set(`${match[1]}:${match[2]}`, body);
      for (const oldest of manifests.keys()) {
        if (manifests.size <= MANIFESTS_MAX) break;
        manifests.delete(oldest);
      }
      return reply(201, { Location: `/v2/${match[1]}/manifests/${digest}`, "Docker-Content-Digest": digest });
    }

    for await (const _ of req); // whatever else: read through, then say no
    return reply(req.method === "GET" || req.method === "HEAD" ? 404 : 405);
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log?.error({ err: error }, "size registry");
      if (!res.headersSent) res.writeHead(500, { "Content-Length": "0" });
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    host,
    takePushed(repository, tag) {
      const key = `${repository}:${tag}`;
      const body = manifests.get(key);
      if (!body) throw new SizeRegistryError(`the engine pushed ${key} but no manifest arrived`);
      manifests.delete(key);
      const manifest = Manifest.safeParse(parseJson(body));
      if (!manifest.success) throw new SizeRegistryError(`the manifest of ${key} is not an image manifest`);
      const config = small.get(manifest.data.config.digest);
      if (!config) throw new SizeRegistryError(`the image config ${manifest.data.config.digest} of ${key} was not received`);
      return {
        config: parseJson(config),
        layers: manifest.data.layers.map((layer) => ({
          digest: layer.digest,
          compressedBytes: layer.size,
          files: listed.get(layer.digest) ?? null,
          captured: captured.take(layer.digest) ?? null,
        })),
      };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

// Hashes, counts and lists what arrives; keeps the bytes only while the blob is small.
async function received(req: http.IncomingMessage, upload: Upload): Promise<void> {
  for await (const chunk of req as AsyncIterable<Buffer>) {
    upload.hash.update(chunk);
    upload.bytes += chunk.length;
    if (upload.chunks && upload.bytes < SMALL_BLOB_BYTES) upload.chunks.push(chunk);
    else upload.chunks = null;
    await upload.lister.write(chunk);
  }
}

const isLayerBlob = (bytes: Buffer): boolean => layerFormatOf(bytes.subarray(0, 4)) !== "tar";

async function readLimited(req: http.IncomingMessage, maxBytes: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes <= maxBytes) chunks.push(chunk);
  }
  return bytes <= maxBytes ? Buffer.concat(chunks) : null;
}

function parseJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString("utf8"));
  } catch {
    return null;
  }
}
