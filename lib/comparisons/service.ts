// Starting a comparison: validate, store the row, wake the worker. The row is the
// submission; nothing else needs to survive a restart.
import type { Db } from "@/lib/db";
import { UserError } from "@/lib/errors";
import { findExample } from "@/lib/examples";
import { EXAMPLE_PREFIX } from "@/lib/source/resolve";
import { newComparisonId } from "./ids";
import { comparisonInput } from "./input";

export interface Created {
  id: string;
  url: string;
  status: "queued";
}

export async function createComparison(db: Db, body: unknown, wake: () => void): Promise<Created> {
  const parsed = comparisonInput.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.length ? issue.path.join(".") : undefined;
    const message = issue.code === "unrecognized_keys" ? `Unknown field(s): ${issue.keys.join(", ")}.` : issue.message;
    throw new UserError("INVALID_INPUT", field && issue.code !== "unrecognized_keys" ? `${field}: ${message}` : message, "invalid", field);
  }
  const input = parsed.data;
  if (input.repo.startsWith(EXAMPLE_PREFIX)) {
    const name = input.repo.slice(EXAMPLE_PREFIX.length);
    if (!(await findExample(name))) {
      throw new UserError("UNKNOWN_EXAMPLE", `There is no bundled example called "${name}".`, "invalid", "repo");
    }
  } else {
    throw new UserError(
      "UNSUPPORTED_REPO",
      "Only the bundled examples (example:<name>) can be compared so far.",
      "invalid",
      "repo",
    );
  }
  const id = newComparisonId();
  await db.comparison.create({
    data: { id, repo: input.repo, ref: input.ref, subdir: input.subdir, mainPackage: input.mainPackage },
  });
  wake();
  return { id, url: `/c/${id}`, status: "queued" };
}
