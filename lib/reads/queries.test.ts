// The read model's light query against the full one, on each dialect the machine has:
// a badge or a link preview reads only status and sizes, and must say what the page says.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeCursor } from "@/lib/reads/cursor";
import { getComparison, getComparisonGlance, listComparisonsPage } from "@/lib/reads/queries";
import { badgeContent } from "@/lib/share/badge";
import { ogCard, shareTitle } from "@/lib/share/og-card";
import { openReadDb, type ReadDb } from "@/lib/db";
import { createTestDb, dialects, type TestDb } from "@/lib/testing/test-db";

describe.each(dialects())("getComparisonGlance on %s", (dialect) => {
  let testDb: TestDb;
  beforeAll(async () => {
    testDb = await createTestDb({ dialect });
    await testDb.db.comparison.create({
      data: {
        id: "glance0001",
        repo: "https://github.com/owner/name",
        status: "succeeded",
        variants: {
          create: [
            { key: "single", position: 0, status: "built", dockerfile: "FROM golang", sizeBytes: BigInt(700e6), runVerdict: "works", buildLog: "x".repeat(10_000) },
            { key: "scratch-naive", position: 1, naive: true, status: "built", dockerfile: "", sizeBytes: BigInt(1.4e6), runVerdict: "fails" },
            { key: "scratch", position: 2, status: "built", dockerfile: "", sizeBytes: BigInt(1.5e6), runVerdict: "works" },
            { key: "alpine", position: 3, status: "skipped", dockerfile: "", reason: "offline" },
          ],
        },
      },
    });
    await testDb.db.comparison.create({ data: { id: "glance0002", repo: "example:hello", status: "failed", errorCode: "CLONE_FAILED", errorMessage: "no such repository" } });
  }, 60_000);
  afterAll(async () => {
    await testDb?.dispose();
  });

  it.each(["glance0001", "glance0002"])("answers the full view's status, variants and error for %s", async (id) => {
    const [glance, view] = [await getComparisonGlance(testDb.db, id), await getComparison(testDb.db, id)];
    expect(glance).toEqual({
      id: view!.id,
      status: view!.status,
      repo: view!.repo,
      ...(view!.error ? { error: view!.error } : {}),
      variants: view!.variants.map((v) => ({ key: v.key, naive: v.naive, status: v.status, sizeBytes: v.sizeBytes, runCheck: v.runCheck && { verdict: v.runCheck.verdict } })),
    });
    expect(badgeContent(glance)).toEqual(badgeContent(view));
    expect(ogCard(glance!)).toEqual(ogCard(view!));
    expect(shareTitle(glance!)).toBe(shareTitle(view!));
  });

  it("answers null for an unknown id", async () => {
    expect(await getComparisonGlance(testDb.db, "nosuchone1")).toBeNull();
  });
});

describe.each(dialects())("listComparisonsPage on %s", (dialect) => {
  let testDb: TestDb;
  let read: ReadDb;
  // Three rows share one instant: the id orders them, and no page may repeat or skip one.
  const rows = [
    ["page000001", 1],
    ["page000002", 2],
    ["page000003", 2],
    ["page000004", 2],
    ["page000005", 3],
    ["page000006", 4],
    ["page000007", 5],
  ] as const;
  beforeAll(async () => {
    testDb = await createTestDb({ dialect });
    await testDb.db.comparison.createMany({ data: rows.map(([id, minute]) => ({ id, repo: "example:hello", createdAt: new Date(Date.UTC(2026, 10, 1, 0, minute)) })) });
    // Older than every page row: a finished one of its own repository, a failing small image among its variants.
    await testDb.db.comparison.create({
      data: {
        id: "sizes00001",
        repo: "https://github.com/owner/name",
        status: "succeeded",
        createdAt: new Date(Date.UTC(2026, 9, 1)),
        finishedAt: new Date(Date.UTC(2026, 9, 1, 0, 2)),
        variants: {
          create: [
            { key: "single", position: 0, status: "built", dockerfile: "", sizeBytes: BigInt(700e6), runVerdict: "works" },
            { key: "scratch-naive", position: 1, status: "built", dockerfile: "", sizeBytes: BigInt(1.4e6), runVerdict: "fails" },
            { key: "scratch", position: 2, status: "built", dockerfile: "", sizeBytes: BigInt(1.5e6), runVerdict: "works" },
            { key: "distroless", position: 3, status: "failed", dockerfile: "" },
          ],
        },
      },
    });
    read = openReadDb(testDb.url);
  }, 60_000);
  afterAll(async () => {
    await read?.close();
    await testDb?.dispose();
  });

  it("sums up each comparison as its page's headline does, and keeps to one repository when asked", async () => {
    const page = await listComparisonsPage(read, { limit: 20, repo: "https://github.com/owner/name" });
    expect(page).toEqual({
      items: [
        {
          id: "sizes00001",
          status: "succeeded",
          repo: "https://github.com/owner/name",
          createdAt: "2026-10-01T00:00:00.000Z",
          finishedAt: "2026-10-01T00:02:00.000Z",
          largest: { key: "single", sizeBytes: 700e6 },
          smallest: { key: "scratch", sizeBytes: 1.5e6 },
        },
      ],
      nextCursor: null,
    });
    const newest = await listComparisonsPage(read, { limit: 1 });
    expect(newest.items[0]).toMatchObject({ id: "page000007", status: "queued", finishedAt: null, largest: null, smallest: null });
  });

  it.each([1, 2, 3])("pages through every row once, newest first, %i at a time", async (limit) => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof listComparisonsPage>> = await listComparisonsPage(read, { limit, ...(cursor ? { cursor: decodeCursor(cursor)! } : {}) });
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...rows.map(([id]) => id).reverse(), "sizes00001"]);
  });
});
