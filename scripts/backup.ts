// `npm run backup [-- FILE]`: a consistent copy of the live SQLite database DATABASE_URL
// names (default backups/slimstage-<UTC time>.db), taken while the app runs. For
// PostgreSQL it says how to dump it with PostgreSQL's own tools.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { loadConfigOrExit } from "@/lib/config";
import { databaseDialect } from "@/lib/db";
import { backupSqlite } from "@/lib/db/backup";

async function main(): Promise<void> {
  const { databaseUrl, projectRoot } = loadConfigOrExit("backup");
  if (databaseDialect(databaseUrl) === "postgresql") {
    const safe = databaseUrl.replace(/\/\/[^@/]*@/, "//…@");
    console.log(`PostgreSQL (${safe}): dump it with its own tools, while the app runs:`);
    console.log(`  pg_dump --format=custom --file=slimstage.dump "$DATABASE_URL"`);
    console.log(`and restore it with: pg_restore --clean --if-exists --dbname="$DATABASE_URL" slimstage.dump`);
    return;
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const destination = process.argv[2] ?? path.join(projectRoot, "backups", `slimstage-${stamp}.db`);
  mkdirSync(path.dirname(destination), { recursive: true });
  const copied = await backupSqlite(databaseUrl, destination);
  console.log(`backed up ${copied.comparisons} comparisons (${copied.variants} variants) to ${copied.file} (${(copied.bytes / 1e6).toFixed(1)} MB)`);
}

main().catch((error: unknown) => {
  console.error(`[slimstage backup] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
