// The PostgreSQL migration runner on a real server (skipped where its binaries are
// missing), and, on both dialects, that the committed migrations give every column the
// schema asks for (a migration forgotten after `npm run db:schema` fails here).
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "@/lib/db";
import { MIGRATIONS_TABLE, migrateDatabase, migratePostgres, readMigrations } from "@/lib/db/migrate";
import { SQLITE_SCHEMA, schemaColumns } from "@/lib/db/postgres-schema";
import { postgresUnavailable, startPostgres, type PostgresServer } from "@/lib/testing/postgres";
import { createTestDb, dialects, type TestDb } from "@/lib/testing/test-db";

const unavailable = postgresUnavailable();

describe.skipIf(unavailable !== null)("migratePostgres", () => {
  let server: PostgresServer;
  let dir: string;
  let counter = 0;
  beforeAll(async () => {
    server = await startPostgres();
    dir = await mkdtemp(path.join(os.tmpdir(), "slimstage-migrations-"));
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const fresh = () => server.createDatabase(`m${++counter}`);
  async function folder(migrations: Record<string, string>): Promise<string> {
    const root = path.join(dir, `set${++counter}`);
    for (const [name, sql] of Object.entries(migrations)) {
      await mkdir(path.join(root, name), { recursive: true });
      await writeFile(path.join(root, name, "migration.sql"), sql);
    }
    return root;
  }
  async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query<T>(sql)).rows;
    } finally {
      await client.end();
    }
  }

  it("applies the migrations in name order, each once, and records them", async () => {
    const url = await fresh();
    const set = await readMigrations(
      await folder({
        "2_fill": `INSERT INTO t (x) SELECT 1; INSERT INTO t (x) SELECT 2;`,
        "1_create": `CREATE TABLE t (x INTEGER NOT NULL);`,
        "3_more": `ALTER TABLE t ADD COLUMN y TEXT;`,
      }),
    );
    expect(set.map((m) => m.name)).toEqual(["1_create", "2_fill", "3_more"]);
    expect(await migratePostgres(url, set)).toEqual(["1_create", "2_fill", "3_more"]);
    expect(await migratePostgres(url, set)).toEqual([]);
    expect(await query(url, "SELECT x, y FROM t ORDER BY x")).toEqual([{ x: 1, y: null }, { x: 2, y: null }]);
    const rows = await query<{ name: string }>(url, `SELECT name FROM "${MIGRATIONS_TABLE}" ORDER BY name`);
    expect(rows.map((row) => row.name)).toEqual(["1_create", "2_fill", "3_more"]);
  });

  it("applies each migration exactly once when several processes start at once", async () => {
    const url = await fresh();
    const set = await readMigrations(
      await folder({
        "1_create": `CREATE TABLE t (x INTEGER NOT NULL);`,
        // Slow enough that the runners overlap while it holds the lock.
        "2_fill": `SELECT pg_sleep(0.3); INSERT INTO t (x) VALUES (1);`,
      }),
    );
    const results = await Promise.all(Array.from({ length: 5 }, () => migratePostgres(url, set)));
    expect(results.flat().sort()).toEqual(["1_create", "2_fill"]);
    expect(await query(url, "SELECT count(*)::int AS n FROM t")).toEqual([{ n: 1 }]);
  });

  it("rolls a failing migration back whole and keeps the ones before it", async () => {
    const url = await fresh();
    const set = await readMigrations(
      await folder({
        "1_create": `CREATE TABLE t (x INTEGER NOT NULL);`,
        "2_broken": `CREATE TABLE u (y INTEGER); INSERT INTO t (x) VALUES (NULL);`,
      }),
    );
    await expect(migratePostgres(url, set)).rejects.toThrow(/migration 2_broken: .*null value/);
    const tables = await query<{ name: string }>(url, "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1");
    expect(tables.map((t) => t.name)).toEqual([MIGRATIONS_TABLE, "t"]);
    const applied = await query<{ name: string }>(url, `SELECT name FROM "${MIGRATIONS_TABLE}"`);
    expect(applied.map((row) => row.name)).toEqual(["1_create"]);
  });

  it("refuses a migration edited after it was applied", async () => {
    const url = await fresh();
    await migratePostgres(url, await readMigrations(await folder({ "1_create": "CREATE TABLE t (x INTEGER);" })));
    const edited = await readMigrations(await folder({ "1_create": "CREATE TABLE t (x BIGINT);" }));
    await expect(migratePostgres(url, edited)).rejects.toThrow(/1_create was changed after it was applied/);
  });
});

describe.each(dialects())("the committed migrations (%s)", (dialect) => {
  let testDb: TestDb;
  beforeAll(async () => {
    testDb = await createTestDb({ dialect });
  }, 60_000);
  afterAll(() => testDb?.dispose());

  it("give every table and column the schema asks for", async () => {
    // ::text: the pg adapter cannot read the catalogs' `name` type (the bug that breaks migrate deploy).
    const sql =
      dialect === "postgresql"
        ? `SELECT table_name::text AS "table", column_name::text AS "column" FROM information_schema.columns WHERE table_schema = 'public'`
        : `SELECT m.name AS "table", p.name AS "column" FROM sqlite_master m, pragma_table_info(m.name) p WHERE m.type = 'table'`;
    const rows = await testDb.db.$queryRawUnsafe<Array<{ table: string; column: string }>>(sql);
    const actual = new Map<string, string[]>();
    for (const { table, column } of rows) actual.set(table, [...(actual.get(table) ?? []), column]);
    const wanted = schemaColumns(readFileSync(SQLITE_SCHEMA, "utf8"));
    expect(wanted.size).toBeGreaterThan(0);
    for (const [table, columns] of wanted) expect([table, [...(actual.get(table) ?? [])].sort()]).toEqual([table, [...columns].sort()]);
  });

  it("start the change counter at its one row", async () => {
    expect(await testDb.db.changeCounter.findMany()).toEqual([{ id: 1, version: 0n }]);
  });
});

describe("migrateDatabase on SQLite", () => {
  it("applies each migration once when several processes start at once", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "slimstage-migrate-"));
    try {
      const url = `file:${path.join(dir, "race.db")}`;
      // Three `prisma migrate deploy` processes on one new file, as web and workers starting together.
      const results = await Promise.allSettled([migrateDatabase(url), migrateDatabase(url), migrateDatabase(url)]);
      expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "fulfilled"]);
      const db = createDb(url);
      try {
        const applied = await db.$queryRawUnsafe<Array<{ migration_name: string; n: bigint }>>(
          "SELECT migration_name, COUNT(*) AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL GROUP BY migration_name",
        );
        const committed = (await readdirNames(path.join(process.cwd(), "prisma", "migrations"))).sort();
        expect(applied.map((row) => row.migration_name).sort()).toEqual(committed);
        for (const row of applied) expect(Number(row.n)).toBe(1);
      } finally {
        await db.$disconnect();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

async function readdirNames(dir: string): Promise<string[]> {
  const { readdir } = await import("node:fs/promises");
  return (await readdir(dir, { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
}
