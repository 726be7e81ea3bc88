// The size registry's stores, in the database and shared by every comparison: compressed
// layer sizes by digest (BlobSize), and each layer's file list by digest (BlobFiles,
// gzip-compressed JSON), so a base layer is measured and listed once.
import { gunzipSync, gzipSync } from "node:zlib";
import type { Db } from "@/lib/db";
import type { LayerFiles } from "@/lib/measure/layer-files";
import type { BlobSizes, LayerFileStore } from "@/lib/measure/size-registry";

export function databaseBlobSizes(db: Db): BlobSizes {
  return {
    async get(digest) {
      const row = await db.blobSize.findUnique({ where: { digest } });
      return row ? Number(row.sizeBytes) : null;
    },
    async put(digest, sizeBytes) {
      const data = { sizeBytes: BigInt(sizeBytes) };
      await db.blobSize.upsert({ where: { digest }, create: { digest, ...data }, update: data });
    },
  };
}

/** A BlobFiles row's `files`, read back. */
export const storedLayerFiles = (files: Uint8Array): LayerFiles => JSON.parse(gunzipSync(files).toString("utf8")) as LayerFiles;

export function databaseLayerFiles(db: Db): LayerFileStore {
  return {
    async getFiles(digest) {
      const row = await db.blobFiles.findUnique({ where: { digest } });
      return row ? storedLayerFiles(row.files) : null;
    },
    async putFiles(digest, files) {
      const data = { files: new Uint8Array(gzipSync(JSON.stringify(files))) };
      await db.blobFiles.upsert({ where: { digest }, create: { digest, ...data }, update: data });
    },
  };
}
