// Migrating a database to the committed schema, for either dialect. SQLite: Prisma's
// own `prisma migrate deploy` (prisma/migrations). PostgreSQL: Prisma's deploy cannot
// be used there (with the JavaScript schema engine and the pg adapter it fails with
// "Column type 'name' could not be deserialized", prisma/orm#27403), so this runner
// applies prisma/postgresql/migrations/*/migration.sql itself: in name order, each in
// one transaction together with its row in _slimstage_migrations, under a
// transaction-scoped advisory lock, so that it is idempotent and two processes starting
// at once neither apply a migration twice nor see a half-applied one.
import { createHash } from "node:crypto";
import { execFile } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { databaseDialect } from "@/lib/db";
import { POSTGRES_MIGRATIONS } from "@/lib/db/postgres-schema";

export const MIGRATIONS_TABLE = "_slimstage_migrations";

// Any fixed number, the same in every process that migrates this database.
const LOCK_KEY = 7_266_353_841;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

/** The migrations in `dir` (one folder each, holding migration.sql), in name order. */
export async function readMigrations(dir = path.join(process.cwd(), POSTGRES_MIGRATIONS)): Promise<Migration[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    }),
  );
}

/** Applies the migrations PostgreSQL at `url` lacks; returns the names it applied. */
export async function migratePostgres(url: string, migrations?: Migration[]): Promise<string[]> {
  const all = migrations ?? (await readMigrations());
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const applied: string[] = [];
    for (const migration of all) {
      if (await applyOne(client, migration)) applied.push(migration.name);
    }
    return applied;
  } finally {
    await client.end();
  }
}

// One transaction per migration: the lock, the check whether it is already there (a
// process that waited for the lock finds the other's row and does nothing), the SQL,
// and its row. A failing migration leaves nothing behind.
async function applyOne(client: pg.Client, migration: Migration): Promise<boolean> {
  await client.query("BEGIN");
  try {
    await client.query("SELECT pg_advisory_xact_lock($1)", [LOCK_KEY]);
    await client.query(
      `CREATE TABLE IF NOT EXISTS "${MIGRATIONS_TABLE}" ("name" TEXT PRIMARY KEY, "checksum" TEXT NOT NULL, "appliedAt" TIMESTAMPTZ NOT NULL DEFAULT now())`,
    );
    const found = await client.query<{ checksum: string }>(`SELECT "checksum" FROM "${MIGRATIONS_TABLE}" WHERE "name" = $1`, [migration.name]);
    if (found.rows.length) {
      // An applied migration edited afterwards would leave databases that differ.
      if (found.rows[0].checksum !== migration.checksum) {
        throw new Error(`migration ${migration.name} was changed after it was applied; add a new migration instead`);
      }
      await client.query("COMMIT");
      return false;
    }
    // Without parameters, pg sends the text as one simple query: every statement in it.
    await client.query(migration.sql);
    await client.query(`INSERT INTO "${MIGRATIONS_TABLE}" ("name", "checksum") VALUES ($1, $2)`, [migration.name, migration.checksum]);
    await client.query("COMMIT");
    return true;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw new Error(`migration ${migration.name}: ${(error as Error).message}`, { cause: error });
  }
}

/** SQLite through the Prisma CLI (prisma.config.ts picks the schema by DATABASE_URL). */
export async function migrateSqlite(url: string): Promise<void> {
  const prisma = path.join(process.cwd(), "node_modules", ".bin", "prisma");
  await promisify(execFile)(prisma, ["migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: url, CHECKPOINT_DISABLE: "1", PRISMA_HIDE_UPDATE_MESSAGE: "1" },
  });
}

/** Migrates the database `url` names, whichever dialect it is. */
export async function migrateDatabase(url: string): Promise<void> {
  if (databaseDialect(url) === "postgresql") await migratePostgres(url);
  else await migrateSqlite(url);
}
