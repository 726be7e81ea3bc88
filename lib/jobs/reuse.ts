// Answers from the database: a comparison whose build is the same as an earlier one's
// (build-key.ts: the same source version, settings, Dockerfiles, base image IDs and
// engine) shows that comparison's results instead of building again, as long as the
// engine still holds its images (retention may have removed them). A submission with
// `rebuild` builds regardless; either way the key is kept for later comparisons.
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { Db } from "@/lib/db";
import type { Engine } from "@/lib/engine/engine";
import { buildKey } from "@/lib/jobs/build-key";
import type { PlannedJob } from "@/lib/jobs/plan-comparison";
import { copyResults, recordBuildKey } from "@/lib/jobs/state";

export interface ReuseInput {
  id: string;
  comparison: { repo: string; subdir: string | null; runArgs: string | null; runEnv: string | null; engineId: string | null; rebuild: boolean };
  source: { dir: string; commit: string | null };
  mainPackage: string;
  jobs: PlannedJob[];
}

/** The earlier comparison whose results were copied into this one, or null: build it. */
export async function reuseEarlier(input: ReuseInput, { db, engine }: { db: Db; engine: Engine }): Promise<string | null> {
  const engineId = input.comparison.engineId ?? (await engine.identity()).id;
  // Every variant names the Go builder: each base image is asked for once.
  const ids = new Map<string, Promise<string>>();
  const imageId = (ref: string) => {
    if (!ids.has(ref)) ids.set(ref, engine.image(ref).then((image) => image?.id ?? `absent:${ref}`, () => `absent:${ref}`));
    return ids.get(ref)!;
  };
  const key = buildKey({
    repo: input.comparison.repo,
    sourceVersion: input.source.commit ?? (await folderDigest(input.source.dir)),
    subdir: input.comparison.subdir,
    mainPackage: input.mainPackage,
    runArgs: input.comparison.runArgs,
    runEnv: input.comparison.runEnv,
    engineId,
    variants: await Promise.all(
      input.jobs.map(async (job) => ({
        key: job.key,
        // As built: a generated one names its caches by the module settings too (cache-scope.ts).
        dockerfile: job.dockerfile ?? job.ownDockerfile ?? job.displayDockerfile,
        baseImageIds: await Promise.all(job.baseImages.map(imageId)),
      })),
    ),
  });
  await recordBuildKey(db, input.id, key);
  if (input.comparison.rebuild) return null;

  const earlier = await db.comparison.findFirst({
    where: { buildKey: key, status: "succeeded", id: { not: input.id } },
    orderBy: { createdAt: "desc" },
    select: { id: true, variants: { select: { imageId: true } } },
  });
  if (!earlier) return null;
  // Every image it measured must still be on the engine: its results are about them.
  for (const { imageId: image } of earlier.variants) if (image && !(await engine.image(image).catch(() => null))) return null;
  await copyResults(db, input.id, earlier.id, `Same build as /c/${earlier.id}: the same commit, settings and base images on the same engine, so its results are shown here, not built again.`);
  return earlier.id;
}

/** A digest of the files under `dir` (a bundled example has no commit): paths and contents. */
async function folderDigest(dir: string): Promise<string> {
  const hash = createHash("sha256");
  const walk = async (relative: string): Promise<void> => {
    const entries = (await readdir(path.join(dir, relative), { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const name = path.posix.join(relative, entry.name);
      if (entry.isDirectory() && entry.name !== ".git") await walk(name);
      else if (entry.isFile()) hash.update(`${name}\0`).update(await readFile(path.join(dir, name))).update("\0");
    }
  };
  await walk("");
  return `files:${hash.digest("hex")}`;
}
