// Moves an instance's whole history from SQLite to PostgreSQL when it outgrows one
// machine: every comparison with its variants, layers, analyses, advice steps and owners'
// token hashes, the layers' file lists, the stored diffs between comparisons and the
// measured sizes, keeping every id (so every shared link
// still works) and moving the PostgreSQL sequences past them. The target is migrated
// first and must hold no comparison yet. Workers' presence and pending image removals
// are the running instance's, not its history: they are left behind.
import type { Db } from "@/lib/db";
import { createDb, databaseDialect } from "@/lib/db";
import { migratePostgres } from "@/lib/db/migrate";

const BATCH = 500;

export interface Moved {
  comparisons: number;
  variants: number;
  layers: number;
  adviceSteps: number;
  blobFiles: number;
  comparisonDiffs: number;
  blobSizes: number;
  layerSizes: number;
}

export async function moveSqliteToPostgres(fromUrl: string, toUrl: string, log: (line: string) => void = () => {}): Promise<Moved> {
  if (databaseDialect(fromUrl) !== "sqlite") throw new Error("the source must be a SQLite database (a file: URL)");
  if (databaseDialect(toUrl) !== "postgresql") throw new Error("the target must be a PostgreSQL database (a postgres:// URL)");
  await migratePostgres(toUrl);
  const from = createDb(fromUrl);
  const to = createDb(toUrl);
  try {
    if ((await to.comparison.count()) > 0) throw new Error("the PostgreSQL database already holds comparisons: move into an empty one");
    const moved: Moved = {
      comparisons: await copy("comparisons", (skip) => from.comparison.findMany({ orderBy: { id: "asc" }, skip, take: BATCH }), (rows) => to.comparison.createMany({ data: rows })),
      variants: await copy("variants", (skip) => from.variant.findMany({ orderBy: { id: "asc" }, skip, take: BATCH }), (rows) => to.variant.createMany({ data: rows })),
      layers: await copy("layers", (skip) => from.layer.findMany({ orderBy: { id: "asc" }, skip, take: BATCH }), (rows) => to.layer.createMany({ data: rows })),
      adviceSteps: await copy("advice steps", (skip) => from.adviceStep.findMany({ orderBy: { id: "asc" }, skip, take: BATCH }), (rows) => to.adviceStep.createMany({ data: rows })),
      blobFiles: await copy("layer file lists", (skip) => from.blobFiles.findMany({ orderBy: { digest: "asc" }, skip, take: BATCH }), (rows) => to.blobFiles.createMany({ data: rows })),
      comparisonDiffs: await copy(
        "stored diffs",
        (skip) => from.comparisonDiff.findMany({ orderBy: [{ beforeId: "asc" }, { afterId: "asc" }], skip, take: BATCH }),
        (rows) => to.comparisonDiff.createMany({ data: rows }),
      ),
      blobSizes: await copy("compressed sizes", (skip) => from.blobSize.findMany({ orderBy: { digest: "asc" }, skip, take: BATCH }), (rows) => to.blobSize.createMany({ data: rows })),
      layerSizes: await copy("export sizes", (skip) => from.layerSizeCache.findMany({ orderBy: { key: "asc" }, skip, take: BATCH }), (rows) => to.layerSizeCache.createMany({ data: rows })),
    };
    await moveSequences(to);
    return moved;
  } finally {
    await Promise.all([from.$disconnect(), to.$disconnect()]);
  }

  async function copy<T>(what: string, read: (skip: number) => Promise<T[]>, write: (rows: T[]) => Promise<unknown>): Promise<number> {
    let count = 0;
    for (let rows = await read(0); rows.length > 0; rows = await read(count)) {
      await write(rows);
      count += rows.length;
      log(`${what}: ${count}`);
    }
    return count;
  }
}

// Rows kept their ids: the next ids PostgreSQL hands out must come after them.
async function moveSequences(db: Db): Promise<void> {
  for (const table of ["Variant", "Layer", "AdviceStep", "ImageRemoval"]) {
    await db.$executeRawUnsafe(`SELECT setval(pg_get_serial_sequence('"${table}"', 'id'), GREATEST((SELECT COALESCE(MAX(id), 0) FROM "${table}"), 1), (SELECT COUNT(*) > 0 FROM "${table}"))`);
  }
}
