// `npm run db:move -- postgres://user@host:port/db`: copies the whole history of the
// SQLite database DATABASE_URL names into that PostgreSQL database (migrated first, and
// empty), keeping every id so every shared link still works (lib/db/move.ts). Stop the
// app first; afterwards start it with DATABASE_URL set to the PostgreSQL URL.
import { loadConfigOrExit } from "@/lib/config";
import { moveSqliteToPostgres } from "@/lib/db/move";

async function main(): Promise<void> {
  const { databaseUrl } = loadConfigOrExit("db:move");
  const target = process.argv[2];
  if (!target || !/^postgres(ql)?:\/\//.test(target)) throw new Error("usage: npm run db:move -- postgres://user@host:port/db");
  const moved = await moveSqliteToPostgres(databaseUrl, target, (line) => console.log(`  ${line}`));
  console.log(
    `moved ${moved.comparisons} comparisons, ${moved.variants} variants, ${moved.layers} layers, ${moved.adviceSteps} advice steps, ${moved.blobFiles} layer file lists, ${moved.comparisonDiffs} stored diffs and ` +
      `${moved.blobSizes + moved.layerSizes} measured sizes; start the app with DATABASE_URL set to the PostgreSQL URL`,
  );
}

main().catch((error: unknown) => {
  console.error(`[slimstage db:move] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
