// A fresh SQLite database for one test file, migrated with the committed migrations
// through the real Prisma CLI, removed afterwards.
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { createDb, type Db } from "@/lib/db";

export interface TestDb {
  db: Db;
  url: string;
  dispose(): Promise<void>;
}

export async function createTestDb(): Promise<TestDb> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "slimstage-db-"));
  const url = `file:${path.join(dir, "test.db")}`;
  await migrate(url);
  const db = createDb(url);
  return {
    db,
    url,
    async dispose() {
      await db.$disconnect();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export async function migrate(url: string): Promise<void> {
  const prisma = path.join(process.cwd(), "node_modules", ".bin", "prisma");
  await promisify(execFile)(prisma, ["migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: url, CHECKPOINT_DISABLE: "1", PRISMA_HIDE_UPDATE_MESSAGE: "1" },
  });
}
