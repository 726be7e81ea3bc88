// Lists the files of one image layer (dive's "files in the layers") from its bytes as they
// stream past another measurement: the size registry's upload, or the image export. The
// lister takes writes and never fails them: a layer it cannot read (corrupt gzip, zstd,
// not a tar) ends up with an `error` and whatever was listed before, and the measurement
// that fed it goes on. Bounded: at most `maxEntries` entries (then `truncated`), and only
// the files `captureFile` chooses are kept as bytes (the Go binary of an app layer).
//
// OCI whiteouts are recorded as what they do: `.wh.NAME` deletes NAME from the layers
// below (whiteout "file", at NAME's path), `.wh..wh..opq` hides every lower entry of its
// directory (whiteout "opaque", at the directory's path). Other `.wh..wh.` names are aufs
// bookkeeping and are skipped.
import { posix } from "node:path";
import zlib from "node:zlib";
import { extract, type Extract, type Header } from "tar-stream";

type TarHeader = Partial<Header> & Pick<Header, "name">;

export type LayerEntryType = "file" | "dir" | "symlink" | "hardlink" | "other";

export interface LayerEntry {
  /** Relative to the image root, no leading "./" or "/", no trailing "/" ("usr/bin/app"). */
  path: string;
  /** Bytes of content as the tar header says (0 for directories, links, whiteouts). */
  size: number;
  type: LayerEntryType;
  /** Permission bits and set-id bits (tar mode). */
  mode: number;
  /** A symlink's target as written; a hardlink's target normalised like `path`. */
  linkTarget?: string;
  whiteout?: "file" | "opaque";
}

/** One layer's listing, as stored once per layer digest. */
export interface LayerFiles {
  entries: LayerEntry[];
  /** True when the listing is not the whole layer (the entry cap, or an error). */
  truncated: boolean;
  /** Why the listing stopped early, when it did for a reason other than the cap. */
  error?: string;
}

export interface CapturedFile {
  path: string;
  bytes: Buffer;
}

/**
 * Chooses files to keep, from the entry and its first bytes (up to 64: enough for ELF's
 * header). With `holding`, a chosen file is kept only when its bytes contain it (Go's
 * build information): a layer holds many executables, few of them Go. It is looked for
 * in each piece as the file arrives, so a file without it is dropped in the pieces it
 * came in, never joined into one buffer (the golang image's compilers are 30 MB each).
 */
export type CaptureFile = ((entry: LayerEntry, head: Buffer) => boolean) & {
  holding?: Buffer;
};

export interface ListOptions {
  /** Entries kept per layer; past it the listing is `truncated`. */
  maxEntries?: number;
  captureFile?: CaptureFile;
  /** A file larger than this is never offered to captureFile. */
  maxCaptureFileBytes?: number;
  /** Captured bytes per layer at most; files past it are not kept. */
  maxCapturedBytes?: number;
}

export interface LayerListing {
  files: LayerFiles;
  captured: CapturedFile[];
}

export const MAX_ENTRIES = 200_000;
export const MAX_CAPTURE_FILE_BYTES = 256 * 1024 * 1024;
const HEAD_BYTES = 64;

export type LayerFormat = "tar" | "gzip" | "zstd";

/** What a layer's first bytes say it is (at least 4 bytes, or all there are). */
export function layerFormatOf(start: Buffer): LayerFormat {
  if (start[0] === 0x1f && start[1] === 0x8b) return "gzip";
  if (start.length >= 4 && start.readUInt32LE(0) === 0xfd2fb528) return "zstd";
  return "tar";
}

const WHITEOUT = ".wh.";
const OPAQUE = ".wh..wh..opq";

/** A tar header -> an entry, or null for the root directory and aufs bookkeeping. */
export function entryOf(header: TarHeader): LayerEntry | null {
  const path = normalizePath(header.name);
  if (!path) return null;
  const base = posix.basename(path);
  const dir = posix.dirname(path) === "." ? "" : posix.dirname(path);
  const mode = header.mode ?? 0;
  if (base === OPAQUE) return dir ? { path: dir, size: 0, type: typeOf(header.type), mode, whiteout: "opaque" } : null;
  if (path.split("/").some((part) => part.startsWith(WHITEOUT + WHITEOUT))) return null;
  if (base.startsWith(WHITEOUT)) {
    const target = base.slice(WHITEOUT.length);
    return target ? { path: dir ? `${dir}/${target}` : target, size: 0, type: typeOf(header.type), mode, whiteout: "file" } : null;
  }
  const type = typeOf(header.type);
  const entry: LayerEntry = { path, size: type === "file" ? (header.size ?? 0) : 0, type, mode };
  if (type === "symlink" && header.linkname) entry.linkTarget = header.linkname;
  if (type === "hardlink" && header.linkname) entry.linkTarget = normalizePath(header.linkname);
  return entry;
}

export const normalizePath = (name: string): string => {
  const path = posix.normalize(`/${name}`).replace(/^\/+/, "").replace(/\/+$/, "");
  return path === "." ? "" : path;
};

function typeOf(type: Header["type"] | undefined): LayerEntryType {
  switch (type) {
    case "file":
    case "contiguous-file":
    case undefined:
      return "file";
    case "directory":
      return "dir";
    case "symlink":
      return "symlink";
    case "link":
      return "hardlink";
    default:
      return "other";
  }
}

export interface ListResult extends LayerListing {
  /** What the first bytes said; null for an empty stream. */
  format: LayerFormat | null;
  /** The layer's uncompressed (tar) size; null when unknown (zstd, corrupt gzip, aborted). */
  uncompressedBytes: number | null;
}

/** Lists a whole layer from a stream of its bytes (plain tar, or gzip by its magic bytes). */
export async function listLayer(source: AsyncIterable<Buffer> | Iterable<Buffer>, options: ListOptions = {}): Promise<ListResult> {
  const lister = new LayerLister(options);
  try {
    for await (const chunk of source) await lister.write(chunk);
    return await lister.finish();
  } finally {
    lister.abort();
  }
}

/**
 * Fed a layer's bytes chunk by chunk while something else measures them. `write` waits
 * for the lister to keep up (backpressure) and never rejects; `finish` says what it found.
 * A gzip layer is gunzipped to the end even when listing stops early, for its size.
 */
export class LayerLister {
  private readonly entries: LayerEntry[] = [];
  private readonly captured: CapturedFile[] = [];
  private capturedBytes = 0;
  private truncated = false;
  private error: string | undefined;
  private head: Buffer[] = [];
  private headBytes = 0;
  private format: LayerFormat | null = null;
  private tar: Extract | null = null;
  private gunzip: zlib.Gunzip | null = null;
  private gunzipFailed = false;
  private aborted = false;
  private tarBytes = 0;
  private reading: Promise<void> = Promise.resolve();
  private gunzipped: Promise<void> = Promise.resolve();

  constructor(private readonly options: ListOptions = {}) {}

  async write(chunk: Buffer): Promise<void> {
    if (this.aborted || chunk.length === 0) return;
    if (this.format === null) {
      this.head.push(chunk);
      this.headBytes += chunk.length;
      if (this.headBytes < 4) return;
      chunk = Buffer.concat(this.head);
      this.head = [];
      this.start(layerFormatOf(chunk));
    }
    await this.pass(chunk);
  }

  async finish(): Promise<ListResult> {
    if (this.format === null && this.headBytes > 0 && !this.aborted) {
      const rest = Buffer.concat(this.head);
      this.head = [];
      this.start(layerFormatOf(rest));
      await this.pass(rest);
    }
    const gunzip = this.gunzip;
    if (gunzip && !gunzip.destroyed) {
      gunzip.end();
      await this.gunzipped;
    }
    if (this.tar && this.parsing) this.tar.end(undefined);
    await this.reading;
    const known = !this.aborted && this.format !== "zstd" && !this.gunzipFailed;
    this.abort();
    const files: LayerFiles = { entries: this.entries, truncated: this.truncated || this.error !== undefined };
    if (this.error !== undefined) files.error = this.error;
    return { files, captured: this.captured, format: this.format, uncompressedBytes: known ? this.tarBytes : null };
  }

  /** Stops reading; what was listed stays. */
  abort(): void {
    this.aborted = true;
    this.gunzip?.destroy();
    this.tar?.destroy();
  }

  private get parsing(): boolean {
    return !this.aborted && !this.truncated && this.error === undefined;
  }

  private start(format: LayerFormat): void {
    this.format = format;
    if (format === "zstd") {
      this.error = "a zstd layer cannot be read here";
      return;
    }
    const tar = extract();
    this.tar = tar;
    this.reading = this.read(tar);
    if (format !== "gzip") return;
    const gunzip = zlib.createGunzip();
    this.gunzip = gunzip;
    // Gunzipped bytes are counted, and go into the tar parser while it still reads;
    // when the parser is full, gunzip waits.
    gunzip.on("data", (out: Buffer) => {
      this.tarBytes += out.length;
      if (!this.parsing) return;
      if (!tar.write(out)) {
        gunzip.pause();
        void settled(tar, "drain").then(() => gunzip.resume());
      }
    });
    this.gunzipped = new Promise((resolve) => {
      gunzip.on("end", resolve);
      gunzip.on("close", resolve);
      gunzip.on("error", (error) => {
        this.gunzipFailed = true;
        this.fail(`the layer is not valid gzip: ${error.message}`);
        resolve();
      });
    });
  }

  private async pass(chunk: Buffer): Promise<void> {
    const gunzip = this.gunzip;
    if (gunzip) {
      if (!gunzip.destroyed && !gunzip.write(chunk)) await settled(gunzip, "drain");
      return;
    }
    if (this.format === "zstd") return;
    this.tarBytes += chunk.length;
    const tar = this.tar;
    if (tar && this.parsing && !tar.write(chunk)) await settled(tar, "drain");
  }

  private async read(tar: Extract): Promise<void> {
    const max = this.options.maxEntries ?? MAX_ENTRIES;
    try {
      for await (const item of tar) {
        const entry = entryOf(item.header);
        if (entry && this.entries.length >= max) {
          this.truncated = true;
          tar.destroy();
          return;
        }
        if (entry) this.entries.push(entry);
        await this.readBody(item as unknown as AsyncIterable<Buffer>, entry);
      }
    } catch (error) {
      if (this.parsing) this.fail(`the layer is not a readable tar: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  // Reads the entry through (an unread entry stalls the parser), keeping it when chosen.
  private async readBody(item: AsyncIterable<Buffer>, entry: LayerEntry | null): Promise<void> {
    const { captureFile, maxCaptureFileBytes = MAX_CAPTURE_FILE_BYTES, maxCapturedBytes = 2 * MAX_CAPTURE_FILE_BYTES } = this.options;
    const offer = captureFile && entry?.type === "file" && !entry.whiteout && entry.size > 0 && entry.size <= maxCaptureFileBytes && this.capturedBytes + entry.size <= maxCapturedBytes;
    if (!offer) {
      for await (const _ of item);
      return;
    }
    const chunks: Buffer[] = [];
    let bytes = 0;
    let keep: boolean | null = null;
    const marker = captureFile.holding ? new MarkerSearch(captureFile.holding) : null;
    for await (const chunk of item) {
      if (keep === false) continue;
      chunks.push(chunk);
      bytes += chunk.length;
      marker?.push(chunk);
      if (keep === null && bytes >= Math.min(HEAD_BYTES, entry.size)) keep = captureFile(entry, Buffer.concat(chunks).subarray(0, HEAD_BYTES));
      if (keep === false) chunks.length = 0;
    }
    if (keep === null) keep = captureFile(entry, Buffer.concat(chunks).subarray(0, HEAD_BYTES));
    if (!keep || bytes !== entry.size || (marker && !marker.found)) return;
    this.captured.push({ path: entry.path, bytes: Buffer.concat(chunks, bytes) });
    this.capturedBytes += bytes;
  }

  // Listing stops; a gzip layer is still gunzipped through for its size.
  private fail(message: string): void {
    if (this.error === undefined && !this.truncated) this.error = message;
    this.tar?.destroy();
  }
}

/** Resolves on `event`, or when the stream closes (destroyed, errored) instead. */
export function settled(stream: NodeJS.EventEmitter & { destroyed: boolean }, event: string): Promise<void> {
  if (stream.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      stream.off(event, done);
      stream.off("close", done);
      resolve();
    };
    stream.on(event, done);
    stream.on("close", done);
  });
}

/** Whether a marker occurs in bytes that arrive piece by piece (also across two pieces). */
export class MarkerSearch {
  found = false;
  private carry: Buffer = Buffer.alloc(0);

  constructor(private readonly marker: Buffer) {}

  push(piece: Buffer): void {
    if (this.found || piece.length === 0) return;
    const overlap = this.marker.length - 1;
    const seam = Buffer.concat([this.carry, piece.subarray(0, overlap)]);
    this.found = seam.includes(this.marker) || piece.includes(this.marker);
    this.carry = piece.length >= overlap ? Buffer.from(piece.subarray(piece.length - overlap)) : seam.subarray(Math.max(0, seam.length - overlap));
  }
}
