// Pure: the query string of GET /api/repositories/history (?repo=<a repository as
// submitted, any of its spellings>), checked with zod; what it does not name is a 400
// INVALID_QUERY in the API's error shape, naming the parameter.
import { z } from "zod";
import { UserError } from "@/lib/errors";
import { repoTargetOf, type RepoTarget } from "@/lib/share/repo-path";

const historyQuery = z.object({
  repo: z
    .string({ error: "is required" })
    .max(2048)
    .refine((repo) => repoTargetOf(repo) !== null, { error: "names no repository (e.g. https://github.com/owner/name or example:hello)" }),
});

export function parseHistoryRequest(params: URLSearchParams): RepoTarget {
  const parsed = historyQuery.safeParse({ repo: params.get("repo") ?? undefined });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.join(".");
    throw new UserError("INVALID_QUERY", `${field}: ${issue.message}`, "invalid", field);
  }
  return repoTargetOf(parsed.data.repo) as RepoTarget;
}

