// `npm run db:schema`: writes prisma/postgresql/schema.prisma from prisma/schema.prisma
// (lib/db/postgres-schema.ts says how). Run it after every change to the schema.
// `npm run db:schema -- --migration NAME [--from GIT_REF]` also writes the PostgreSQL
// migration for the change: the datamodel-to-datamodel diff from the generated schema as
// it is at GIT_REF (default HEAD) to the new one, into
// prisma/postgresql/migrations/<UTC timestamp>_NAME/migration.sql (prisma/postgresql/README.md).
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { POSTGRES_MIGRATIONS, POSTGRES_SCHEMA, SQLITE_SCHEMA, postgresSchema } from "@/lib/db/postgres-schema";

const args = process.argv.slice(2);
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const migration = option("--migration");
if (migration !== undefined && !/^[a-z0-9_]+$/.test(migration)) throw new Error(`--migration: a name of a-z, 0-9 and _ expected, got "${migration}"`);

const next = postgresSchema(readFileSync(SQLITE_SCHEMA, "utf8"));
let current = "";
try {
  current = readFileSync(POSTGRES_SCHEMA, "utf8");
} catch {
  // Not written yet.
}
if (current === next) console.log(`${POSTGRES_SCHEMA} is up to date`);
else writeFileSync(POSTGRES_SCHEMA, next);
if (current !== next) console.log(`wrote ${POSTGRES_SCHEMA}${migration ? "" : "; add its migration with --migration NAME"}`);

if (migration) {
  const ref = option("--from") ?? "HEAD";
  const temp = mkdtempSync(path.join(os.tmpdir(), "slimstage-schema-"));
  try {
    const previous = path.join(temp, "previous.prisma");
    writeFileSync(previous, execFileSync("git", ["show", `${ref}:${POSTGRES_SCHEMA}`], { encoding: "utf8" }));
    // The diff needs no database, but with a postgres:// URL prisma.config.ts's pg adapter
    // would try to connect: give the CLI an unused SQLite file instead.
    const env = { ...process.env, DATABASE_URL: `file:${path.join(temp, "unused.db")}`, CHECKPOINT_DISABLE: "1", PRISMA_HIDE_UPDATE_MESSAGE: "1" };
    const prisma = path.join("node_modules", ".bin", "prisma");
    const sql = execFileSync(prisma, ["migrate", "diff", "--from-schema-datamodel", previous, "--to-schema-datamodel", POSTGRES_SCHEMA, "--script"], { env, encoding: "utf8" });
    if (/This is an empty migration/.test(sql)) {
      console.log(`no change from ${ref}: no migration written`);
    } else {
      const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
      const folder = path.join(POSTGRES_MIGRATIONS, `${stamp}_${migration}`);
      mkdirSync(folder, { recursive: true });
      writeFileSync(path.join(folder, "migration.sql"), sql);
      console.log(`wrote ${folder}/migration.sql: read it, add any data the change needs`);
    }
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}
