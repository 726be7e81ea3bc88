// `npm run db:migrate`: migrates the database DATABASE_URL names (lib/config.ts) to the
// committed schema — `prisma migrate deploy` for SQLite, lib/db/migrate.ts's runner for
// PostgreSQL (where Prisma's deploy is broken with the JavaScript schema engine).
import { loadConfigOrExit } from "@/lib/config";
import { databaseDialect } from "@/lib/db";
import { migratePostgres, migrateSqlite } from "@/lib/db/migrate";

async function main(): Promise<void> {
  const url = loadConfigOrExit("db:migrate").databaseUrl;
  if (databaseDialect(url) === "postgresql") {
    const applied = await migratePostgres(url);
    console.log(applied.length ? `applied ${applied.join(", ")}` : "PostgreSQL is up to date");
  } else {
    await migrateSqlite(url);
    console.log("SQLite is up to date");
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
