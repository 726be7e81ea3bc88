// The disk budget on the real engine: three comparisons' images of 40 MB each, a budget
// 60 MB under what the engine holds: the two oldest comparisons' images go, the newest's
// stays, nothing else on the engine is touched, and the worker's row says what it holds.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildContext, DOCKERFILE_NAME } from "@/lib/engine/build-context";
import { dockerEngine } from "@/lib/engine/docker-engine";
import { LABEL_APP, LABEL_COMPARISON } from "@/lib/engine/engine";
import { createTestDb, type TestDb } from "@/lib/testing/test-db";
import { enforceDiskBudget } from "./disk-budget";
import { VARIANTS_REPOSITORY } from "./variant-build";

const BASE = "slimstage/bookworm-minbase:local";
const engine = dockerEngine();
const nonce = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
const engineId = `disk-test-${nonce}`;
const emptyDir = mkdtempSync(path.join(tmpdir(), "disk-budget-"));
let testDb: TestDb;
const built: Record<string, string> = {};

const present = (imageId: string) => {
  try {
    execFileSync("docker", ["image", "inspect", imageId], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
};

beforeAll(async () => {
  testDb = await createTestDb();
  for (const [i, id] of ["dsk-old", "dsk-mid", "dsk-new"].entries()) {
    const { imageId } = await engine.build({
      context: buildContext({ sourceDir: emptyDir, dockerfile: `FROM ${BASE}\nRUN head -c 40000000 /dev/urandom > /blob-${nonce}-${id}\n` }),
      dockerfile: DOCKERFILE_NAME,
      labels: { [LABEL_APP]: "slimstage", [LABEL_COMPARISON]: id },
      onLog: () => {},
    });
    built[id] = imageId;
    await testDb.db.comparison.create({
      data: {
        id,
        repo: "example:hello",
        status: "succeeded",
        engineId,
        createdAt: new Date(Date.UTC(2026, 11, 1 + i)),
        variants: { create: [{ key: "single", naive: false, position: 0, status: "built", dockerfile: "", imageId }] },
      },
    });
  }
  await testDb.db.worker.create({ data: { id: "disk-worker", engineId, engineHost: "test" } });
});

afterAll(async () => {
  for (const imageId of Object.values(built)) await engine.removeImage(imageId).catch(() => {});
  await testDb?.dispose();
  rmSync(emptyDir, { recursive: true, force: true });
});

describe("enforceDiskBudget", () => {
  it("removes the oldest comparisons' images until the engine fits its budget, keeping the newest", async () => {
    const before = await engine.diskUsage();
    const others = before.images.map((image) => image.id).filter((id) => !Object.values(built).includes(id));
    const held = before.imagesBytes + before.buildCacheBytes;
    // The whole build cache within its share (100 %): only images can go.
    const result = await enforceDiskBudget(testDb.db, engine, { engineId, workerId: "disk-worker" }, { bytes: held - 60e6, buildCachePercent: 100 }, VARIANTS_REPOSITORY);

    expect(present(built["dsk-old"])).toBe(false);
    expect(present(built["dsk-mid"])).toBe(false);
    expect(present(built["dsk-new"])).toBe(true);
    expect(result.removedImages).toBe(2);
    expect(result.prunedBytes).toBe(0);
    expect(result.usedBytes).toBeLessThanOrEqual(held - 60e6);
    // Nothing else on the engine was touched (images older than an hour with no row
    // anywhere are the only others it may take; none of those is made by a test run).
    const after = new Set((await engine.diskUsage()).images.map((image) => image.id));
    const fresh = before.images.filter((image) => Date.now() - image.createdAt.getTime() < 60 * 60_000 && others.includes(image.id));
    for (const image of fresh) expect(after.has(image.id)).toBe(true);
    const row = await testDb.db.worker.findUniqueOrThrow({ where: { id: "disk-worker" } });
    expect(Number(row.diskUsedBytes)).toBe(result.usedBytes);
    expect(Number(row.diskBudgetBytes)).toBe(held - 60e6);
    // The rows keep their measurements.
    expect(await testDb.db.variant.count({ where: { imageId: { in: Object.values(built) } } })).toBe(3);
  });

  it("prunes the build cache to its share of the budget", async () => {
    const before = await engine.diskUsage();
    const held = before.imagesBytes + before.buildCacheBytes;
    if (before.buildCacheBytes < 100e6) return; // nothing worth pruning on this engine
    // A budget that fits everything, with a cache share just under the cache's size.
    const share = before.buildCacheBytes - 50e6;
    const budget = held * 4;
    const result = await enforceDiskBudget(testDb.db, engine, { engineId, workerId: "disk-worker" }, { bytes: budget, buildCachePercent: Math.floor((share / budget) * 100) }, VARIANTS_REPOSITORY);
    expect(result.removedImages).toBe(0);
    expect((await engine.diskUsage()).buildCacheBytes).toBeLessThanOrEqual(Math.floor((budget * Math.floor((share / budget) * 100)) / 100) + 1e6);
  });
});
