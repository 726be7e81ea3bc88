// The throwaway server itself: it says why it cannot start, answers on loopback only,
// and leaves nothing behind once stopped.
import { existsSync } from "node:fs";
import net from "node:net";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { postgresUnavailable, startPostgres } from "@/lib/testing/postgres";

const refused = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => (socket.destroy(), resolve(false)));
    socket.once("error", () => resolve(true));
  });

describe("postgresUnavailable", () => {
  it("names the missing binaries", () => {
    expect(postgresUnavailable("/nonexistent/postgresql/bin")).toMatch(/not found in \/nonexistent\/postgresql\/bin \(missing initdb, pg_ctl, postgres/);
  });
});

describe.skipIf(postgresUnavailable() !== null)("startPostgres", () => {
  it("serves fresh databases on a loopback port, then stops and removes its folder", async () => {
    const server = await startPostgres();
    const url = await server.createDatabase("first_db");
    expect(url).toBe(`postgresql://postgres@127.0.0.1:${server.port}/first_db`);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query<{ db: string; addr: string }>("SELECT current_database() AS db, inet_server_addr()::text AS addr");
    await client.end();
    expect(rows).toEqual([{ db: "first_db", addr: "127.0.0.1/32" }]);
    await expect(server.createDatabase("bad-name; DROP")).rejects.toThrow(/not a plain database name/);
    expect(existsSync(`${server.dir}/data/PG_VERSION`)).toBe(true);
    await server.stop();
    expect(await refused(server.port)).toBe(true);
    expect(existsSync(server.dir)).toBe(false);
  }, 60_000);
});
