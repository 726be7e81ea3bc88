// The entry point of Slimstage's own image (Dockerfile): `web` (the default), `worker` or
// `migrate`. The image has neither tsx nor the Prisma CLI: this file is bundled with
// esbuild together with the two processes' entry points (scripts/web.ts,
// scripts/worker.ts), and the database is PostgreSQL, migrated here by lib/db/migrate.ts
// before either process starts (idempotent and safe when web and worker start at once).
// The database may still be starting: the first connection is retried for a minute.
import { readFileSync } from "node:fs";
import path from "node:path";
import { loadConfigOrExit } from "@/lib/config";
import { databaseDialect } from "@/lib/db";
import { migratePostgres } from "@/lib/db/migrate";

const ROLES = ["web", "worker", "migrate"] as const;
type Role = (typeof ROLES)[number];

async function migrate(url: string, role: Role): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const applied = await migratePostgres(url);
      if (applied.length) console.log(`[slimstage ${role}] migrated the database: ${applied.join(", ")}`);
      return;
    } catch (error) {
      const code = (error as { code?: string }).code;
      const starting = ["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "57P03"].includes(code ?? "");
      if (!starting || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

async function main(): Promise<void> {
  const role = (process.argv[2] ?? "web") as Role;
  if (!ROLES.includes(role)) {
    console.error(`usage: web | worker | migrate (got "${role}")`);
    process.exit(2);
  }
  const config = loadConfigOrExit(role);
  if (databaseDialect(config.databaseUrl) !== "postgresql") {
    console.error(`[slimstage ${role}] this image runs on PostgreSQL: set DATABASE_URL=postgres://user:password@host:port/db (SQLite is for npm run web / worker)`);
    process.exit(2);
  }
  await migrate(config.databaseUrl, role);
  if (role === "web") {
    // The standalone build has no next.config.js: Next reads the configuration the build
    // wrote down, as the server.js Next generates for it does.
    const required = JSON.parse(readFileSync(path.join(config.projectRoot, ".next", "required-server-files.json"), "utf8")) as { config: unknown };
    process.env.__NEXT_PRIVATE_STANDALONE_CONFIG ??= JSON.stringify(required.config);
    await import("./web");
  } else if (role === "worker") {
    await import("./worker");
  }
}

main().catch((error: unknown) => {
  console.error("[slimstage] could not start:", error instanceof Error ? error.message : error);
  process.exit(1);
});
