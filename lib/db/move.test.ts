// The move from SQLite to PostgreSQL on real data: comparisons with variants, layers, an
// analysis, an owner's token hash and a layer's file list arrive with every id, read back
// the same through the read model, and new rows get new ids after them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getComparison } from "@/lib/reads/queries";
import { createTestDb, dialects, type TestDb } from "@/lib/testing/test-db";
import { moveSqliteToPostgres } from "./move";

describe.skipIf(!dialects().includes("postgresql"))("moving from SQLite to PostgreSQL", () => {
  let sqlite: TestDb;
  let postgres: TestDb;

  beforeAll(async () => {
    [sqlite, postgres] = await Promise.all([createTestDb(), createTestDb({ dialect: "postgresql" })]);
    for (const [n, id] of ["moveaaaaa1", "movebbbbb2"].entries()) {
      await sqlite.db.comparison.create({
        data: {
          id,
          repo: "example:loadlocation",
          status: "succeeded",
          ownerTokenHash: String(n).repeat(64),
          notes: '["a note"]',
          engineId: "engine-1",
          buildKey: `key-${n}`,
          variants: {
            create: ["single", "scratch"].map((key, position) => ({
              key,
              position,
              dockerfile: `FROM x # ${key}`,
              status: "built",
              imageId: `sha256:${key}${n}`,
              sizeBytes: BigInt(700_000_000 + position),
              compressedBytes: BigInt(1_000_000),
              runVerdict: "works",
              analysis: '{"tree":{"name":"/"}}',
              analysisSummary: '{"efficiency":1}',
              layers: { create: [0, 1].map((index) => ({ index, instruction: `RUN step ${index}`, sizeBytes: BigInt(10 * index), digest: `sha256:layer${index}` })) },
            })),
          },
        },
      });
    }
    await sqlite.db.adviceStep.createMany({
      data: [
        { comparisonId: "movebbbbb2", position: 0, key: "flags", role: "chain", title: "Strip the binary", status: "works", sizeBytes: BigInt(6_000_000), startMs: 12.5, patch: "-ldflags=-s -w" },
        { comparisonId: "movebbbbb2", position: 1, key: "upx", role: "alternative", title: "UPX", status: "breaks", memoryBytes: BigInt(4_000_000), diagnosis: '{"code":"UNKNOWN"}' },
      ],
    });
    await sqlite.db.blobFiles.create({ data: { digest: "sha256:layer0", files: Buffer.from([1, 2, 3]) } });
    await sqlite.db.blobSize.create({ data: { digest: "sha256:layer0", sizeBytes: BigInt(42) } });
    await sqlite.db.comparisonDiff.create({ data: { beforeId: "moveaaaaa1", afterId: "movebbbbb2", version: 1, result: Buffer.from([4, 5, 6]) } });
  }, 120_000);

  afterAll(async () => {
    await Promise.all([sqlite?.dispose(), postgres?.dispose()]);
  });

  it("keeps every id and row, reads back the same, and goes on numbering after them", async () => {
    const moved = await moveSqliteToPostgres(sqlite.url, postgres.url);
    expect(moved).toEqual({ comparisons: 2, variants: 4, layers: 8, adviceSteps: 2, blobFiles: 1, comparisonDiffs: 1, blobSizes: 1, layerSizes: 0 });
    for (const id of ["moveaaaaa1", "movebbbbb2"]) {
      expect(await getComparison(postgres.db, id)).toEqual(await getComparison(sqlite.db, id));
    }
    const [before, after] = await Promise.all([sqlite.db.variant.findMany({ orderBy: { id: "asc" } }), postgres.db.variant.findMany({ orderBy: { id: "asc" } })]);
    expect(after).toEqual(before);
    const steps = (db: TestDb["db"]) => db.adviceStep.findMany({ orderBy: { id: "asc" } });
    expect(await steps(postgres.db)).toEqual(await steps(sqlite.db));
    expect((await postgres.db.comparison.findUniqueOrThrow({ where: { id: "moveaaaaa1" } })).ownerTokenHash).toBe("0".repeat(64));
    expect((await postgres.db.blobFiles.findUniqueOrThrow({ where: { digest: "sha256:layer0" } })).files).toEqual(new Uint8Array([1, 2, 3]));
    const diff = await postgres.db.comparisonDiff.findUniqueOrThrow({ where: { beforeId_afterId: { beforeId: "moveaaaaa1", afterId: "movebbbbb2" } } });
    expect({ version: diff.version, result: diff.result }).toEqual({ version: 1, result: new Uint8Array([4, 5, 6]) });

    const next = await postgres.db.variant.create({ data: { comparisonId: "moveaaaaa1", key: "distroless", position: 2, dockerfile: "FROM y" } });
    expect(next.id).toBeGreaterThan(Math.max(...before.map((v) => v.id)));
    const nextStep = await postgres.db.adviceStep.create({ data: { comparisonId: "moveaaaaa1", position: 0, key: "base", role: "chain", title: "A smaller base" } });
    expect(nextStep.id).toBeGreaterThan(2);
  });

  it("refuses a target that already holds comparisons", async () => {
    await expect(moveSqliteToPostgres(sqlite.url, postgres.url)).rejects.toThrow(/already holds comparisons/);
  });
});
