// Keeps one engine's disk within its budget: the bytes its images and build cache take,
// as `docker system df` counts them. The build cache is pruned to its share first (the
// share keeps the next build of a repository fast); then the images of the oldest
// comparisons built on this engine go, one comparison at a time, until the rest fits;
// when even that is not enough, the build cache gives up the rest of its share.
// Never a named image (a base image, the prober: any tag outside the variants'
// repository), never one a running comparison or a kept newer one still uses. The rows
// keep their measurements: a comparison whose images went still shows its numbers, and
// "build again" rebuilds it. Count-based retention (SLIMSTAGE_KEEP_IMAGES) is
// retention.ts; this is the same job in bytes.
import type { Db } from "@/lib/db";
import { LABEL_COMPARISON, type DiskImage, type DiskUsage, type Engine } from "@/lib/engine/engine";
import { reportDisk } from "@/lib/jobs/presence";

export interface BudgetComparison {
  id: string;
  createdAt: Date;
  running: boolean;
  imageIds: string[];
}

export interface BudgetPlan {
  /** Prune the build cache down to this many bytes; null when it is within its share. */
  buildCacheKeepBytes: number | null;
  /** Oldest first: each comparison's images to remove, and the bytes that frees at least. */
  removals: Array<{ comparisonId: string; imageIds: string[]; bytes: number }>;
  /** Bytes over the budget once the cache is pruned (0 when within). */
  overBytes: number;
}

/** A named image: tagged outside the variants' repository (a base image, the prober, anyone's own). */
export function named(image: DiskImage, variantsRepository: string): boolean {
  return image.tags.some((tag) => {
    const repository = tag.slice(0, tag.lastIndexOf(":"));
    return repository !== variantsRepository && !repository.endsWith(`/${variantsRepository}`);
  });
}

/** An image retention may remove: not named (untagged, or tagged only as the size registry's handle), in no container. */
export function removable(image: DiskImage, variantsRepository: string): boolean {
  return image.containers === 0 && !named(image, variantsRepository);
}

/** Pure: what to prune and remove so the engine's bytes fit `budgetBytes`. */
export function planDiskBudget(
  usage: DiskUsage,
  comparisons: readonly BudgetComparison[],
  budgetBytes: number,
  buildCachePercent: number,
  variantsRepository: string,
): BudgetPlan {
  const cacheShare = Math.floor((budgetBytes * buildCachePercent) / 100);
  const buildCacheKeepBytes = usage.buildCacheBytes > cacheShare ? cacheShare : null;
  const overBytes = Math.max(0, usage.imagesBytes + Math.min(usage.buildCacheBytes, cacheShare) - budgetBytes);
  const removals: BudgetPlan["removals"] = [];
  if (overBytes === 0) return { buildCacheKeepBytes, removals, overBytes };

  const onEngine = new Map(usage.images.map((image) => [image.id, image]));
  const newestFirst = [...comparisons].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id.localeCompare(a.id));
  // Images the newest comparison, and every running one, use: kept whatever happens.
  const keep = new Set(newestFirst.filter((c, i) => i === 0 || c.running).flatMap((c) => c.imageIds));
  const users = new Map<string, number>();
  for (const c of comparisons) for (const id of new Set(c.imageIds)) users.set(id, (users.get(id) ?? 0) + 1);

  let freed = 0;
  for (const c of [...newestFirst].reverse()) {
    if (freed >= overBytes) break;
    if (c.running) continue;
    const imageIds: string[] = [];
    let bytes = 0;
    for (const id of new Set(c.imageIds)) {
      const image = onEngine.get(id);
      users.set(id, (users.get(id) ?? 1) - 1);
      if (!image || keep.has(id) || !removable(image, variantsRepository) || (users.get(id) ?? 0) > 0) continue;
      imageIds.push(id);
      // Its own layers; layers it shares with another image are freed only with the last of them.
      bytes += Math.max(0, image.sizeBytes - image.sharedBytes);
    }
    if (imageIds.length === 0) continue;
    removals.push({ comparisonId: c.id, imageIds, bytes });
    freed += bytes;
  }
  // Still over with every image that may go gone: the build cache gives up the rest.
  const cacheKept = Math.min(usage.buildCacheBytes, cacheShare);
  const short = overBytes - freed;
  if (short > 0 && cacheKept > 0) return { buildCacheKeepBytes: Math.max(0, cacheKept - short), removals, overBytes };
  return { buildCacheKeepBytes, removals, overBytes };
}

/**
 * Pure: the images on the engine labelled with a comparison built here join that
 * comparison's list (images it made but did not record as a variant's: a failed build's,
 * an extra build's), so they go with it. Base images that lost their name
 * (org.slimstage.managed=base-image, untagged: a stand-in replaced by a newer recipe, a
 * classic build's stage) are orphans once an hour old. An image labelled with a
 * comparison this database does not know is left alone: it may be another instance's on
 * the same engine (a deleted comparison's images go through ImageRemoval instead).
 */
const ORPHAN_AGE_MS = 60 * 60_000;
const LABEL_MANAGED = "org.slimstage.managed";

export function attachLabelled(comparisons: readonly BudgetComparison[], images: readonly DiskImage[], now: Date): { comparisons: BudgetComparison[]; orphans: string[] } {
  const byId = new Map(comparisons.map((c) => [c.id, { ...c, imageIds: [...c.imageIds] }]));
  const orphans: string[] = [];
  for (const image of images) {
    const owner = image.labels[LABEL_COMPARISON];
    // A base image without a name: a stand-in replaced by a newer recipe, a classic build's stage.
    if (!owner && image.labels[LABEL_MANAGED] === "base-image" && image.tags.length === 0 && now.getTime() - image.createdAt.getTime() > ORPHAN_AGE_MS) {
      orphans.push(image.id);
      continue;
    }
    const comparison = owner ? byId.get(owner) : undefined;
    if (comparison && !comparison.imageIds.includes(image.id)) comparison.imageIds.push(image.id);
  }
  return { comparisons: [...byId.values()], orphans };
}

export interface DiskBudgetResult {
  usedBytes: number;
  budgetBytes: number;
  /** Images of comparisons, oldest first. */
  removedImages: number;
  /** Base images that lost their name. */
  removedOrphans: number;
  prunedBytes: number;
}

/**
 * The budget on one engine, measured again after each round (shared layers make the
 * estimate low), at most a few rounds; writes the engine's figures into the worker's row.
 */
export async function enforceDiskBudget(
  db: Db,
  engine: Engine,
  where: { engineId: string; workerId: string },
  budget: { bytes: number; buildCachePercent: number },
  variantsRepository: string,
): Promise<DiskBudgetResult> {
  let removedImages = 0;
  let removedOrphans = 0;
  let prunedBytes = 0;
  let usage = await engine.diskUsage();
  for (let round = 0; round < 5; round++) {
    const { comparisons, orphans } = attachLabelled(await comparisonsOn(db, where.engineId), usage.images, new Date());
    // Base images that lost their name: no one's, so first.
    for (const imageId of orphans) {
      const image = usage.images.find((i) => i.id === imageId);
      if (image && removable(image, variantsRepository)) {
        await engine.removeImage(imageId).catch(() => {});
        removedOrphans++;
      }
    }
    const plan = planDiskBudget(usage, comparisons, budget.bytes, budget.buildCachePercent, variantsRepository);
    if (plan.buildCacheKeepBytes !== null) prunedBytes += await engine.pruneBuildCache(plan.buildCacheKeepBytes);
    for (const removal of plan.removals) {
      for (const imageId of removal.imageIds) {
        await engine.removeImage(imageId).catch(() => {});
        removedImages++;
      }
    }
    usage = await engine.diskUsage();
    if (plan.removals.length === 0 || usage.imagesBytes + usage.buildCacheBytes <= budget.bytes) break;
  }
  const usedBytes = usage.imagesBytes + usage.buildCacheBytes;
  await reportDisk(db, where.workerId, usedBytes, budget.bytes);
  return { usedBytes, budgetBytes: budget.bytes, removedImages, removedOrphans, prunedBytes };
}

/**
 * The budget when none is configured: what the engine holds now plus half the free space
 * under its data root, so Slimstage never takes more than half of what is left. Where
 * this process cannot see that file system (a remote engine, a worker in a container),
 * 20 GB.
 */
export function defaultDiskBudget(usedBytes: number, freeBytes: number | null): number {
  if (freeBytes === null) return 20e9;
  return Math.max(2e9, Math.floor(usedBytes + freeBytes / 2));
}

async function comparisonsOn(db: Db, engineId: string): Promise<BudgetComparison[]> {
  const rows = await db.comparison.findMany({
    where: { engineId, variants: { some: { imageId: { not: null } } } },
    select: { id: true, createdAt: true, status: true, variants: { select: { imageId: true } } },
  });
  return rows.map((row) => ({
    id: row.id,
    createdAt: row.createdAt,
    running: row.status === "running" || row.status === "queued",
    imageIds: row.variants.flatMap((v) => (v.imageId ? [v.imageId] : [])),
  }));
}
