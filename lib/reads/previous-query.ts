// "The previous one": the newest finished comparison of the same program made before a
// given one — same repository (any of its stored spellings, lib/share/repo-path.ts), same
// subdirectory and main package (in a monorepo those are other programs). What the compare
// link on /c/<id> and the growth budget compare against. Failed and canceled comparisons
// are skipped: they have no sizes to compare.
import type { Db } from "@/lib/db";
import { olderThan } from "@/lib/reads/cursor";
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

/** The id of the previous comparison of the same program, or null when there is none. */
export async function previousComparisonId(db: Db, of: ComparisonKey): Promise<string | null> {
  const createdAt = new Date(of.createdAt);
  const rows = await db.comparison.findMany({
    where: {
      repo: { in: repoSpellings(of.repo) },
      status: "succeeded",
      AND: [olderThan({ createdAt, id: of.id })],
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: { id: true, subdir: true, mainPackage: true },
    // The folders are compared here, after normalising; a repository's history is short.
    take: 200,
  });
  return rows.find((row) => sameFolder(row.subdir, of.subdir) && sameFolder(row.mainPackage, of.mainPackage))?.id ?? null;
}
