// One variant from Dockerfile to measured image: check its base images, build it on
// the engine (log saved as it comes, so the page shows progress), then (measureVariant)
// measure it:
// size, layers split into base and app, and compressed sizes from a push to the size
// registry (or, when the engine cannot reach it, from the image export).
import type { Db } from "@/lib/db";
import { buildContext, DOCKERFILE_NAME } from "@/lib/engine/build-context";
import { BuildFailedError, EngineUnavailableError, PullFailedError, PushFailedError, LABEL_APP, LABEL_COMPARISON, LABEL_VARIANT, type Engine } from "@/lib/engine/engine";
import { describeUnexpected } from "@/lib/errors";
import { createLogger, type Logger } from "@/lib/log";
import { formatSeconds } from "@/lib/format";
import { imageFromPush, readImageArchive, type ArchiveImage, type Measured } from "@/lib/measure/image-archive";
import type { LayerFileStore, SizeRegistry } from "@/lib/measure/size-registry";
import { attachCompressed, toLayers, totalSize } from "@/lib/measure/layers";
import { analyzeImage, captureGoBinary, type VariantAnalysis } from "@/lib/measure/image-analysis";
import { LogBuffer, looksLikeNetworkFailure, summarizeFailure } from "@/lib/jobs/build-log";
import { changeVariant } from "@/lib/jobs/state";
import { explainFrontendFailure } from "@/lib/dockerfiles/frontend";

export interface VariantJob {
  comparisonId: string;
  key: string;
  /** Generated Dockerfile text, or null to build the source's own Dockerfile. */
  dockerfile: string | null;
  /** With dockerfile null: the own Dockerfile's text as it is built (syntax line left out, stand-ins), or null: as it is. */
  ownDockerfile?: string | null;
  /** BuildKit or the classic builder (Engine.builder()). */
  builder?: "buildkit" | "classic";
  baseImages: string[];
  /** The final stage's base image, whose layers count as "from the base". */
  runtimeImage: string | null;
  sourceDir: string;
  buildArgs: Record<string, string>;
  networkMode?: string;
  signal?: AbortSignal;
  /** A build still running after this long fails (the comparison goes on). */
  buildTimeLimitMs?: number;
}

export interface VariantBuildDeps {
  db: Db;
  engine: Engine;
  /** Where compressed sizes come from; without it, from the image export. */
  registry?: SizeRegistry;
  /** Layers' file lists by digest (those the registry already knew come from here). */
  layerFiles?: LayerFileStore;
  /** Processes and bytes one build may use (SLIMSTAGE_BUILD_PIDS, SLIMSTAGE_MAX_IMAGE_MB). */
  buildLimits?: { pids: number; maxImageBytes: number; cgroupParent: string | undefined };
  logFlushMs?: number;
  /** The worker's logger with the comparison's id and this variant's key. */
  log?: Logger;
}

const logOf = (job: VariantJob, deps: VariantBuildDeps): Logger =>
  deps.log ?? createLogger({ role: "worker", level: "warn" }).child({ comparisonId: job.comparisonId, variant: job.key });

export type BuildOutcome = { status: "built"; imageId: string } | { status: "failed" | "skipped" };

/**
 * Builds the variant's image and saves its log; measureVariant comes next. Skipped
 * means no build ran (a base image is missing).
 */
export async function buildVariant(job: VariantJob, deps: VariantBuildDeps): Promise<BuildOutcome> {
  const { db, engine } = deps;
  const ref = { comparisonId: job.comparisonId, key: job.key };

  await changeVariant(db, ref, { status: "building" });
  const log = new LogBuffer();
  const flushEvery = deps.logFlushMs ?? 1500;
  let lastFlush = Date.now();
  let flushing: Promise<unknown> = Promise.resolve();
  const onLog = (line: string) => {
    log.push(line);
    if (Date.now() - lastFlush > flushEvery) {
      lastFlush = Date.now();
      flushing = flushing.then(() => changeVariant(db, ref, { status: "log", buildLog: log.toString() })).catch(() => {});
    }
  };

  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  const stepLimit = AbortSignal.timeout(job.buildTimeLimitMs ?? 20 * 60_000);
  const buildSignal = job.signal ? AbortSignal.any([job.signal, stepLimit]) : stepLimit;
  try {
    // A base image the engine does not have is pulled first, the engine's progress in the
    // build log; when the pull fails, this variant is skipped with why and the others go on.
    for (const image of job.baseImages) {
      if (await engine.image(image)) continue;
      onLog(`Pulling ${image}: the engine does not have it`);
      try {
        await engine.pull(image, onLog, job.signal);
        logOf(job, deps).info({ image }, "pulled a base image");
      } catch (error) {
        if (!(error instanceof PullFailedError) || job.signal?.aborted) throw error;
        logOf(job, deps).warn({ image, kind: error.kind, reason: error.message }, "a base image could not be pulled; the variant is skipped");
        await flushing;
        await changeVariant(db, ref, { status: "log", buildLog: log.toString() });
        await changeVariant(db, ref, { status: "skipped", reason: `Base image ${image} is not on the engine and could not be pulled. ${error.message}` });
        return { status: "skipped" };
      }
    }
    const { imageId } = await engine.build({
      context: buildContext({ sourceDir: job.sourceDir, dockerfile: job.dockerfile, ownDockerfile: job.ownDockerfile }),
      dockerfile: DOCKERFILE_NAME,
      builder: job.builder,
      labels: { [LABEL_APP]: "slimstage", [LABEL_COMPARISON]: job.comparisonId, [LABEL_VARIANT]: job.key },
      buildArgs: job.buildArgs,
      networkMode: job.networkMode,
      pidsLimit: deps.buildLimits?.pids,
      cgroupParent: deps.buildLimits?.cgroupParent,
      maxImageBytes: deps.buildLimits?.maxImageBytes,
      signal: buildSignal,
      onLog,
    });
    const buildSeconds = seconds();
    await flushing;
    await changeVariant(db, ref, { status: "log", buildLog: log.toString(), buildSeconds, imageId });
    logOf(job, deps).info({ buildSeconds: Math.round(buildSeconds * 1000) / 1000, imageId }, "variant built");
    return { status: "built", imageId };
  } catch (error) {
    await flushing;
    if (job.signal?.aborted) throw error;
    // An engine that stops mid-build sends odd last words; say what happened instead, and
    // end the comparison (the other variants cannot be built either).
    const engineDown = await isEngineDown(error, engine);
    const reason = engineDown
      ? `The Docker Engine stopped answering during this build (${error instanceof Error ? error.message : String(error)}). Submit the comparison again once it is back.`
      : stepLimit.aborted
        ? `The build took longer than ${formatSeconds((job.buildTimeLimitMs ?? 20 * 60_000) / 1000)} and was stopped.`
        : error instanceof BuildFailedError
          ? ((await frontendFailure(job, error, engine)) ??
            basePullFailure(error) ??
            withNetworkNote(summarizeFailure(log.tail(60), error.message), job))
          : describeUnexpected(error, `build of ${job.comparisonId}/${job.key}`, logOf(job, deps)).message;
    await changeVariant(db, ref, { status: "failed", reason, buildLog: log.toString(), buildSeconds: seconds() });
    logOf(job, deps).warn({ reason, engineDown }, "variant failed");
    if (engineDown) throw error instanceof EngineUnavailableError ? error : new EngineUnavailableError("the Docker Engine stopped answering during a build");
    return { status: "failed" };
  }
}

/**
 * Measures a built variant: "built" with its size, layers and compressed sizes, or
 * "failed" with the reason. Returns whether it was measured. The run check may run
 * meanwhile: its verdict is kept either way.
 */
export async function measureVariant(job: VariantJob, imageId: string, deps: VariantBuildDeps): Promise<boolean> {
  try {
    await measure(job, imageId, deps);
    return true;
  } catch (error) {
    if (job.signal?.aborted) throw error;
    const engineDown = await isEngineDown(error, deps.engine);
    const cause = error instanceof Error ? error.message : String(error);
    const reason = engineDown
      ? `The Docker Engine stopped answering while this image was measured (${cause}). Submit the comparison again once it is back.`
      : `The image was built but could not be measured: ${describeUnexpected(error, `measuring ${job.comparisonId}/${job.key}`, logOf(job, deps)).message}`;
    await changeVariant(deps.db, { comparisonId: job.comparisonId, key: job.key }, { status: "failed", reason });
    if (engineDown) throw error instanceof EngineUnavailableError ? error : new EngineUnavailableError("the Docker Engine stopped answering while an image was measured");
    return false;
  }
}

// The repository's Dockerfile used a feature the engine's Dockerfile frontend does not know.
async function frontendFailure(job: VariantJob, error: BuildFailedError, engine: Engine): Promise<string | null> {
  if (job.dockerfile !== null || !job.ownDockerfile) return null;
  const version = await engine.version().then((v) => v.version, () => "unknown");
  return explainFrontendFailure(job.ownDockerfile, error.message, version);
}

// BuildKit pulls the bases a Dockerfile names by itself (an ARG in a FROM, a COPY --from
// image): when it cannot, the build's network setting is not why.
function basePullFailure(error: BuildFailedError): string | null {
  const pull = error.message.match(/(?:failed to do request: Head|failed to resolve source metadata for|pull access denied for) "?([^"\s:]+[^"\s]*)"?/);
  if (!pull) return null;
  const ref = pull[1].replace(/^https:\/\/[^/]+\/v2\/(.+)\/manifests\/(.+)$/, "$1:$2").replace(/^library\//, "");
  return `A base image the Dockerfile names (${ref}) is not on the engine and could not be pulled: ${error.message}`;
}

const isEngineDown = async (error: unknown, engine: Engine): Promise<boolean> =>
  error instanceof EngineUnavailableError || !(await engine.version().then(() => true, () => false));

async function measure(job: VariantJob, imageId: string, deps: VariantBuildDeps): Promise<void> {
  const { db, engine } = deps;
  const [image, history, base] = await Promise.all([
    engine.image(imageId),
    engine.history(imageId),
    job.runtimeImage ? engine.image(job.runtimeImage) : Promise.resolve(null),
  ]);
  const archive = await compressedSizes(job, imageId, deps);
  // The image's real layers, as its config lists them (a 0-byte layer is one too).
  const layers = toLayers(history, { id: base?.id ?? null, historyLength: base?.historyLength ?? 0 }, archive);
  const measured = attachCompressed(layers, archive);
  const analysed = await Promise.all(
    measured.map(async (m) => ({
      files: m.layer?.files ?? (m.layer?.digest && deps.layerFiles ? await deps.layerFiles.getFiles(m.layer.digest).catch(() => null) : null),
      captured: m.layer?.captured ?? null,
      fromBase: m.fromBase,
    })),
  );
  const appDigests = measured.filter((m) => !m.fromBase && m.layer?.digest).map((m) => m.layer!.digest!);
  const analysis = analyzeImage(analysed, await knownBinary(db, appDigests));
  await changeVariant(db, { comparisonId: job.comparisonId, key: job.key }, {
    status: "built",
    sizeBytes: image?.sizeBytes ?? totalSize(layers),
    compressedBytes: archive.compressedBytes,
    layers: measured.map(({ layer, ...record }) => ({ ...record, digest: layer?.digest ?? null })),
    analysis,
  });
}

// An app layer the registry already knew was not read again, so its binary was not
// captured: the analysis of the variant that first measured that layer has it.
async function knownBinary(db: Db, appDigests: string[]): Promise<VariantAnalysis["binary"]> {
  if (appDigests.length === 0) return null;
  const rows = await db.layer.findMany({
    where: { digest: { in: appDigests }, variant: { analysis: { not: null } } },
    select: { variant: { select: { analysis: true } } },
    take: 5,
  });
  for (const row of rows) {
    const binary = (JSON.parse(row.variant.analysis!) as Partial<VariantAnalysis>).binary;
    if (binary) return binary;
  }
  return null;
}

// Said only where the step's output shows a download that found no network.
const withNetworkNote = (reason: string, job: VariantJob) =>
  job.dockerfile === null && job.networkMode === "none" && looksLikeNetworkFailure(reason) ? reason + NO_NETWORK_NOTE : reason;

const NO_NETWORK_NOTE =
  " This server builds a repository's own Dockerfile with no network (SLIMSTAGE_REPO_BUILD_NETWORK=none), so steps that" +
  " download (go mod download, apk add, curl) fail: vendor the modules (go mod vendor), or ask the operator to set" +
  " SLIMSTAGE_REPO_BUILD_NETWORK=bridge if they trust the repositories they build.";

/** The repository of the size registry that variants are pushed to, as `<comparison>-<variant>`. */
export const VARIANTS_REPOSITORY = "slimstage/variants";

async function compressedSizes(job: VariantJob, imageId: string, deps: VariantBuildDeps): Promise<ArchiveImage> {
  const { db, engine, registry, layerFiles } = deps;
  if (registry) {
    const tag = `${job.comparisonId}-${job.key}`;
    try {
      return await measureByPush(engine, registry, imageId, tag, job.signal);
    } catch (error) {
      if (!(error instanceof PushFailedError) || job.signal?.aborted) throw error;
      // A remote engine cannot reach a registry on this host's loopback: export instead.
      logOf(job, deps).warn(`measuring from the image export: the push failed (${error.message})`);
    }
  }
  return readImageArchiveCached(db, await engine.exportImage(imageId), layerFiles);
}

/** Pushes the image to the size registry as VARIANTS_REPOSITORY:tag and reads what arrived. */
export async function measureByPush(engine: Engine, registry: SizeRegistry, imageId: string, tag: string, signal?: AbortSignal): Promise<ArchiveImage> {
  await engine.push(imageId, `${registry.host}/${VARIANTS_REPOSITORY}`, tag, signal);
  const pushed = registry.takePushed(VARIANTS_REPOSITORY, tag);
  return imageFromPush(pushed.config, pushed.layers);
}

// Big layers measured before (base layers, mostly) are not compressed again; every
// layer's files are listed on the way and kept by digest, as a push keeps them.
async function readImageArchiveCached(db: Db, archive: NodeJS.ReadableStream, layerFiles?: LayerFileStore) {
  const rows = await db.layerSizeCache.findMany();
  const known = new Map<string, Measured>(
    rows.map((row) => [row.key, { sizeBytes: row.sizeBytes === null ? null : Number(row.sizeBytes), compressedBytes: Number(row.compressedBytes) }]),
  );
  const fresh: Array<[string, Measured]> = [];
  const image = await readImageArchive(archive, {
    known: (path) => known.get(path),
    onMeasured: (path, measured) => fresh.push([path, measured]),
    captureFile: captureGoBinary,
  });
  for (const layer of image.layers) {
    if (layer.digest && layer.files && layerFiles) await layerFiles.putFiles(layer.digest, layer.files);
  }
  await db.$transaction(
    fresh.map(([key, measured]) => {
      const data = {
        sizeBytes: measured.sizeBytes === null ? null : BigInt(measured.sizeBytes),
        compressedBytes: BigInt(measured.compressedBytes),
      };
      return db.layerSizeCache.upsert({ where: { key }, create: { key, ...data }, update: data });
    }),
  );
  return image;
}
