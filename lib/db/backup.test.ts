// A backup of a live SQLite database and its restore, on real data: comparisons with
// variants, layers, an analysis and an owner's token hash come back with their ids, so
// every shared link works again; a restore refuses while a worker is running.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "@/lib/testing/test-db";
import { backupSqlite, restoreSqlite } from "./backup";

let testDb: TestDb;
let dir: string;

beforeAll(async () => {
  testDb = await createTestDb();
  dir = await mkdtemp(path.join(os.tmpdir(), "slimstage-backup-"));
  await testDb.db.comparison.create({
    data: {
      id: "backup0001",
      repo: "example:loadlocation",
      status: "succeeded",
      ownerTokenHash: "f".repeat(64),
      variants: {
        create: [
          {
            key: "scratch",
            position: 0,
            dockerfile: "FROM scratch",
            status: "built",
            sizeBytes: BigInt(2_770_000),
            analysis: '{"tree":{}}',
            layers: { create: [{ index: 0, instruction: "COPY /out/app /app", sizeBytes: BigInt(1_450_000), digest: "sha256:abc" }] },
          },
        ],
      },
    },
  });
});

afterAll(async () => {
  await testDb?.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe("backup and restore of SQLite", () => {
  it("copies the live database and brings it back, every id and row as it was", async () => {
    const backup = await backupSqlite(testDb.url, path.join(dir, "backup.db"));
    expect(backup).toMatchObject({ comparisons: 1, variants: 1 });
    expect(backup.bytes).toBeGreaterThan(0);

    await testDb.db.comparison.deleteMany();
    expect(await testDb.db.comparison.count()).toBe(0);

    const restored = await restoreSqlite(testDb.url, backup.file, path.join(dir, "before-restore.db"));
    expect(restored).toMatchObject({ comparisons: 1, variants: 1 });
    const row = await testDb.db.comparison.findUniqueOrThrow({ where: { id: "backup0001" }, include: { variants: { include: { layers: true } } } });
    expect(row.ownerTokenHash).toBe("f".repeat(64));
    expect(row.variants[0]).toMatchObject({ key: "scratch", sizeBytes: BigInt(2_770_000), analysis: '{"tree":{}}' });
    expect(row.variants[0].layers[0]).toMatchObject({ instruction: "COPY /out/app /app", digest: "sha256:abc" });
  });

  it("keeps what it replaces, and refuses while a worker is running", async () => {
    await testDb.db.worker.create({ data: { id: "worker-1", engineId: "e", engineHost: "h", heartbeatAt: new Date() } });
    const backup = await backupSqlite(testDb.url, path.join(dir, "with-worker.db"));
    await expect(restoreSqlite(testDb.url, backup.file, path.join(dir, "kept.db"))).rejects.toThrow(/worker\(s\) reported in the last 30 s/);
    await expect(restoreSqlite(testDb.url, path.join(dir, "nothing.db"), path.join(dir, "kept.db"))).rejects.toThrow();
  });
});
