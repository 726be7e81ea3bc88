// The use case: run one comparison from its row to its finished variants. Reads the
// module, plans the variants, builds each on the engine, measures it and stores
// everything. Progress is written to the rows as it happens: the database is the truth
// the pages read. Outside systems come in as arguments, so tests can pick them.
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import type { BaseImages } from "@/lib/config";
import type { Db } from "@/lib/db";
import { planVariants, DEFAULT_VARIANTS, type PlannedVariant } from "@/lib/dockerfiles/plan";
import type { BuildPlan } from "@/lib/dockerfiles/generate";
import { buildContext, DOCKERFILE_NAME } from "@/lib/engine/build-context";
import { BuildFailedError, EngineUnavailableError, LABEL_APP, LABEL_COMPARISON, LABEL_VARIANT, type Engine } from "@/lib/engine/engine";
import { describeUnexpected, UserError } from "@/lib/errors";
import { toLayers, totalSize } from "@/lib/measure/layers";
import { chooseBuilder, parseGoMod } from "@/lib/source/go-mod";
import type { SourceResolver } from "@/lib/source/resolve";
import { LogBuffer, summarizeFailure } from "./build-log";

export interface PipelineDeps {
  db: Db;
  engine: Engine;
  bases: BaseImages;
  resolveSource: SourceResolver;
  /** How often a running build's log is saved, so the page can show it. */
  logFlushMs?: number;
}

export async function runComparison(id: string, deps: PipelineDeps): Promise<void> {
  const { db } = deps;
  const comparison = await db.comparison.findUniqueOrThrow({ where: { id } });
  const setPhase = (phase: string) => db.comparison.update({ where: { id }, data: { phase } });
  let source: Awaited<ReturnType<SourceResolver>> | null = null;
  try {
    await deps.engine.version();
    await setPhase("preparing the source");
    source = await deps.resolveSource(comparison);
    const { plan, module, goVersion } = await readModule(source.dir, deps.bases);
    const planned = planVariants(DEFAULT_VARIANTS, plan, deps.bases);
    await db.$transaction([
      db.comparison.update({
        where: { id },
        data: { commit: source.commit, module, goVersion, mainPackage: plan.mainPackage, phase: "building" },
      }),
      db.variant.deleteMany({ where: { comparisonId: id } }),
      db.variant.createMany({
        data: planned.map((v, position) => ({
          comparisonId: id,
          key: v.key,
          naive: v.naive,
          position,
          dockerfile: v.dockerfile,
          baseImages: JSON.stringify(v.baseImages),
        })),
      }),
    ]);
    for (const [n, variant] of planned.entries()) {
      await setPhase(`building ${variant.key} (${n + 1} of ${planned.length})`);
      await buildVariant(id, variant, source.dir, deps);
    }
    await finish(db, id, "succeeded");
  } catch (error) {
    if (error instanceof UserError || error instanceof EngineUnavailableError) {
      const code = error instanceof UserError ? error.code : "ENGINE_UNAVAILABLE";
      await finish(db, id, "failed", { code, message: error.message });
    } else {
      await finish(db, id, "failed", describeUnexpected(error, `comparison ${id}`));
    }
  } finally {
    await source?.cleanup().catch((error) => describeUnexpected(error, `cleanup of comparison ${id}`));
  }
}

async function readModule(dir: string, bases: BaseImages): Promise<{ plan: BuildPlan; module: string; goVersion: string | null }> {
  const goModText = await readFile(path.join(dir, "go.mod"), "utf8").catch(() => null);
  if (goModText === null) throw new UserError("NO_GO_MOD", "The source has no go.mod at its root.", "invalid", "subdir");
  const goMod = parseGoMod(goModText);
  const builder = chooseBuilder(goMod.goVersion, bases.golang);
  if (!builder) throw new UserError("NO_BUILDER", "No Go builder image is configured (SLIMSTAGE_BASE_GOLANG).", "unavailable");
  const hasGoSum = await stat(path.join(dir, "go.sum")).then((s) => s.isFile(), () => false);
  return {
    plan: { builderImage: builder.image, mainPackage: ".", hasGoSum, needs: { tzdata: false, caRoots: false, cgo: false } },
    module: goMod.module,
    goVersion: goMod.goVersion,
  };
}

async function buildVariant(comparisonId: string, variant: PlannedVariant, dir: string, deps: PipelineDeps): Promise<void> {
  const { db, engine } = deps;
  const where = { comparisonId_key: { comparisonId, key: variant.key } };

  const missing: string[] = [];
  for (const ref of variant.baseImages) if (!(await engine.image(ref))) missing.push(ref);
  if (missing.length) {
    const reason = `base image ${missing.join(", ")} is not available on the engine (run scripts/base-images.sh or configure SLIMSTAGE_BASE_*)`;
    await db.variant.update({ where, data: { status: "skipped", reason } });
    return;
  }

  await db.variant.update({ where, data: { status: "building" } });
  const log = new LogBuffer();
  const flushEvery = deps.logFlushMs ?? 1500;
  let lastFlush = Date.now();
  let flushing: Promise<unknown> = Promise.resolve();
  const started = performance.now();
  try {
    const { imageId } = await engine.build({
      context: buildContext({ sourceDir: dir, dockerfile: variant.dockerfile }),
      dockerfile: DOCKERFILE_NAME,
      labels: { [LABEL_APP]: "slimstage", [LABEL_COMPARISON]: comparisonId, [LABEL_VARIANT]: variant.key },
      onLog: (line) => {
        log.push(line);
        if (Date.now() - lastFlush > flushEvery) {
          lastFlush = Date.now();
          flushing = flushing.then(() => db.variant.update({ where, data: { buildLog: log.toString() } })).catch(() => {});
        }
      },
    });
    const buildSeconds = (performance.now() - started) / 1000;
    await flushing;
    const [image, history, base] = await Promise.all([
      engine.image(imageId),
      engine.history(imageId),
      variant.runtimeImage ? engine.image(variant.runtimeImage) : Promise.resolve(null),
    ]);
    const layers = toLayers(history, { id: base?.id ?? null, historyLength: base?.historyLength ?? 0 });
    await db.$transaction([
      db.layer.deleteMany({ where: { variant: { comparisonId, key: variant.key } } }),
      db.variant.update({
        where,
        data: {
          status: "built",
          imageId,
          sizeBytes: BigInt(image?.sizeBytes ?? totalSize(layers)),
          buildSeconds,
          buildLog: log.toString(),
          layers: {
            create: layers.map((layer) => ({ ...layer, sizeBytes: BigInt(layer.sizeBytes) })),
          },
        },
      }),
    ]);
  } catch (error) {
    await flushing;
    if (error instanceof EngineUnavailableError) throw error;
    const reason =
      error instanceof BuildFailedError
        ? summarizeFailure(log.tail(60), error.message)
        : describeUnexpected(error, `build of ${comparisonId}/${variant.key}`).message;
    await db.variant.update({
      where,
      data: { status: "failed", reason, buildLog: log.toString(), buildSeconds: (performance.now() - started) / 1000 },
    });
  }
}

async function finish(db: Db, id: string, status: "succeeded" | "failed", error?: { code: string; message: string }) {
  await db.comparison.update({
    where: { id },
    data: { status, phase: null, finishedAt: new Date(), errorCode: error?.code ?? null, errorMessage: error?.message ?? null },
  });
}
