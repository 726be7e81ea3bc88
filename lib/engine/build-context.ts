// Packs a build context as a tar stream: the program's files under src/ and the
// generated Dockerfile beside them, so the Dockerfile never changes what the builder
// stage copies (or, for the repository's own Dockerfile, the files as they are). Streams file by file; never holds the whole context in memory.
import { createReadStream } from "node:fs";
import { lstat, readdir, readlink } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pack, type Pack } from "tar-stream";

export interface ContextInput {
  /** The module root to copy under src/ (or at the root, for the repository's own Dockerfile). */
  sourceDir: string;
  /** The generated Dockerfile; null to build the source's own Dockerfile. */
  dockerfile: string | null;
  /** With dockerfile null: the text that replaces the source's own Dockerfile (its syntax line left out, stand-in bases). */
  ownDockerfile?: string | null;
  /** Refuse contexts larger than this many bytes. */
  maxBytes?: number;
}

export const DOCKERFILE_NAME = "Dockerfile";
const SKIP = new Set([".git"]);
const MTIME = new Date(0); // fixed times keep the context, and so the cache, reproducible

export function buildContext(input: ContextInput): Readable {
  const tar = pack();
  fill(tar, input).then(
    () => tar.finalize(),
    (error: unknown) => tar.destroy(error instanceof Error ? error : new Error(String(error))),
  );
  // tar-stream's streams are not Node streams; the engine client wants one.
  return Readable.from(tar);
}

async function fill(tar: Pack, input: ContextInput): Promise<void> {
  const maxBytes = input.maxBytes ?? 500 * 1024 * 1024;
  let total = 0;
  if (input.dockerfile !== null) {
    await addEntry(tar, { name: DOCKERFILE_NAME, mode: 0o644, mtime: MTIME }, Buffer.from(input.dockerfile));
  }
  const prefix = input.dockerfile !== null ? "src" : "";
  const replaced = input.dockerfile === null && typeof input.ownDockerfile === "string";
  if (replaced) await addEntry(tar, { name: DOCKERFILE_NAME, mode: 0o644, mtime: MTIME }, Buffer.from(input.ownDockerfile!));

  for (const relative of await walk(input.sourceDir)) {
    const file = path.join(input.sourceDir, relative);
    const name = path.posix.join(prefix, relative.split(path.sep).join("/"));
    if (replaced && name === DOCKERFILE_NAME) continue;
    const info = await lstat(file);
    if (info.isSymbolicLink()) {
      await addEntry(tar, { name, type: "symlink", linkname: await readlink(file), mtime: MTIME }, undefined);
    } else if (info.isDirectory()) {
      await addEntry(tar, { name, type: "directory", mode: 0o755, mtime: MTIME }, undefined);
    } else if (info.isFile()) {
      total += info.size;
      if (total > maxBytes) throw new Error(`the source is larger than ${Math.round(maxBytes / 1e6)} MB`);
      await addFile(tar, name, file, info.size, info.mode & 0o111 ? 0o755 : 0o644);
    }
    // Sockets, devices and FIFOs are left out.
  }
}

async function walk(root: string, prefix = ""): Promise<string[]> {
  const entries = await readdir(path.join(root, prefix), { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  const out: string[] = [];
  for (const entry of entries) {
    if (SKIP.has(entry.name) && prefix === "") continue;
    const relative = path.join(prefix, entry.name);
    out.push(relative);
    if (entry.isDirectory()) out.push(...(await walk(root, relative)));
  }
  return out;
}

function addEntry(tar: Pack, header: Parameters<Pack["entry"]>[0], body: Buffer | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (error?: Error | null) => (error ? reject(error) : resolve());
    if (body) tar.entry(header, body, done);
    else tar.entry(header, done);
  });
}

function addFile(tar: Pack, name: string, file: string, size: number, mode: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const sink = tar.entry({ name, size, mode, mtime: MTIME }, (error) => (error ? reject(error) : resolve()));
    const source = createReadStream(file);
    source.on("error", (error) => {
      sink.destroy(error);
      reject(error);
    });
    source.pipe(sink);
  });
}
