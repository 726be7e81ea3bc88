// The home page's cache relies on SQLite's data_version: a connection of its own sees
// every commit made by another connection, in this process or another, and nothing else.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { openReadDb } from "@/lib/db";

describe("PRAGMA data_version on the read-only connection", async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "slimstage-dv-"));
  afterAll(() => rm(dir, { recursive: true, force: true }));
  const file = path.join(dir, "test.db");
  const writer = new Database(file);
  writer.exec("CREATE TABLE t (x INTEGER)");
  const reader = openReadDb(`file:${file}`);
  const version = reader.prepare("PRAGMA data_version").pluck();
  const read = () => version.get() as number;

  it("stays the same while nobody writes, reads included", () => {
    const before = read();
    writer.prepare("SELECT count(*) FROM t").get();
    reader.prepare("SELECT count(*) FROM t").get();
    expect(read()).toBe(before);
  });

  it("changes after every commit of another connection", () => {
    const before = read();
    writer.prepare("INSERT INTO t VALUES (1)").run();
    const after = read();
    expect(after).not.toBe(before);
    writer.transaction(() => writer.prepare("UPDATE t SET x = 2").run())();
    expect(read()).not.toBe(after);
  });

  it("does not change for a transaction that was rolled back", () => {
    const before = read();
    writer.exec("BEGIN; INSERT INTO t VALUES (3); ROLLBACK;");
    expect(read()).toBe(before);
  });

  it("is read-only", () => {
    expect(() => reader.prepare("INSERT INTO t VALUES (4)").run()).toThrow(/readonly/i);
  });
});
