// The read connection's comparison against Prisma's, on each dialect the machine has: the
// same view, field for field, for a finished comparison with every kind of column filled
// (needs, notes, errors, sizes beyond 32 bits, layers with and without compressed sizes,
// a diagnosis, an analysis summary) and for one with nothing yet.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openReadDb, type ReadDb } from "@/lib/db";
import { readComparison } from "@/lib/reads/comparison-read";
import { getComparison } from "@/lib/reads/queries";
import { createTestDb, dialects, type TestDb } from "@/lib/testing/test-db";

const layer = (index: number, sizeBytes: number, compressedBytes: number | null, fromBase: boolean) => ({
  index,
  instruction: `RUN step ${index}`,
  sizeBytes: BigInt(sizeBytes),
  compressedBytes: compressedBytes === null ? null : BigInt(compressedBytes),
  fromBase,
  digest: `sha256:${String(index).repeat(64).slice(0, 64)}`,
});

describe.each(dialects())("readComparison on %s", (dialect) => {
  let testDb: TestDb;
  let read: ReadDb;
  beforeAll(async () => {
    testDb = await createTestDb({ dialect });
    read = openReadDb(testDb.url);
    await testDb.db.comparison.create({
      data: {
        id: "full000001",
        repo: "https://github.com/owner/name",
        ref: "main",
        commit: "0123456789abcdef0123456789abcdef01234567",
        subdir: "app",
        mainPackage: "./cmd/server",
        mainPackages: JSON.stringify(["./cmd/server", "./cmd/tool"]),
        module: "example.com/name/v2",
        goVersion: "1.25",
        status: "succeeded",
        phase: "done",
        needsTzdata: true,
        needsCaRoots: true,
        notes: JSON.stringify(["a note"]),
        reusedFrom: "other00001",
        createdAt: new Date(Date.UTC(2026, 10, 1, 12, 0, 0, 123)),
        finishedAt: new Date(Date.UTC(2026, 10, 1, 12, 3, 4, 567)),
        variants: {
          create: [
            {
              key: "single", position: 0, status: "built", dockerfile: "FROM golang:1.25", baseImages: JSON.stringify(["golang:1.25"]),
              imageId: "sha256:abc", sizeBytes: BigInt(5_123_456_789), compressedBytes: BigInt(2_000_000_001), buildSeconds: 12.5,
              buildLog: "step 1\n\u001b[91mred\u001b[0m", runVerdict: "works", runExitCode: 0, runOutput: "hello",
              analysisSummary: null, analysis: "{\"not\":\"read\"}",
              layers: { create: [layer(1, 700_000_000, 300_000_000, true), layer(0, 4_423_456_789, null, true), layer(2, 12_345, 6_000, false)] },
            },
            {
              key: "scratch-naive", position: 1, naive: true, status: "built", dockerfile: "FROM scratch", sizeBytes: BigInt(1_400_000),
              runVerdict: "fails", runExitCode: 1, runOutput: "unknown time zone",
              runDiagnosis: JSON.stringify({ code: "MISSING_ZONEINFO", message: "no zoneinfo", fix: "add tzdata" }),
              layers: { create: [layer(0, 1_400_000, 700_000, false)] },
            },
            { key: "alpine", position: 2, status: "skipped", dockerfile: "", reason: "\u001b[1mno base\u001b[0m" },
          ],
        },
      },
    });
    await testDb.db.comparison.create({ data: { id: "empty00001", repo: "example:hello", status: "failed", errorCode: "CLONE_FAILED", errorMessage: "no such repository" } });
  }, 60_000);
  afterAll(async () => {
    await read?.close();
    await testDb?.dispose();
  });

  it.each(["full000001", "empty00001"])("reads %s as Prisma's read does", async (id) => {
    const view = await readComparison(read, id);
    expect(view).toEqual(await getComparison(testDb.db, id));
    expect(view).not.toBeNull();
  });

  it("keeps the variants' and the layers' order, and sizes past 32 bits", async () => {
    const view = (await readComparison(read, "full000001"))!;
    expect(view.variants.map((v) => v.key)).toEqual(["single", "scratch-naive", "alpine"]);
    expect(view.variants[0].layers.map((l) => [l.index, l.sizeBytes, l.compressedBytes, l.fromBase])).toEqual([
      [0, 4_423_456_789, null, true],
      [1, 700_000_000, 300_000_000, true],
      [2, 12_345, 6_000, false],
    ]);
    expect(view.variants[0].sizeBytes).toBe(5_123_456_789);
    expect(view).toMatchObject({ needs: { tzdata: true, caRoots: true, cgo: false }, createdAt: "2026-11-01T12:00:00.123Z", finishedAt: "2026-11-01T12:03:04.567Z" });
  });

  it("answers null for an unknown id", async () => {
    expect(await readComparison(read, "nosuchone1")).toBeNull();
  });
});
