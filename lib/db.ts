// The one door to the database: a PrismaClient over better-sqlite3, created once per
// process (cached on globalThis so Next.js development reloads do not open more), and a
// read-only better-sqlite3 connection of its own for the few lookups on every request
// that must not pay Prisma's per-query cost (the response cache's checks, proxy.ts).
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import Database from "better-sqlite3";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { databaseUrl } from "@/lib/config";

export type Db = PrismaClient;
export type ReadDb = Database.Database;

const cache = globalThis as unknown as {
  slimstageDb?: { url: string; client: PrismaClient };
  slimstageReadDb?: { url: string; connection: ReadDb };
};

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

/**
 * The read-only connection. Being a connection of its own, it also sees through
 * `PRAGMA data_version` when anything (Prisma's connection included) has written.
 */
export function readDb(): ReadDb {
  const url = databaseUrl();
  if (!cache.slimstageReadDb || cache.slimstageReadDb.url !== url) {
    cache.slimstageReadDb?.connection.close();
    cache.slimstageReadDb = { url, connection: openReadDb(url) };
  }
  return cache.slimstageReadDb.connection;
}

export function openReadDb(url: string): ReadDb {
  // The file the Prisma adapter opens for the same URL. better-sqlite3 waits for a lock
  // synchronously, holding up the whole server: give up soon instead (the callers then
  // leave the request to the app).
  return new Database(url.replace(/^file:/, ""), { readonly: true, fileMustExist: true, timeout: 200 });
}
