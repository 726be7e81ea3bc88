// A repository's history read from a real database (SQLite and PostgreSQL) through the
// read connection: every spelling of the repository, newest first, only its own rows,
// through the (repo, createdAt) index.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoFromHistorySegments } from "@/lib/share/repo-path";
import { openReadDb, type ReadDb } from "@/lib/db";
import { createTestDb, dialects, type TestDb } from "@/lib/testing/test-db";
import { listRepoHistory, repoHistoryOutline } from "@/lib/reads/history-query";
import { historySeries } from "@/lib/views/history";

describe.each(dialects())("listRepoHistory on %s", (dialect) => {
let testDb: TestDb;
let read: ReadDb;

beforeAll(async () => {
  testDb = await createTestDb({ dialect });
  read = openReadDb(testDb.url);
  const at = (day: number) => new Date(Date.UTC(2026, 10, day));
  const rows: Array<[string, string, number]> = [
    ["a1", "https://github.com/owner/name", 1],
    ["a2", "https://github.com/owner/name.git", 2],
    ["a3", "https://github.com/owner/name/", 3],
    ["b1", "https://github.com/owner/name-two", 4],
    ["c1", "https://github.com/other/name", 5],
  ];
  for (const [id, repo, day] of rows) {
    await testDb.db.comparison.create({
      data: {
        id,
        repo,
        status: "succeeded",
        commit: `${id}000000000`,
        createdAt: at(day),
        variants: {
          create: [
            { key: "single", position: 0, status: "built", dockerfile: "", sizeBytes: BigInt(700e6), runVerdict: "works" },
            { key: "scratch-naive", position: 1, naive: true, status: "built", dockerfile: "", sizeBytes: BigInt(1.4e6), runVerdict: "fails" },
            { key: "scratch", position: 2, status: "built", dockerfile: "", sizeBytes: BigInt(1.5e6), runVerdict: "works" },
          ],
        },
      },
    });
  }
  // Queued: no variants yet.
  await testDb.db.comparison.create({ data: { id: "a0", repo: "https://github.com/owner/name", status: "queued", createdAt: at(0) } });
}, 60_000);
afterAll(async () => {
  await read?.close();
  await testDb?.dispose();
});

  const spellings = repoFromHistorySegments(["github.com", "owner", "name"])!.spellings;

  it("lists every spelling of the repository, newest first, and nothing else", async () => {
    const items = await listRepoHistory(read, spellings, 50);
    expect(items.map((item) => item.id)).toEqual(["a3", "a2", "a1", "a0"]);
    expect(items[3]).toMatchObject({ status: "queued", commit: null, finishedAt: null, variants: [] });
    expect(items[0]).toMatchObject({ status: "succeeded", commit: "a3000000000", createdAt: "2026-11-03T00:00:00.000Z" });
    expect(items[0].variants).toEqual([
      { key: "single", naive: false, status: "built", sizeBytes: 700e6, runVerdict: "works" },
      { key: "scratch-naive", naive: true, status: "built", sizeBytes: 1.4e6, runVerdict: "fails" },
      { key: "scratch", naive: false, status: "built", sizeBytes: 1.5e6, runVerdict: "works" },
    ]);
  });

  it("stops at the limit, keeping the newest", async () => {
    expect((await listRepoHistory(read, spellings, 2)).map((item) => item.id)).toEqual(["a3", "a2"]);
  });

  it("continues strictly older than a cursor", async () => {
    const [, second] = await listRepoHistory(read, spellings, 50);
    const older = await listRepoHistory(read, spellings, 50, { createdAt: new Date(second.createdAt), id: second.id });
    expect(older.map((item) => item.id)).toEqual(["a1", "a0"]);
  });

  it("outlines the chart as its points would: comparisons, points, lines in order", async () => {
    const outline = await repoHistoryOutline(read, spellings);
    const series = historySeries(await listRepoHistory(read, spellings));
    expect(outline).toEqual({ comparisons: 4, points: 3, lines: series.lines });
    expect(outline.lines.map((line) => line.key)).toEqual(["single", "scratch", "scratch-naive"]);
  });

  it("outlines only the latest comparisons, and a repository with none", async () => {
    expect(await repoHistoryOutline(read, spellings, 1)).toMatchObject({ comparisons: 1, points: 1 });
    expect(await repoHistoryOutline(read, ["https://github.com/nobody/here"])).toEqual({ comparisons: 0, points: 0, lines: [] });
  });

  it.runIf(dialect === "sqlite")("reads from the (repo, createdAt, ...) index alone", async () => {
    const plan = await testDb.db.$queryRawUnsafe<Array<{ detail: string }>>(
      `EXPLAIN QUERY PLAN SELECT id, status, repo, ref, "commit", createdAt, finishedAt FROM Comparison WHERE repo IN (?, ?, ?, ?) ORDER BY createdAt DESC, id DESC LIMIT 200`,
      ...spellings,
    );
    expect(plan.map((row) => row.detail).join("\n")).toContain("COVERING INDEX Comparison_repo_createdAt_id_status_ref_commit_finishedAt_idx");
  });
});
