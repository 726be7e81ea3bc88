// Images are kept for the newest comparisons only, so the engine's disk does not fill
// up. The build cache gives two comparisons of the same source the same image ID, so
// an image goes only when no kept comparison still points at it.
import type { Db } from "@/lib/db";
import type { Engine } from "@/lib/engine/engine";
import { UserError } from "@/lib/errors";

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

export async function pruneImages(db: Db, engine: Engine, keep: number): Promise<number> {
  const variants = await db.variant.findMany({
    where: { imageId: { not: null } },
    select: { comparisonId: true, imageId: true, comparison: { select: { createdAt: true } } },
  });
  const refs = variants.map((v) => ({ comparisonId: v.comparisonId, imageId: v.imageId!, createdAt: v.comparison.createdAt }));
  const doomed = imagesToRemove(refs, keep);
  for (const imageId of doomed) await engine.removeImage(imageId).catch(() => {});
  return doomed.length;
}

/**
 * Deletes a comparison (its variants and layers go with it) and every image of it that
 * no other comparison uses. A running comparison must be canceled first.
 */
export async function deleteComparison(db: Db, engine: Engine, id: string): Promise<boolean> {
  const row = await db.comparison.findUnique({ where: { id }, select: { status: true } });
  if (!row) return false;
  if (row.status === "running") {
    throw new UserError("STILL_RUNNING", "The comparison is running; cancel it first, then delete it.", "conflict");
  }
  const images = await db.variant.findMany({ where: { comparisonId: id, imageId: { not: null } }, select: { imageId: true } });
  await db.comparison.delete({ where: { id } });
  for (const { imageId } of images) {
    const shared = await db.variant.count({ where: { imageId } });
    if (shared === 0) await engine.removeImage(imageId!).catch(() => {});
  }
  return true;
}
