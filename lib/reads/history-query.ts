// Reads a repository's comparisons for /r/<repo>: only the columns the list and the chart
// need (no Dockerfiles, logs or layers), through the (repo, createdAt) index, in one
// statement on the read connection (lib/db.ts's ReadDb): the chart's 200 comparisons and
// their variants are some 800 rows, which Prisma would map one by one at several times
// the cost of the query itself. The page itself needs only its own rows and the chart's
// outline (how many comparisons, which lines), which the database counts and groups
// rather than handing over the 800 rows. The SQL is written per dialect (lib/reads/read-sql.ts).
import type { Dialect, ReadDb } from "@/lib/db";
import type { ComparisonCursor } from "@/lib/reads/cursor";
import type { HistoryItem, HistoryOutline } from "@/lib/views/history";
import { historyLines } from "@/lib/views/history";
import type { ComparisonStatus, RunVerdict, VariantStatus } from "@/lib/comparisons/types";
import { bigintColumn, isoOf, olderThanSql, sqlParams, timeColumn } from "@/lib/reads/read-sql";

/** The most comparisons the history chart shows. */
export const HISTORY_LIMIT = 200;
/** Rows of the history list per page, as many as the home page's; older ones are a link away (?before=). */
export const HISTORY_PAGE = 20;

/** One comparison and one of its variants (none: the variant's columns are null). */
interface HistoryRow {
  id: string;
  status: string;
  repo: string;
  ref: string | null;
  commit: string | null;
  createdAt: string;
  finishedAt: string | null;
  key: string | null;
  naive: boolean | number | null;
  variantStatus: string | null;
  sizeBytes: number | string | null;
  runVerdict: string | null;
}

/**
 * Newest first, strictly older than `before` when given; `spellings` are the stored
 * forms of one repository (with ".git"...).
 */
export async function listRepoHistory(
  read: ReadDb,
  spellings: readonly string[],
  limit = HISTORY_LIMIT,
  before?: ComparisonCursor,
): Promise<HistoryItem[]> {
  const { sql, params } = historySql(read.dialect, spellings, limit, before);
  const items: HistoryItem[] = [];
  for (const row of await read.all<HistoryRow>(sql, params)) {
    let item = items[items.length - 1];
    if (item?.id !== row.id) {
      item = {
        id: row.id,
        status: row.status as ComparisonStatus,
        repo: row.repo,
        ref: row.ref,
        commit: row.commit,
        createdAt: isoOf(row.createdAt),
        finishedAt: row.finishedAt === null ? null : isoOf(row.finishedAt),
        variants: [],
      };
      items.push(item);
    }
    if (row.key === null) continue;
    item.variants.push({
      key: row.key,
      naive: Boolean(row.naive),
      status: row.variantStatus as VariantStatus,
      sizeBytes: row.sizeBytes === null ? null : Number(row.sizeBytes),
      runVerdict: (row.runVerdict as RunVerdict | null) ?? null,
    });
  }
  return items;
}

// The comparisons first (the page's rows, from the index alone), then their variants in
// position order.
function historySql(dialect: Dialect, spellings: readonly string[], limit: number, before?: ComparisonCursor) {
  const sql = sqlParams(dialect);
  const repos = spellings.map(sql.param).join(", ");
  const older = before ? olderThanSql(dialect, before, sql) : "";
  const text =
    `SELECT c."id", c."status", c."repo", c."ref", c."commit", ${timeColumn(dialect, 'c."createdAt"')} AS "createdAt", ` +
    `${timeColumn(dialect, 'c."finishedAt"')} AS "finishedAt", v."key", v."naive", v."status" AS "variantStatus", ` +
    `${bigintColumn(dialect, 'v."sizeBytes"')} AS "sizeBytes", v."runVerdict" ` +
    `FROM (SELECT "id", "status", "repo", "ref", "commit", "createdAt", "finishedAt" FROM "Comparison" ` +
    `WHERE "repo" IN (${repos})${older} ORDER BY "createdAt" DESC, "id" DESC LIMIT ${sql.param(limit)}) c ` +
    `LEFT JOIN "Variant" v ON v."comparisonId" = c."id" ` +
    `ORDER BY c."createdAt" DESC, c."id" DESC, v."position" ASC`;
  return { sql: text, params: sql.params };
}

/**
 * What the chart of the latest `limit` comparisons holds, without its points: how many
 * comparisons there are, how many of them have a point (an image built), and its lines.
 */
export async function repoHistoryOutline(read: ReadDb, spellings: readonly string[], limit = HISTORY_LIMIT): Promise<HistoryOutline> {
  const sql = sqlParams(read.dialect);
  const repos = spellings.map(sql.param).join(", ");
  // One row per line, each carrying the two counts; with no line at all, one row of counts
  // and no key. A point is a comparison with a built variant of known, non-zero size
  // (lib/views/history.ts, historySeries).
  const text =
    `WITH c AS MATERIALIZED (SELECT "id" FROM "Comparison" WHERE "repo" IN (${repos}) ORDER BY "createdAt" DESC, "id" DESC LIMIT ${sql.param(limit)}), ` +
    // CROSS JOIN: SQLite then walks the few comparisons and looks their variants up, rather than every variant.
    `b AS MATERIALIZED (SELECT v."comparisonId", v."key", v."naive" FROM c CROSS JOIN "Variant" v WHERE v."comparisonId" = c."id" ` +
    `AND v."status" = 'built' AND v."sizeBytes" > 0), ` +
    `n AS (SELECT (SELECT COUNT(*) FROM c) AS "comparisons", (SELECT COUNT(DISTINCT "comparisonId") FROM b) AS "points") ` +
    `SELECT k."key", k."naive", n."comparisons", n."points" FROM n LEFT JOIN (SELECT DISTINCT "key", "naive" FROM b) k ON 1 = 1`;
  const rows = await read.all<{ key: string | null; naive: boolean | number | null; comparisons: number | string; points: number | string }>(text, sql.params);
  const first = rows[0];
  return {
    comparisons: Number(first?.comparisons ?? 0),
    points: Number(first?.points ?? 0),
    lines: historyLines(rows.flatMap((row) => (row.key === null ? [] : [{ key: row.key, naive: Boolean(row.naive) }]))),
  };
}
