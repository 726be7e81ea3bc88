// Test helpers: real tar streams made with tar-stream's pack, the way an engine writes a
// layer (files, directories, links, OCI whiteouts). Used by the measure tests only.
import { pack, type Header } from "tar-stream";

type Headers = Partial<Header> & Pick<Header, "name">;

export interface TarItem {
  name: string;
  body?: Buffer;
  type?: Headers["type"];
  linkname?: string;
  mode?: number;
}

export async function tarOf(items: TarItem[]): Promise<Buffer> {
  const archive = pack();
  const chunks: Buffer[] = [];
  const collected = (async () => {
    for await (const chunk of archive) chunks.push(chunk as Buffer);
  })();
  for (const item of items) {
    await new Promise<void>((resolve, reject) => {
      const done = (error?: Error | null) => (error ? reject(error) : resolve());
      const header: Headers = { name: item.name, type: item.type ?? "file", mode: item.mode ?? (item.type === "directory" ? 0o755 : 0o644) };
      if (item.linkname !== undefined) header.linkname = item.linkname;
      if (header.type === "file") archive.entry(header, item.body ?? Buffer.alloc(0), done);
      else archive.entry(header, done);
    });
  }
  archive.finalize();
  await collected;
  return Buffer.concat(chunks);
}

export const dir = (name: string): TarItem => ({ name: `${name}/`, type: "directory" });
export const file = (name: string, bytes: number | Buffer, mode?: number): TarItem => ({
  name,
  body: typeof bytes === "number" ? filled(bytes, name.length) : bytes,
  mode,
});
export const symlink = (name: string, target: string): TarItem => ({ name, type: "symlink", linkname: target });
export const hardlink = (name: string, target: string): TarItem => ({ name, type: "link", linkname: target });
/** `.wh.NAME` next to NAME: deletes NAME from the layers below. */
export const whiteout = (path: string): TarItem => {
  const at = path.lastIndexOf("/");
  return { name: at < 0 ? `.wh.${path}` : `${path.slice(0, at)}/.wh.${path.slice(at + 1)}` };
};
/** `.wh..wh..opq` in DIR: hides everything below DIR from lower layers. */
export const opaque = (dirPath: string): TarItem => ({ name: `${dirPath}/.wh..wh..opq` });

/** Bytes that are not all alike, so gzip has work to do. */
export function filled(bytes: number, seed = 1): Buffer {
  const out = Buffer.alloc(bytes);
  let state = seed;
  for (let i = 0; i < bytes; i++) {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    out[i] = i % 64 < 40 ? 0x61 + ((i >> 6) % 26) : state & 0xff;
  }
  return out;
}

export async function* chunked(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}
