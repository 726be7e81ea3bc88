// A throwaway PostgreSQL server for tests: initdb in a temporary folder, listening on
// a free loopback port only (and a socket in that folder), durability off (nothing in
// it outlives the test), stopped and removed by stop() — or, as a last resort, when
// the process exits. The server refuses to run as root: as root, its commands run as
// the `postgres` system user, which owns the folder. No server binaries: tests skip
// with postgresUnavailable()'s reason.
import { execFile, execFileSync, type ExecFileOptions } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { appendFile, chown, mkdtemp, readFile, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";

/** Where Debian's postgresql-15 puts its server binaries. */
export const POSTGRES_BIN = "/usr/lib/postgresql/15/bin";
const NEEDED = ["initdb", "pg_ctl", "postgres"];
const run = promisify(execFile);

export interface PostgresServer {
  port: number;
  /** Its temporary folder (data directory, socket, server.log), removed by stop(). */
  dir: string;
  /** A connection URL for `database` on this server. */
  url(database: string): string;
  /** Creates an empty database; returns its URL. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

/** Why no test server can be started here, or null when it can. */
export function postgresUnavailable(bin = POSTGRES_BIN): string | null {
  const missing = NEEDED.filter((name) => !existsSync(path.join(bin, name)));
  if (missing.length) return `PostgreSQL server binaries not found in ${bin} (missing ${missing.join(", ")}; Debian's postgresql-15 package has them)`;
  if (process.getuid?.() === 0 && !passwdEntry("postgres")) return "running as root and there is no `postgres` user to run the server as";
  return null;
}

export async function startPostgres(bin = POSTGRES_BIN): Promise<PostgresServer> {
  const reason = postgresUnavailable(bin);
  if (reason) throw new Error(reason);
  const dir = await mkdtemp(path.join(os.tmpdir(), "slimstage-pg-"));
  const data = path.join(dir, "data");
  const owner = process.getuid?.() === 0 ? passwdEntry("postgres") : undefined;
  if (owner) await chown(dir, owner.uid, owner.gid);
  // As root: the same argument arrays, run with the postgres user's ids (no shell).
  const env: NodeJS.ProcessEnv = { NODE_ENV: process.env.NODE_ENV, PATH: process.env.PATH ?? "/usr/bin:/bin", LC_ALL: "C" };
  const as: ExecFileOptions = { uid: owner?.uid, gid: owner?.gid, cwd: dir, env };
  const pgCtl = (...args: string[]) => run(path.join(bin, "pg_ctl"), ["-D", data, ...args], as);

  let started = false;
  let port = 0;
  const removeSync = () => {
    if (started) {
      try {
        execFileSync(path.join(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"], { uid: owner?.uid, gid: owner?.gid, cwd: dir, env, stdio: "ignore" });
      } catch {
        // Already stopped.
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once("exit", removeSync);
  try {
    await run(path.join(bin, "initdb"), ["-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-locale", "--no-sync"], as);
    // A port found free may be taken before the server binds it: try another one.
    for (let attempt = 1; !started; attempt++) {
      port = await freePort();
      const settings = [`port = ${port}`, "listen_addresses = '127.0.0.1'", `unix_socket_directories = '${dir}'`, "fsync = off", "synchronous_commit = off", "full_page_writes = off"];
      await appendFile(path.join(data, "postgresql.conf"), `\n${settings.join("\n")}\n`);
      try {
        await pgCtl("-l", path.join(dir, "server.log"), "-w", "-t", "60", "start");
        started = true;
      } catch (error) {
        if (attempt >= 3) throw new Error(`PostgreSQL did not start: ${(error as Error).message}\n${await readFile(path.join(dir, "server.log"), "utf8").catch(() => "")}`);
      }
    }
  } catch (error) {
    process.off("exit", removeSync);
    removeSync();
    throw error;
  }

  const url = (database: string) => `postgresql://postgres@127.0.0.1:${port}/${encodeURIComponent(database)}`;
  return {
    port,
    dir,
    url,
    async createDatabase(name) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
      const client = new pg.Client({ connectionString: url("postgres") });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${name}"`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    async stop() {
      process.off("exit", removeSync);
      if (started) await pgCtl("-m", "fast", "-w", "stop").catch(() => pgCtl("-m", "immediate", "-w", "stop").catch(() => {}));
      started = false;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function passwdEntry(user: string): { uid: number; gid: number } | undefined {
  try {
    const passwd = execFileSync("getent", ["passwd", user], { encoding: "utf8" });
    const [, , uid, gid] = passwd.trim().split(":");
    return { uid: Number(uid), gid: Number(gid) };
  } catch {
    return undefined;
  }
}
