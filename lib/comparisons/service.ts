// Starting a comparison: validate everything that can be checked before cloning (the
// URL policy, the host, ref, subdir, main package), check the queue's caps, store the
// row; a worker claims it from there. The row is the submission; nothing else needs to
// survive a restart. Cancel is a request written to the row, for the worker holding it
// (or, once the comparison has succeeded, for the worker running its advice).
import { comparisonNotFound } from "./ids";
import type { Config } from "@/lib/config";
import type { Db } from "@/lib/db";
import { requestCancel } from "@/lib/jobs/state";
import { requestAdviceCancel } from "@/lib/advice/state";
import { newManagementToken } from "@/lib/comparisons/owners";
import { UserError } from "@/lib/errors";
import { findExample } from "@/lib/examples";
import { EXAMPLE_PREFIX } from "@/lib/source/resolve";
import { checkHost, parseRepo, validateMainPackage, validateRef, validateSubdir } from "@/lib/source/url-policy";
import { newComparisonId } from "@/lib/comparisons/ids";
import { comparisonInput, type ComparisonInput } from "@/lib/comparisons/input";

export interface Created {
  id: string;
  url: string;
  status: "queued";
  /** Shown once: cancel and delete need it (only its hash is stored). */
  managementToken: string;
}

export interface SubmitContext {
  clientKey: string;
  caps: Config["queueCaps"];
  policy: Config["repoPolicy"];
  examplesDir: string;
}

export async function createComparison(db: Db, body: unknown, context: SubmitContext): Promise<Created> {
  const input = await validate(body, context.policy, context.examplesDir);
  await checkCaps(db, context);
  const id = newComparisonId();
  const { token, hash } = newManagementToken();
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
      ...(input.advice === false ? { adviceStatus: "off", adviceError: "Advice was turned off for this comparison when it was submitted." } : {}),
      ownerTokenHash: hash,
      clientKey: context.clientKey,
    },
  });
  return { id, url: `/c/${id}`, status: "queued", managementToken: token };
}

// A public queue has room for everyone: a few comparisons waiting or running per client,
// and a ceiling for all of them together.
async function checkCaps(db: Db, { clientKey, caps }: Pick<SubmitContext, "clientKey" | "caps">): Promise<void> {
  const active = { status: { in: ["queued", "running"] } };
  const [mine, all] = await Promise.all([db.comparison.count({ where: { ...active, clientKey } }), db.comparison.count({ where: active })]);
  if (mine >= caps.perClient) {
    throw new UserError(
      "TOO_MANY_QUEUED",
      `You already have ${mine} comparison${mine === 1 ? "" : "s"} waiting or running (at most ${caps.perClient} at a time); submit this one when one of them has finished.`,
      "too_many",
      undefined,
      30,
    );
  }
  if (all >= caps.total) {
    throw new UserError(
      "QUEUE_FULL",
      `The server has ${all} comparisons waiting or running, its limit; try again in a few minutes.`,
      "unavailable",
      undefined,
      120,
    );
  }
}

export async function validate(body: unknown, policy: Config["repoPolicy"], examplesDir: string): Promise<ComparisonInput> {
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
    if (!(await findExample(examplesDir, name))) {
      throw new UserError("UNKNOWN_EXAMPLE", `There is no bundled example called "${name}".`, "invalid", "repo");
    }
    return input;
  }
  const location = parseRepo(input.repo, policy);
  if (location.kind === "remote") await checkHost(location.host, policy);
  return input;
}

/**
 * Submits a comparison again as it was submitted, to be built even though an earlier
 * comparison has the same build (`rebuild`): the owner's "build again". The caps hold.
 */
export async function rebuildComparison(db: Db, id: string, context: Pick<SubmitContext, "clientKey" | "caps">): Promise<Created> {
  const row = await db.comparison.findUnique({ where: { id }, select: { repo: true, ref: true, subdir: true, mainPackage: true, variantKeys: true, runArgs: true, runEnv: true } });
  if (!row) throw comparisonNotFound(id);
  await checkCaps(db, context);
  const created = { id: newComparisonId(), ...newManagementToken() };
  await db.comparison.create({ data: { ...row, id: created.id, ownerTokenHash: created.hash, clientKey: context.clientKey, rebuild: true } });
  return { id: created.id, url: `/c/${created.id}`, status: "queued", managementToken: created.token };
}

/**
 * Cancels a comparison: a queued one at once; a running one by a request written to its
 * row, which the worker holding it acts on within a second or two (awaited up to `waitMs`).
 * A succeeded comparison whose advice is queued or running keeps its status: its advice
 * is what stops (`adviceStatus` in the answer).
 */
export async function cancelComparison(db: Db, id: string, waitMs = 5000): Promise<{ id: string; status: string; adviceStatus?: string | null }> {
  const row = await db.comparison.findUnique({ where: { id }, select: { status: true } });
  if (!row) throw comparisonNotFound(id);
  const now = await requestCancel(db, id);
  if (now !== null) {
    const current = now === "running" ? await acted(db, id, waitMs, (r) => r.status !== "running") : null;
    return { id, status: current?.status ?? now };
  }
  const advice = await requestAdviceCancel(db, id);
  if (advice === null) {
    throw new UserError("ALREADY_FINISHED", `The comparison has already ${row.status}; there is nothing to cancel.`, "conflict");
  }
  const current = advice === "running" ? await acted(db, id, waitMs, (r) => r.adviceStatus !== "running") : null;
  return { id, status: row.status, adviceStatus: current?.adviceStatus ?? advice };
}

/** The row once `done` says its worker acted on the cancel; null after `waitMs` (or when it is gone). */
async function acted(db: Db, id: string, waitMs: number, done: (row: { status: string; adviceStatus: string | null }) => boolean) {
  for (let waited = 0; waited < waitMs; waited += 200) {
    const current = await db.comparison.findUnique({ where: { id }, select: { status: true, adviceStatus: true } });
    if (!current || done(current)) return current;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return null;
}

/**
 * Deletes a comparison (its variants and layers go with it) and leaves the removal of
 * its images to the worker of the engine that built them. A running comparison must be
 * canceled first.
 */
export async function deleteComparison(db: Db, id: string): Promise<boolean> {
  const row = await db.comparison.findUnique({ where: { id }, select: { status: true, engineId: true } });
  if (!row) return false;
  if (row.status === "running") {
    throw new UserError("STILL_RUNNING", "The comparison is running; cancel it first, then delete it.", "conflict");
  }
  const images = await db.variant.findMany({ where: { comparisonId: id, imageId: { not: null } }, select: { imageId: true } });
  const engineId = row.engineId;
  await db.$transaction([
    db.comparison.delete({ where: { id } }),
    ...(engineId ? [db.imageRemoval.createMany({ data: images.map(({ imageId }) => ({ engineId, imageId: imageId! })) })] : []),
  ]);
  return true;
}
