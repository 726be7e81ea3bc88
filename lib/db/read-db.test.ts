// The read connection on SQLite while a writer holds the file: a page's list or row waits for it
// (between other work, not blocking the process) instead of failing after the driver's
// short synchronous wait.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import SQLite from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { openReadDb, type ReadDb } from "@/lib/db";

let dir = "";
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("the SQLite read connection", () => {
  const reads = {
    all: (db: ReadDb) => db.all<{ n: number }>("SELECT n FROM t ORDER BY n").then((rows) => rows.map((row) => row.n)),
    first: (db: ReadDb) => db.first<{ n: number }>("SELECT count(*) AS n FROM t").then((row) => row?.n),
  };
  it.each([
    ["all", reads.all, [1, 2, 3]],
    ["first", reads.first, 3],
  ] as const)("%s waits out a writer that holds the file longer than the driver's own wait, without holding up the process", async (_name, read, expected) => {
    dir = await mkdtemp(path.join(tmpdir(), "slimstage-readdb-"));
    const file = path.join(dir, "db.sqlite");
    const writer = new SQLite(file);
    writer.exec("CREATE TABLE t (n INTEGER); INSERT INTO t VALUES (1), (2);");
    const db = openReadDb(`file:${file}`);
    try {
      writer.exec("BEGIN EXCLUSIVE; INSERT INTO t VALUES (3);");
      let ticks = 0;
      const ticking = setInterval(() => ticks++, 10);
      const answer = read(db);
      // Held for several of the driver's 200 ms waits, then committed.
      await new Promise((resolve) => setTimeout(resolve, 700));
      writer.exec("COMMIT");
      expect(await answer).toEqual(expected);
      clearInterval(ticking);
      // The process went on with other work meanwhile (timers fired between the tries).
      expect(ticks).toBeGreaterThan(5);
    } finally {
      await db.close();
      writer.close();
    }
  });
});
