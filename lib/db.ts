// The one door to the database. DATABASE_URL picks it: a `file:` URL is SQLite through
// better-sqlite3 (the embedded default), `postgres://` or `postgresql://` is PostgreSQL
// through pg. Either way the rest of the code gets one PrismaClient type (Db) and, for
// the reads made on every request that must not pay Prisma's per-query and per-row cost
// (the response cache's checks, proxy.ts; the lists of the home and history pages,
// lib/reads), a read connection of its own (ReadDb).
//
// A composition root (lib/roots/) opens its database once with openDatabase(url) and
// passes it down; nothing else opens one, so a process has one SQLite writer.
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import SQLite from "better-sqlite3";
import pg from "pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { PrismaClient as PostgresPrismaClient } from "@/lib/generated/prisma-pg/client";

export type Db = PrismaClient;
export type Dialect = "sqlite" | "postgresql";

/** Which database a DATABASE_URL names: PostgreSQL for postgres://, else SQLite. */
export function databaseDialect(url: string): Dialect {
  return /^postgres(ql)?:\/\//.test(url) ? "postgresql" : "sqlite";
}

export function createDb(url: string): Db {
  if (databaseDialect(url) === "postgresql") {
    // prisma/postgresql/schema.prisma is generated from prisma/schema.prisma, so this
    // client has the same models and methods as the SQLite one; TypeScript only sees two
    // separately generated classes. The one cast between them is here.
    return new PostgresPrismaClient({ adapter: new PrismaPg({ connectionString: url }) }) as unknown as Db;
  }
  // A busy timeout lets the worker and request handlers share the file without
  // SQLITE_BUSY errors under load.
  return new PrismaClient({ adapter: new PrismaBetterSQLite3({ url, timeout: 5000 }) });
}

/**
 * A read-only connection of its own. SQLite: better-sqlite3 on the same file
 * (synchronous, microseconds, statements prepared once). PostgreSQL: a small pg pool
 * whose sessions are read-only. Placeholders are the driver's: `?` on SQLite, `$1`... on
 * PostgreSQL, so callers write their SQL per dialect.
 */
export interface ReadDb {
  readonly dialect: Dialect;
  /** The first row `sql` returns, or undefined. */
  first<T>(sql: string, params?: readonly unknown[]): Promise<T | undefined>;
  /** Every row `sql` returns. */
  all<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export function openReadDb(url: string, onError: (error: Error) => void = () => {}): ReadDb {
  return databaseDialect(url) === "postgresql" ? postgresReadDb(url, onError) : sqliteReadDb(url);
}

const BUSY_PAUSE_MS = 50;

function sqliteReadDb(url: string): ReadDb {
  // The file the Prisma adapter opens for the same URL. better-sqlite3 waits for a lock
  // synchronously, holding up the whole server: give up soon instead (the callers then
  // leave the request to the app).
  const connection = new SQLite(url.replace(/^file:/, ""), { readonly: true, fileMustExist: true, timeout: 200 });
  const statements = new Map<string, SQLite.Statement>();
  const prepared = (sql: string) => {
    let statement = statements.get(sql);
    if (!statement) statements.set(sql, (statement = connection.prepare(sql)));
    return statement;
  };
  // While a writer holds the file (a worker recording a running comparison), try again
  // between other requests, for as long as Prisma's own busy timeout would wait.
  async function patiently<T>(run: () => T): Promise<T> {
    for (let waited = 0; ; waited += BUSY_PAUSE_MS) {
      try {
        return run();
      } catch (error) {
        if ((error as { code?: string }).code !== "SQLITE_BUSY" || waited >= 5000) throw error;
        await new Promise((resolve) => setTimeout(resolve, BUSY_PAUSE_MS));
      }
    }
  }
  return {
    dialect: "sqlite",
    first: <T>(sql: string, params: readonly unknown[] = []) => patiently(() => prepared(sql).get(...params) as T | undefined),
    all: <T>(sql: string, params: readonly unknown[] = []) => patiently(() => prepared(sql).all(...params) as T[]),
    async close() {
      connection.close();
    },
  };
}

function postgresReadDb(url: string, onError: (error: Error) => void): ReadDb {
  // Few connections, given up soon (the callers then leave the request to the app).
  const pool = new pg.Pool({
    connectionString: url,
    max: 4,
    idleTimeoutMillis: 60_000,
    connectionTimeoutMillis: 2_000,
    statement_timeout: 1_000,
    options: "-c default_transaction_read_only=on",
  });
  // An idle connection the server dropped must not take the process down.
  pool.on("error", onError);
  return {
    dialect: "postgresql",
    async first<T>(sql: string, params: readonly unknown[] = []) {
      const result = await pool.query(sql, [...params]);
      return result.rows[0] as T | undefined;
    },
    async all<T>(sql: string, params: readonly unknown[] = []) {
      return (await pool.query(sql, [...params])).rows as T[];
    },
    close: () => pool.end(),
  };
}

/**
 * SQLite plans a query from its tables' statistics, which it gathers only when asked
 * (ANALYZE). Without them it reads "the previous comparison of this repository"
 * (lib/reads/previous-query.ts) by walking every finished comparison's index entry, not
 * the repository's own: 2-3 ms at 10,000 comparisons instead of a tenth of one. `PRAGMA
 * optimize=0x10002` gathers them where they are missing or out of date, as SQLite advises
 * for a long-lived process: at its start, then every hour (scripts/web.ts). PostgreSQL's
 * autovacuum keeps its own statistics.
 */
export function optimizeDatabase(url: string): void {
  if (databaseDialect(url) !== "sqlite") return;
  const connection = new SQLite(url.replace(/^file:/, ""), { fileMustExist: true, timeout: 5000 });
  try {
    // SQLite's own sampling (an analysis_limit of 1,000 still chose the wrong index): some
    // 40 ms for 10,000 comparisons with their variants and layers.
    connection.pragma("optimize=0x10002");
  } finally {
    connection.close();
  }
}

/** One process's database: its Prisma client and its read connection (opened on first use). */
export interface Database {
  readonly url: string;
  readonly dialect: Dialect;
  readonly client: Db;
  read(): ReadDb;
  close(): Promise<void>;
}

/** `onReadError`: an idle read connection the server dropped (the next read opens another). */
export function openDatabase(url: string, onReadError?: (error: Error) => void): Database {
  const client = createDb(url);
  let read: ReadDb | undefined;
  return {
    url,
    dialect: databaseDialect(url),
    client,
    read: () => (read ??= openReadDb(url, onReadError)),
    async close() {
      await Promise.all([client.$disconnect(), read?.close()]);
      read = undefined;
    },
  };
}
