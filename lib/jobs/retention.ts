// Images live on the engine that built them, and only that engine's worker removes
// them. Two ways they go: retention (images are kept for the newest comparisons built
// on this engine only, so its disk does not fill up) and deletion (DELETE removes the
// rows at once and leaves an ImageRemoval for the engine that has the images: see
// deleteComparison in lib/comparisons/service.ts). The
// build cache gives two comparisons of the same source the same image ID, so an image
// goes only when no kept comparison on the same engine still points at it.
import type { Db } from "@/lib/db";
import type { Engine } from "@/lib/engine/engine";

export interface ImageRef {
  comparisonId: string;
  createdAt: Date;
  imageId: string;
}

/** Pure: the image IDs that belong only to comparisons older than the newest `keep`. */
export function imagesToRemove(refs: ImageRef[], keep: number): string[] {
  const order = [...new Map(refs.map((r) => [r.comparisonId, r.createdAt])).entries()]
    .sort((a, b) => b[1].getTime() - a[1].getTime() || b[0].localeCompare(a[0]))
    .map(([id]) => id);
  const kept = new Set(order.slice(0, keep));
  const stillUsed = new Set(refs.filter((r) => kept.has(r.comparisonId)).map((r) => r.imageId));
  return [...new Set(refs.filter((r) => !kept.has(r.comparisonId) && !stillUsed.has(r.imageId)).map((r) => r.imageId))];
}

/** Retention on one engine: only comparisons that engine built are counted or touched. */
export async function pruneImages(db: Db, engine: Engine, engineId: string, keep: number): Promise<number> {
  const variants = await db.variant.findMany({
    where: { imageId: { not: null }, comparison: { engineId } },
    select: { comparisonId: true, imageId: true, comparison: { select: { createdAt: true } } },
  });
  const refs = variants.map((v) => ({ comparisonId: v.comparisonId, imageId: v.imageId!, createdAt: v.comparison.createdAt }));
  const doomed = imagesToRemove(refs, keep);
  for (const imageId of doomed) await engine.removeImage(imageId).catch(() => {});
  return doomed.length;
}

/** The removals left for this engine, done where no comparison built here still uses the image. */
export async function removeRequestedImages(db: Db, engine: Engine, engineId: string): Promise<number> {
  const requests = await db.imageRemoval.findMany({ where: { engineId }, take: 100 });
  let removed = 0;
  for (const request of requests) {
    const used = await db.variant.count({ where: { imageId: request.imageId, comparison: { engineId } } });
    if (used === 0) {
      await engine.removeImage(request.imageId).catch(() => {});
      removed++;
    }
    await db.imageRemoval.delete({ where: { id: request.id } });
  }
  return removed;
}
