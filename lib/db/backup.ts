// Backups of a live SQLite database and their restore. The copy is SQLite's own online
// backup (better-sqlite3's backup()), page by page through a connection, so it is
// consistent while the web process and the workers keep writing. A restore replaces the
// database the same way, after keeping a copy of what it replaces, and only while no
// worker is running (a worker's heartbeat in the last 30 s says one is): the processes
// would keep writing to what is being replaced. PostgreSQL is dumped with its own tools.
import { stat } from "node:fs/promises";
import SQLite from "better-sqlite3";
import { databaseDialect } from "@/lib/db";

const PRESENCE_STALE_MS = 30_000;

/** What a backup or a restore wrote: the file, its size and the rows it holds. */
export interface Copied {
  file: string;
  bytes: number;
  comparisons: number;
  variants: number;
}

const fileOf = (url: string): string => {
  if (databaseDialect(url) !== "sqlite") throw new Error("this is for SQLite databases (file: URLs)");
  return url.replace(/^file:/, "");
};

/** Writes a consistent copy of the SQLite database at `url` to `destination`. */
export async function backupSqlite(url: string, destination: string): Promise<Copied> {
  const database = new SQLite(fileOf(url), { readonly: true, fileMustExist: true });
  try {
    await database.backup(destination);
  } finally {
    database.close();
  }
  return describe(destination);
}

/**
 * Replaces the SQLite database at `url` with the backup `source`, after writing what it
 * replaces to `keptAs`. Refuses a file that is not a Slimstage database, and a database
 * a worker is still using (unless `force`).
 */
export async function restoreSqlite(url: string, source: string, keptAs: string, options: { force?: boolean } = {}): Promise<Copied> {
  const target = fileOf(url);
  const backup = new SQLite(source, { readonly: true, fileMustExist: true });
  try {
    const tables = backup.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>;
    const names = new Set(tables.map((t) => t.name));
    if (!names.has("Comparison") || !names.has("_prisma_migrations")) throw new Error(`${source} is not a Slimstage database (no Comparison or _prisma_migrations table)`);
    const current = new SQLite(target, { fileMustExist: true });
    try {
      // Stored as the Prisma adapter writes dates (a number or an ISO text): read as dates here.
      const beats = current.prepare("SELECT heartbeatAt FROM Worker").all() as Array<{ heartbeatAt: number | string }>;
      const live = beats.filter((row) => Date.now() - new Date(row.heartbeatAt).getTime() < PRESENCE_STALE_MS).length;
      if (live > 0 && !options.force) {
        throw new Error(`${live} worker(s) reported in the last 30 s: stop the web process and the workers first (or pass --force)`);
      }
      await current.backup(keptAs);
    } finally {
      current.close();
    }
    await backup.backup(target);
  } finally {
    backup.close();
  }
  return describe(target);
}

async function describe(file: string): Promise<Copied> {
  const database = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const count = (table: string) => (database.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number }).n;
    return { file, bytes: (await stat(file)).size, comparisons: count("Comparison"), variants: count("Variant") };
  } finally {
    database.close();
  }
}
