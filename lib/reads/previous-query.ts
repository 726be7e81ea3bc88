// "The previous one": the newest finished comparison of the same program made before a
// given one — same repository (any of its stored spellings, lib/share/repo-path.ts), same
// subdirectory and main package (in a monorepo those are other programs). What the compare
// link on /c/<id> and the growth budget compare against. Failed and canceled comparisons
// are skipped: they have no sizes to compare.
import type { ReadDb } from "@/lib/db";
import { olderThanSql, sqlParams } from "@/lib/reads/read-sql";
import { repoFromHistorySegments, repoHistoryPath } from "@/lib/share/repo-path";

/** Every stored spelling of the repository `repo` names ("…/x", "…/x.git", "…/x/"). */
export function repoSpellings(repo: string): string[] {
  const path = repoHistoryPath(repo);
  const target = path ? repoFromHistorySegments(path.slice("/r/".length).split("/")) : null;
  return target && target.spellings.includes(repo) ? target.spellings : [repo];
}

export const sameRepository = (a: string, b: string): boolean => a === b || repoSpellings(a).includes(b);

/** null, "" and "." all mean the repository root; "./cmd/x" and "cmd/x" the same package. */
export const sameFolder = (a: string | null, b: string | null): boolean => normalizeFolder(a) === normalizeFolder(b);
const normalizeFolder = (value: string | null): string => (value ?? "").replace(/^\.\/?/, "").replace(/\/+$/, "");

export interface ComparisonKey {
  id: string;
  repo: string;
  subdir: string | null;
  mainPackage: string | null;
  /** ISO time, as the views carry it. */
  createdAt: string;
}

/**
 * The id of the previous comparison of the same program, or null when there is none: one
 * statement on the read connection (a comparison's page asks on every render), through the
 * (repo, status, createdAt) index.
 */
export async function previousComparisonId(read: ReadDb, of: ComparisonKey): Promise<string | null> {
  const sql = sqlParams(read.dialect);
  const repos = repoSpellings(of.repo).map(sql.param).join(", ");
  const older = olderThanSql(read.dialect, { createdAt: new Date(of.createdAt), id: of.id }, sql);
  const rows = await read.all<{ id: string; subdir: string | null; mainPackage: string | null }>(
    `SELECT "id", "subdir", "mainPackage" FROM "Comparison" WHERE "repo" IN (${repos}) AND "status" = 'succeeded'${older} ` +
      // The folders are compared here, after normalising; a repository's history is short.
      `ORDER BY "createdAt" DESC, "id" DESC LIMIT 200`,
    sql.params,
  );
  return rows.find((row) => sameFolder(row.subdir, of.subdir) && sameFolder(row.mainPackage, of.mainPackage))?.id ?? null;
}
