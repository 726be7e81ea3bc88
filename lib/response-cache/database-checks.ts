// The two questions the response cache asks the database on every request it could
// answer, on the read connection (lib/db.ts's ReadDb) rather than through Prisma: has
// anything the pages show been written (the ChangeCounter row, bumped with every such
// write, lib/jobs/state.ts), and is this comparison still finished. The SQL is written
// per dialect and hands back the same shapes: the version as a number, finishedAt as
// ISO text in UTC.
import type { Dialect, ReadDb } from "@/lib/db";
import type { ComparisonState } from "@/lib/response-cache/rules";

export interface DatabaseChecks {
  /** The change counter's version: it moves with every write the pages show. */
  changeVersion(): Promise<number>;
  /** The comparison's status and when it finished, or undefined when there is none. */
  comparisonState(id: string): Promise<ComparisonState | undefined>;
}

export const CHECK_QUERIES: Record<Dialect, { version: string; state: string }> = {
  sqlite: {
    version: `SELECT "version" FROM "ChangeCounter" WHERE "id" = 1`,
    // Prisma's SQLite adapter keeps DateTime as ISO text already.
    state: `SELECT "status", "finishedAt" FROM "Comparison" WHERE "id" = ?`,
  },
  postgresql: {
    // BIGINT would come back as text from pg anyway: say so.
    version: `SELECT "version"::text AS "version" FROM "ChangeCounter" WHERE "id" = 1`,
    // TIMESTAMP(3) without a zone holds UTC (Prisma writes it so); pg would read it as
    // local time, so it is formatted here instead.
    state: `SELECT "status", to_char("finishedAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "finishedAt" FROM "Comparison" WHERE "id" = $1`,
  },
};

export function databaseChecks(read: ReadDb): DatabaseChecks {
  const queries = CHECK_QUERIES[read.dialect];
  return {
    async changeVersion() {
      const row = await read.first<{ version: number | bigint | string }>(queries.version);
      // Without its row the counter says nothing: the caller must not trust the cache.
      if (!row) throw new Error("the ChangeCounter row is missing (is the database migrated?)");
      return Number(row.version);
    },
    comparisonState: (id) => read.first<ComparisonState>(queries.state, [id]),
  };
}
