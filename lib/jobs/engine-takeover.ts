// When an engine's ID changes (the engine reinstalled, its key file or data root moved)
// its images are still there, but the rows name the old ID and no worker serves it: their
// retention and removals would never happen. A worker that starts finds the engine IDs
// no live worker serves, and takes over those whose images are on its own engine.
import type { Db } from "@/lib/db";
import type { DiskUsage } from "@/lib/engine/engine";
import { named } from "@/lib/jobs/disk-budget";
import { PRESENCE_STALE_MS } from "@/lib/jobs/presence";
import { VARIANTS_REPOSITORY } from "@/lib/jobs/variant-build";
import { takeOverEngine } from "@/lib/jobs/state";

export interface ForeignEngine {
  engineId: string;
  /** A live worker serves it: never taken over. */
  served: boolean;
  /** The image IDs its newest comparisons recorded (named images left out: a base image is on every engine). */
  imageIds: string[];
}

/** Pure: the engine IDs to take over — unserved, with at least half of their newest images on this engine. */
export function enginesToTakeOver(foreign: readonly ForeignEngine[], onThisEngine: ReadonlySet<string>): string[] {
  return foreign
    .filter((engine) => !engine.served && engine.imageIds.length > 0)
    .filter((engine) => engine.imageIds.filter((id) => onThisEngine.has(id)).length * 2 >= engine.imageIds.length)
    .map((engine) => engine.engineId);
}

/** At a worker's start: takes over the rows of the unserved engine IDs whose images this engine holds; resolves with those IDs. */
export async function takeOverMovedEngines(db: Db, engineId: string, usage: DiskUsage, now = new Date()): Promise<string[]> {
  const namedIds = new Set(usage.images.filter((image) => named(image, VARIANTS_REPOSITORY)).map((image) => image.id));
  const others = await db.comparison.groupBy({ by: ["engineId"], where: { engineId: { notIn: [engineId, ""] } } });
  const foreign: ForeignEngine[] = [];
  for (const { engineId: other } of others) {
    if (!other) continue;
    const served = (await db.worker.count({ where: { engineId: other, heartbeatAt: { gt: new Date(now.getTime() - PRESENCE_STALE_MS) } } })) > 0;
    const newest = await db.comparison.findMany({
      where: { engineId: other, variants: { some: { imageId: { not: null } } } },
      orderBy: { createdAt: "desc" },
      take: 10,
      select: { variants: { select: { imageId: true } } },
    });
    const imageIds = [...new Set(newest.flatMap((c) => c.variants.flatMap((v) => (v.imageId && !namedIds.has(v.imageId) ? [v.imageId] : []))))];
    foreign.push({ engineId: other, served, imageIds });
  }
  const present = new Set(usage.images.map((image) => image.id));
  const taken = enginesToTakeOver(foreign, present);
  for (const old of taken) await takeOverEngine(db, old, engineId);
  return taken;
}
