// `npm run restore -- FILE [--force]`: replaces the SQLite database DATABASE_URL names with
// the backup FILE (from `npm run backup`), after keeping what it replaces beside it
// (<database>.before-restore-<UTC time>). Stop the web process and the workers first: it
// refuses while a worker has reported in the last 30 s, unless --force.
import path from "node:path";
import { loadConfigOrExit } from "@/lib/config";
import { databaseDialect } from "@/lib/db";
import { restoreSqlite } from "@/lib/db/backup";

async function main(): Promise<void> {
  const { databaseUrl } = loadConfigOrExit("restore");
  const args = process.argv.slice(2);
  const source = args.find((arg) => !arg.startsWith("--"));
  if (!source) throw new Error("usage: npm run restore -- FILE [--force]");
  if (databaseDialect(databaseUrl) === "postgresql") {
    throw new Error(`PostgreSQL is restored with its own tools: pg_restore --clean --if-exists --dbname="$DATABASE_URL" ${source}`);
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const kept = `${databaseUrl.replace(/^file:/, "")}.before-restore-${stamp}`;
  const restored = await restoreSqlite(databaseUrl, path.resolve(source), kept, { force: args.includes("--force") });
  console.log(`restored ${restored.comparisons} comparisons (${restored.variants} variants) into ${restored.file}; what it replaced is in ${kept}`);
}

main().catch((error: unknown) => {
  console.error(`[slimstage restore] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
