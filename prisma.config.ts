// Prisma CLI configuration: the JavaScript schema engine through a driver adapter, so
// nothing is downloaded. DATABASE_URL picks the schema: SQLite (prisma/schema.prisma,
// the one that is edited) or PostgreSQL (prisma/postgresql/, generated from it by
// `npm run db:schema`). `prisma migrate deploy` serves SQLite only: on PostgreSQL it is
// broken with this engine (prisma/orm#27403), and lib/db/migrate.ts applies
// prisma/postgresql/migrations instead (`npm run db:migrate` does either).
// `prisma generate --schema prisma/postgresql/schema.prisma` generates the pg client.
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { loadConfig } from "./lib/config";

const url = loadConfig().databaseUrl;
// The test of lib/db.ts's databaseDialect, not imported: that module loads the clients this config generates.
const postgres = /^postgres(ql)?:\/\//.test(url);
const folder = postgres ? path.join("prisma", "postgresql") : "prisma";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join(folder, "schema.prisma"),
  migrations: { path: path.join(folder, "migrations") },
  adapter: async () => (postgres ? new PrismaPg({ connectionString: url }) : new PrismaBetterSQLite3({ url })),
});
