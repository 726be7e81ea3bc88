// The size registry's store: compressed layer sizes by digest, in the database, shared
// by every comparison.
import type { Db } from "@/lib/db";
import type { BlobSizes } from "@/lib/measure/size-registry";

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
