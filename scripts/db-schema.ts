// `npm run db:schema`: writes prisma/postgresql/schema.prisma from prisma/schema.prisma
// (lib/db/postgres-schema.ts says how). Run it after every change to the schema, then
// add the PostgreSQL migration as prisma/postgresql/README.md says.
import { readFileSync, writeFileSync } from "node:fs";
import { POSTGRES_SCHEMA, SQLITE_SCHEMA, postgresSchema } from "@/lib/db/postgres-schema";

const next = postgresSchema(readFileSync(SQLITE_SCHEMA, "utf8"));
let current = "";
try {
  current = readFileSync(POSTGRES_SCHEMA, "utf8");
} catch {
  // Not written yet.
}
if (current === next) {
  console.log(`${POSTGRES_SCHEMA} is up to date`);
} else {
  writeFileSync(POSTGRES_SCHEMA, next);
  console.log(`wrote ${POSTGRES_SCHEMA}; add a migration for it (prisma/postgresql/README.md)`);
}
