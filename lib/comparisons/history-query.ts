// Reads a repository's comparisons for /r/<repo>: only the columns the list and the chart
// need (no Dockerfiles, logs or layers), through the (repo, createdAt) index.
import type { Db } from "@/lib/db";
import type { HistoryItem } from "@/lib/views/history";
import type { ComparisonStatus, RunVerdict, VariantStatus } from "@/lib/comparisons/types";

/** The most comparisons one history page lists and charts. */
export const HISTORY_LIMIT = 200;

/** Newest first; `spellings` are the stored forms of one repository (with ".git"...). */
export async function listRepoHistory(database: Db, spellings: readonly string[], limit = HISTORY_LIMIT): Promise<HistoryItem[]> {
  const rows = await database.comparison.findMany({
    where: { repo: { in: [...spellings] } },
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
