// A comparison run inside the bench process exactly as a build worker runs it
// (lib/roots/worker.ts): the same size registry with its stores (compressed sizes and
// file lists by digest, the Go binary captured on the way), the same pipeline settings
// from the Config. Only the claim is skipped: the row starts out running.
import type { Config } from "@/lib/config";
import type { Db } from "@/lib/db";
import type { Engine } from "@/lib/engine/engine";
import { databaseBlobSizes, databaseLayerFiles } from "@/lib/db/blob-stores";
import { runComparison, type PipelineDeps } from "@/lib/jobs/pipeline";
import { getComparison } from "@/lib/reads/queries";
import type { ComparisonView } from "@/lib/comparisons/types";
import { captureGoBinary } from "@/lib/measure/image-analysis";
import { startSizeRegistry, type SizeRegistry } from "@/lib/measure/size-registry";
import { makeSourceResolver } from "@/lib/source/resolve";
import { z } from "zod";

/** A size registry on a free loopback port over `db`'s stores, as a worker starts one. */
export function startBenchRegistry(db: Db): Promise<SizeRegistry> {
  return startSizeRegistry({ port: 0, sizes: databaseBlobSizes(db), files: databaseLayerFiles(db), captureFile: captureGoBinary });
}

export function workerDeps(config: Config, db: Db, engine: Engine, registry: SizeRegistry, buildArgs: Record<string, string>): PipelineDeps {
  return {
    db,
    engine,
    bases: config.baseImages,
    resolveSource: makeSourceResolver({ policy: config.repoPolicy, limits: config.cloneLimits, examplesDir: config.examplesDir }),
    registry,
    layerFiles: databaseLayerFiles(db),
    buildLimits: config.buildLimits,
    buildArgs,
    buildNetwork: config.buildNetwork,
    repoBuildNetwork: config.repoBuildNetwork,
    repoBases: config.repoBases,
    runTimeoutSeconds: config.runTimeoutSeconds,
    buildTimeLimitMs: config.timeLimits.buildMs,
  };
}

// Only the figure the bench needs from the analysis column (the tree is not checked here).
const analysisTime = z.object({ analysisMs: z.number().nonnegative() });

export interface RanComparison {
  wall: number;
  view: ComparisonView;
  /** Sum of the variants' own analysis times (analysisMs), in seconds. */
  analysisSeconds: number;
  analysedVariants: number;
}

/**
 * Creates the row (running), runs the whole pipeline, and reads the result back; throws
 * unless it succeeded. `rebuild`: built even when an earlier comparison had the same build.
 */
export async function runInProcess(id: string, repo: string, deps: PipelineDeps, options: { variants?: string[]; rebuild?: boolean } = {}): Promise<RanComparison> {
  const { db } = deps;
  const { variants, rebuild = false } = options;
  await db.comparison.create({
    data: { id, repo, status: "running", startedAt: new Date(), variantKeys: variants ? JSON.stringify(variants) : null, clientKey: "bench", rebuild },
  });
  const begun = performance.now();
  await runComparison(id, deps);
  const wall = (performance.now() - begun) / 1000;
  const view = await getComparison(db, id);
  if (!view || view.status !== "succeeded") {
    throw new Error(`the comparison ${id} ended ${view?.status ?? "missing"}: ${view?.error?.code ?? ""} ${view?.error?.message ?? ""}`);
  }
  const rows = await db.variant.findMany({ where: { comparisonId: id, analysis: { not: null } }, select: { analysis: true } });
  const analysisMs = rows.map((row) => analysisTime.parse(JSON.parse(row.analysis!)).analysisMs);
  return { wall, view, analysisSeconds: analysisMs.reduce((sum, ms) => sum + ms, 0) / 1000, analysedVariants: analysisMs.length };
}
