// Reads a repository's comparisons for /r/<repo>: only the columns the list and the chart
// need (no Dockerfiles, logs or layers), through the (repo, createdAt) index.
import type { Db } from "@/lib/db";
import { olderThan, type ComparisonCursor } from "@/lib/reads/cursor";
import type { HistoryItem } from "@/lib/views/history";
import type { ComparisonStatus, RunVerdict, VariantStatus } from "@/lib/comparisons/types";

/** The most comparisons the history chart shows. */
export const HISTORY_LIMIT = 200;
/** Rows of the history list per page; older ones are a link away (?before=). */
export const HISTORY_PAGE = 50;

/**
 * Newest first, strictly older than `before` when given; `spellings` are the stored
 * forms of one repository (with ".git"...).
 */
export async function listRepoHistory(
  database: Db,
  spellings: readonly string[],
  limit = HISTORY_LIMIT,
  before?: ComparisonCursor,
): Promise<HistoryItem[]> {
  const rows = await database.comparison.findMany({
    where: {
      repo: { in: [...spellings] },
      ...(before ? { AND: [olderThan(before)] } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
    select: {
      id: true,
      status: true,
      repo: true,
      ref: true,
      commit: true,
      createdAt: true,
      finishedAt: true,
      variants: {
        orderBy: { position: "asc" },
        select: { key: true, naive: true, status: true, sizeBytes: true, runVerdict: true },
      },
    },
  });
  return rows.map((row) => ({
    ...row,
    status: row.status as ComparisonStatus,
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
    variants: row.variants.map((variant) => ({
      key: variant.key,
      naive: variant.naive,
      status: variant.status as VariantStatus,
      sizeBytes: variant.sizeBytes === null ? null : Number(variant.sizeBytes),
      runVerdict: (variant.runVerdict as RunVerdict | null) ?? null,
    })),
  }));
}
