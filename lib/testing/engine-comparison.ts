// One comparison row run through the pipeline on the real engine, as the engine tests of
// fixture repositories do it: the row is made running and asks to be built (a test is
// about its build, not a reuse), the pipeline runs, the view is read back with its
// variants by key, and the images it built are remembered for the test's cleanup.
import type { Db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { ComparisonView, VariantView } from "@/lib/comparisons/types";
import { runComparison, type PipelineDeps } from "@/lib/jobs/pipeline";
import { getComparison } from "@/lib/reads/queries";

export type ComparedView = ComparisonView & { by: Record<string, VariantView> };

export async function runOnEngine(
  db: Db,
  row: Omit<Prisma.ComparisonUncheckedCreateInput, "status" | "rebuild">,
  deps: Omit<PipelineDeps, "db">,
  builtImages: string[],
): Promise<ComparedView> {
  await db.comparison.create({ data: { ...row, status: "running", rebuild: true } });
  await runComparison(row.id, { db, ...deps });
  const view = (await getComparison(db, row.id))!;
  for (const variant of view.variants) if (variant.imageId) builtImages.push(variant.imageId);
  return { ...view, by: Object.fromEntries(view.variants.map((v) => [v.key, v])) };
}
