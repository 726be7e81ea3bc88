// The one door to the database: a PrismaClient over better-sqlite3, created once per
// process (cached on globalThis so Next.js development reloads do not open more).
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { databaseUrl } from "@/lib/config";

export type Db = PrismaClient;

const cache = globalThis as unknown as { slimstageDb?: { url: string; client: PrismaClient } };

export function db(): PrismaClient {
  const url = databaseUrl();
  if (!cache.slimstageDb || cache.slimstageDb.url !== url) {
    cache.slimstageDb = { url, client: createDb(url) };
  }
  return cache.slimstageDb.client;
}

export function createDb(url: string): PrismaClient {
  // A busy timeout lets the worker and request handlers share the file without
  // SQLITE_BUSY errors under load.
  return new PrismaClient({ adapter: new PrismaBetterSQLite3({ url, timeout: 5000 }) });
}
