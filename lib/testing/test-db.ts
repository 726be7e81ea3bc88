// A fresh database for one test file, migrated with the committed migrations exactly as
// a deployment is (lib/db/migrate.ts), removed afterwards. SQLite: a file in a
// temporary folder. PostgreSQL: a new database in a throwaway server
// (lib/testing/postgres.ts) that this process starts on first use and stops when its
// last test database is disposed. Tests that must hold on both dialects run
// `describe.each(dialects())`; PostgreSQL is left out, with the reason printed once,
// where its server binaries are missing.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createDb, type Db, type Dialect } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/migrate";
import { postgresUnavailable, startPostgres, type PostgresServer } from "@/lib/testing/postgres";

export interface TestDb {
  db: Db;
  url: string;
  dialect: Dialect;
  dispose(): Promise<void>;
}

let skipNoted = false;

/** The dialects tests can run on here: SQLite always, PostgreSQL when its server binaries are present. */
export function dialects(): Dialect[] {
  const reason = postgresUnavailable();
  if (reason && !skipNoted) {
    skipNoted = true;
    console.warn(`PostgreSQL tests skipped: ${reason}`);
  }
  return reason ? ["sqlite"] : ["sqlite", "postgresql"];
}

export async function createTestDb(options: { dialect?: Dialect } = {}): Promise<TestDb> {
  return options.dialect === "postgresql" ? createPostgresTestDb() : createSqliteTestDb();
}

async function createSqliteTestDb(): Promise<TestDb> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "slimstage-db-"));
  const url = `file:${path.join(dir, "test.db")}`;
  await migrateDatabase(url);
  const db = createDb(url);
  return {
    db,
    url,
    dialect: "sqlite",
    async dispose() {
      await db.$disconnect();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

// One server per process, shared by its test databases (starting one takes seconds).
let server: { started: Promise<PostgresServer>; users: number } | undefined;

async function createPostgresTestDb(): Promise<TestDb> {
  server ??= { started: startPostgres(), users: 0 };
  const shared = server;
  shared.users++;
  const release = async () => {
    if (--shared.users === 0 && server === shared) {
      server = undefined;
      await (await shared.started).stop();
    }
  };
  try {
    const url = await (await shared.started).createDatabase(`test_${randomBytes(6).toString("hex")}`);
    await migrateDatabase(url);
    const db = createDb(url);
    return {
      db,
      url,
      dialect: "postgresql",
      async dispose() {
        await db.$disconnect();
        await release();
      },
    };
  } catch (error) {
    await release().catch(() => {});
    throw error;
  }
}

/** Migrates the database `url` names (kept for the callers that create their own). */
export async function migrate(url: string): Promise<void> {
  await migrateDatabase(url);
}
