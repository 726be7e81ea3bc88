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
