// Starting a comparison: validate everything that can be checked before cloning (the
// URL policy, the host, ref, subdir, main package), store the row, wake the worker.
// The row is the submission; nothing else needs to survive a restart.
import { repoPolicy } from "@/lib/config";
import type { Db } from "@/lib/db";
import { UserError } from "@/lib/errors";
import { findExample } from "@/lib/examples";
import { EXAMPLE_PREFIX } from "@/lib/source/resolve";
import { checkHost, parseRepo, validateMainPackage, validateRef, validateSubdir } from "@/lib/source/url-policy";
import { newComparisonId } from "./ids";
import { comparisonInput, type ComparisonInput } from "./input";

export interface Created {
  id: string;
  url: string;
  status: "queued";
}

export async function createComparison(db: Db, body: unknown, wake: () => void): Promise<Created> {
  const input = await validate(body);
  const id = newComparisonId();
  await db.comparison.create({
    data: {
      id,
      repo: input.repo,
      ref: input.ref,
      subdir: input.subdir,
      mainPackage: input.mainPackage,
      variantKeys: input.variants ? JSON.stringify(input.variants) : null,
      runArgs: input.runArgs ? JSON.stringify(input.runArgs) : null,
      runEnv: input.runEnv ? JSON.stringify(input.runEnv) : null,
    },
  });
  wake();
  return { id, url: `/c/${id}`, status: "queued" };
}

export async function validate(body: unknown): Promise<ComparisonInput> {
  const parsed = comparisonInput.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.length ? issue.path.join(".") : undefined;
    if (issue.code === "unrecognized_keys") {
      throw new UserError("UNKNOWN_FIELD", `Unknown field(s): ${issue.keys.join(", ")}.`, "invalid", issue.keys[0]);
    }
    throw new UserError("INVALID_INPUT", field ? `${field}: ${issue.message}` : issue.message, "invalid", field);
  }
  const input = { ...parsed.data };
  if (input.ref !== undefined) input.ref = validateRef(input.ref);
  if (input.subdir !== undefined) input.subdir = validateSubdir(input.subdir);
  if (input.mainPackage !== undefined) input.mainPackage = validateMainPackage(input.mainPackage);

  if (input.repo.startsWith(EXAMPLE_PREFIX)) {
    const name = input.repo.slice(EXAMPLE_PREFIX.length);
    if (!(await findExample(name))) {
      throw new UserError("UNKNOWN_EXAMPLE", `There is no bundled example called "${name}".`, "invalid", "repo");
    }
    return input;
  }
  const policy = repoPolicy();
  const location = parseRepo(input.repo, policy);
  if (location.kind === "remote") await checkHost(location.host, policy);
  return input;
}

/**
 * Cancels a comparison: a queued one at once; a running one by aborting its build or
 * run check (the pipeline then marks it canceled, which is awaited briefly).
 */
export async function cancelComparison(
  db: Db,
  id: string,
  cancelRunning: (id: string) => boolean,
): Promise<{ id: string; status: string }> {
  const row = await db.comparison.findUnique({ where: { id }, select: { status: true } });
  if (!row) throw new UserError("NOT_FOUND", `No comparison has the id "${id}".`, "not_found");
  if (row.status === "queued") {
    const { count } = await db.comparison.updateMany({
      where: { id, status: "queued" },
      data: { status: "canceled", phase: null, finishedAt: new Date(), errorCode: "CANCELED", errorMessage: "The comparison was canceled." },
    });
    if (count === 1) return { id, status: "canceled" };
  }
  if (row.status === "running" || row.status === "queued") {
    cancelRunning(id);
    for (let i = 0; i < 50; i++) {
      const now = await db.comparison.findUnique({ where: { id }, select: { status: true } });
      if (now && now.status !== "running") return { id, status: now.status };
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return { id, status: "running" };
  }
  throw new UserError("ALREADY_FINISHED", `The comparison has already ${row.status}; there is nothing to cancel.`, "conflict");
}
