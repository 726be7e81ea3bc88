// Runs the advice of one succeeded comparison: plans the candidates (pure: candidates.ts),
// fetches the source again, builds each candidate on the engine with the same settings as
// the comparison's own builds (BuildKit, its caches, limits and network), measures it
// (disk, and compressed by a push to the size registry), runs it in the same sandbox and
// judges it against the single-stage image run again (the oracle). Candidates of a round
// build side by side; each chain step applies to the last step that kept the program
// working, so when a step does not, the ones after it are built again from there. The
// repository's own Dockerfile without its package-manager caches is built the same way,
// with the repository build's own settings (repo-caches.ts). Its
// images are removed at the end: only the figures are kept (state.ts writes them). The
// worker's slot signal stops it (the owner canceled or deleted the comparison, or the
// worker is stopping): its builds and runs are aborted with it, its images still removed.
import { buildContext, DOCKERFILE_NAME } from "@/lib/engine/build-context";
import { LABEL_APP, LABEL_COMPARISON, LABEL_VARIANT, type Engine, type RunOutput } from "@/lib/engine/engine";
import type { Db } from "@/lib/db";
import type { BaseImages, RepoBuildNetwork } from "@/lib/config";
import { describeUnexpected, UserError } from "@/lib/errors";
import { createLogger, type Logger } from "@/lib/log";
import { lstat, readdir } from "node:fs/promises";
import path from "node:path";
import type { SizeRegistry } from "@/lib/measure/size-registry";
import { getComparison, getVariantAnalysis } from "@/lib/reads/queries";
import type { SourceResolver } from "@/lib/source/resolve";
import type { RunResult } from "@/lib/verify/diagnose";
import { judgeRunCheck, runCheck } from "@/lib/verify/run-check";
import { ensureProber } from "@/lib/verify/prober-image";
import { cacheScope } from "@/lib/jobs/cache-scope";
import { measureByPush, VARIANTS_REPOSITORY } from "@/lib/jobs/variant-build";
import { readImageArchive } from "@/lib/measure/image-archive";
import { describeState, planAdvice, renderCandidate, stepPatch, type AdvicePlan, type CandidateState, type Change } from "./candidates";
import { findLeads, parseImportGraph } from "./leads";
import { repoSteps, type BuildContextSize } from "./repo-steps";
import { proveRepoCaches, type Proven, type RepoBuildSpec } from "./repo-caches";
import { addSteps, CANCELED, changeStep, replaceLeads, finishAdvice, recordSteps, setAdvicePhase, startAdvice, type PlannedStep } from "./state";
import { CancelledError, HandBackError } from "@/lib/jobs/queue";
import type { Config } from "@/lib/config";
import type { AdviceSummary, StepStatus } from "./types";
import { ensureUpxTool } from "./upx-tool";
import { storedRunSettings } from "@/lib/comparisons/run-input";

export interface AdviceDeps {
  db: Db;
  engine: Engine;
  resolveSource: SourceResolver;
  registry?: SizeRegistry;
  bases?: BaseImages;
  buildArgs?: Record<string, string>;
  buildNetwork?: string;
  /** The network of the repository's own Dockerfile and the base images it may pull, as the comparison built it. */
  repoBuildNetwork?: RepoBuildNetwork;
  repoBases?: string[];
  buildLimits?: { pids: number; maxImageBytes: number; cgroupParent: string | undefined };
  runTimeoutSeconds?: number;
  buildTimeLimitMs?: number;
  workerId?: string;
  /** The worker slot's (lib/jobs/queue.ts `after`): aborts with a CancelledError when the owner cancels or deletes the comparison, a HandBackError when the worker stops. */
  signal?: AbortSignal;
  /** The worker's logger with the comparison's id; without one, errors go to stdout. */
  log?: Logger;
  /** SLIMSTAGE_ADVICE, SLIMSTAGE_ADVICE_UPX; the network of the UPX tool's build (Debian's archive). */
  advice: { enabled: boolean; upx: boolean; upxNetwork?: string; timeLimitMs?: number };
}

/** The advice's settings from the configuration: the UPX tool reaches Debian's archive through the host's network offline (no DNS on the bridge). */
export function adviceSettings(config: Pick<Config, "advice" | "baseProfile" | "timeLimits">): AdviceDeps["advice"] {
  return { ...config.advice, upxNetwork: config.baseProfile === "offline" ? "host" : undefined, timeLimitMs: config.timeLimits.comparisonMs };
}

export { failInterruptedAdvice } from "./state";

/** Runs the advice when the comparison asks for it (queued), else leaves it as it is. Never throws. */
export async function runAdvice(id: string, deps: AdviceDeps): Promise<void> {
  const { db } = deps;
  const row = await db.comparison.findUnique({ where: { id }, select: { status: true, adviceStatus: true, reusedFrom: true } });
  if (!row || row.adviceStatus !== "queued") return;
  if (row.status !== "succeeded") return finishAdvice(db, id, "skipped", { error: "The comparison did not succeed, so there is nothing proven to start from." });
  if (!deps.advice.enabled) return finishAdvice(db, id, "off", { error: "Advice is turned off on this server (SLIMSTAGE_ADVICE=off)." });
  // The same build as an earlier comparison: its advice is this one's (read.ts shows it).
  if (row.reusedFrom) {
    const earlier = await db.comparison.findUnique({ where: { id: row.reusedFrom }, select: { adviceStatus: true } });
    if (earlier?.adviceStatus === "done") return finishAdvice(db, id, "skipped", { error: `The same build as comparison ${row.reusedFrom}: its advice is shown.` });
  }
  if (!(await startAdvice(db, id))) return;
  const started = performance.now();
  const timeLimit = AbortSignal.timeout(deps.advice.timeLimitMs ?? 15 * 60_000);
  const signal = deps.signal ? AbortSignal.any([deps.signal, timeLimit]) : timeLimit;
  const images = new Set<string>();
  try {
    const summary = await advise(id, deps, signal, images);
    const adviceSeconds = (performance.now() - started) / 1000;
    if (summary === null) return;
    await finishAdvice(db, id, "done", { summary: { ...summary, adviceSeconds } });
  } catch (error) {
    // Deleted by its owner while the advice ran: its rows are gone, nothing to record or report.
    if ((await db.comparison.count({ where: { id } }).catch(() => 1)) === 0) {
      deps.log?.info("the comparison was deleted while its advice ran; advice stopped");
      return;
    }
    const stop = signal.aborted ? stopped(signal.reason) : null;
    if (stop?.status === "canceled") deps.log?.info("the advice was canceled by the comparison's owner");
    await finishAdvice(db, id, stop?.status ?? "failed", { error: stop?.error ?? unexpected(error, `advice for ${id}`, deps.log) }).catch(() => {});
  } finally {
    // A candidate identical to a variant (the same flags, the same base) is that variant's
    // image, by ID: those stay for the variant (retention removes them with it).
    const kept = new Set(
      (await db.variant.findMany({ where: { imageId: { in: [...images] } }, select: { imageId: true } }).catch(() => [...images].map((imageId) => ({ imageId })))).map((v) => v.imageId),
    );
    for (const image of images) if (!kept.has(image)) await deps.engine.removeImage(image).catch(() => {});
  }
}

/** Why an aborted advice stopped, as its status says it. */
function stopped(reason: unknown): { status: "canceled" | "failed"; error: string } {
  if (reason instanceof CancelledError) return { status: "canceled", error: CANCELED };
  if (reason instanceof HandBackError) return { status: "failed", error: "The worker giving this advice stopped before it finished." };
  return { status: "failed", error: "The advice took longer than its time limit and was stopped." };
}

type Built = Proven & { imageId?: string };

async function advise(id: string, deps: AdviceDeps, signal: AbortSignal, images: Set<string>): Promise<Omit<AdviceSummary, "adviceSeconds"> | null> {
  const { db, engine } = deps;
  const comparison = (await getComparison(db, id))!;
  const row = (await db.comparison.findUniqueOrThrow({ where: { id }, select: { runArgs: true, runEnv: true, startedAt: true, finishedAt: true } }))!;
  const upxReason = deps.advice.upx ? undefined : "turned off on this server (SLIMSTAGE_ADVICE_UPX=off)";
  const planning = planAdvice(comparison, { upx: deps.advice.upx, upxReason });
  if (!planning.ok) {
    await finishAdvice(db, id, "skipped", { error: `No advice: ${planning.reason}.` });
    return null;
  }
  const advice = planning.advice;
  const { plan, single } = advice;
  // The oracle runs again: its image must still be on the engine (retention may have removed it).
  if (!(await engine.image(single.imageId!))) {
    await finishAdvice(db, id, "skipped", { error: "No advice: the single-stage image, the oracle every step is judged against, is no longer on the engine; build the comparison again." });
    return null;
  }
  const analysis = await getVariantAnalysis(db, id, "single");
  const binary = analysis.found === "analysis" ? analysis.analysis.binary : null;

  await recordSteps(db, id, [
    {
      key: "single",
      role: "start",
      title: "Single-stage image (the oracle)",
      why: "Built and run in the Go image: every step is judged against how it runs.",
      status: "works",
      sizeBytes: single.sizeBytes,
      compressedBytes: single.compressedBytes,
      buildSeconds: single.buildSeconds,
      dockerfile: single.dockerfile,
    },
    ...advice.changes.map((change): PlannedStep => ({ key: change.key, role: change.role, title: change.title, why: change.why, status: "planned" })),
    ...advice.notTried.map((n): PlannedStep => ({ key: n.key, role: "chain", title: n.title, why: "", status: "not-tried", reason: n.reason })),
    // Leads first without import chains; the chains come once the graph is read.
    ...findLeads(binary, null).map((lead): PlannedStep => ({ key: lead.key, role: "lead", title: lead.title, why: lead.why, status: "lead", sizeBytes: lead.bytes })),
  ]);

  await setAdvicePhase(db, id, "fetching the source again");
  const source = await deps.resolveSource({ repo: comparison.repo, ref: comparison.ref, subdir: comparison.subdir, signal });
  try {
    if (comparison.commit && source.commit && source.commit !== comparison.commit) {
      await finishAdvice(db, id, "skipped", { error: `No advice: the repository's ${comparison.ref ?? "default branch"} moved on since the comparison (${comparison.commit.slice(0, 12)} → ${source.commit.slice(0, 12)}); compare it again.` });
      return null;
    }
    const scope = cacheScope(comparison, deps.buildArgs ?? {});
    const network = plan.vendored ? "none" : deps.buildNetwork;
    const run = storedRunSettings(row.runArgs, row.runEnv);
    const timeoutSeconds = deps.runTimeoutSeconds ?? 10;
    const prober = ensureProber(engine, plan.builderImage).catch(() => undefined);

    const upxImage = advice.changes.some((c) => c.key === "upx")
      ? ensureUpxTool(engine, plan.builderImage, deps.advice.upxNetwork, signal).then(
          (tag) => ({ tag }),
          (error: unknown) => ({ reason: error instanceof Error ? error.message : String(error) }),
        )
      : Promise.resolve({ reason: "not asked for" });

    await setAdvicePhase(db, id, "running the single-stage image (the oracle)");
    const oracle = await runCheck({ comparisonId: id, key: "advice-oracle", imageId: single.imageId!, timeoutSeconds, signal, owner: deps.workerId, proberImage: await prober, ...run }, deps);
    const judgedAs = advice.baseVariant.key;

    // One image: built, measured, run and judged against the oracle.
    const buildAndCheck = async (key: string, spec: RepoBuildSpec, judgeAs: string): Promise<Built> => {
      await changeStep(db, id, key, { status: "building" });
      const log: string[] = [];
      const startedAt = performance.now();
      let imageId: string;
      try {
        ({ imageId } = await engine.build({
          context: spec.context,
          dockerfile: DOCKERFILE_NAME,
          builder: plan.builder,
          labels: { [LABEL_APP]: "slimstage", [LABEL_COMPARISON]: id, [LABEL_VARIANT]: `advice-${key}` },
          buildArgs: spec.buildArgs,
          networkMode: spec.networkMode,
          pidsLimit: deps.buildLimits?.pids,
          cgroupParent: deps.buildLimits?.cgroupParent,
          maxImageBytes: deps.buildLimits?.maxImageBytes,
          signal: AbortSignal.any([signal, AbortSignal.timeout(deps.buildTimeLimitMs ?? 15 * 60_000)]),
          onLog: (line) => {
            log.push(line);
            if (log.length > 30) log.shift();
          },
        }));
      } catch (error) {
        if (signal.aborted) throw error;
        const message = error instanceof Error ? error.message : String(error);
        return { status: "failed", reason: `It did not build: ${message.split("\n").slice(-6).join("\n")}`, buildSeconds: (performance.now() - startedAt) / 1000 };
      }
      images.add(imageId);
      const buildSeconds = (performance.now() - startedAt) / 1000;
      let measured: [Awaited<ReturnType<Engine["image"]>>, number | null, { ms: number; result: RunResult }];
      try {
        measured = await Promise.all([
          engine.image(imageId),
          compressed(deps, imageId, `${id}-advice-${key}`, signal),
          prober.then((proberImage) => timed(() => runCheck({ comparisonId: id, key: `advice-${key}`, imageId, timeoutSeconds, signal, owner: deps.workerId, proberImage, ...run }, deps))),
        ]);
      } catch (error) {
        if (signal.aborted) throw error;
        // An image another process removed meanwhile (two builds of the same content share an ID).
        return { status: "failed", reason: `It was built but could not be measured and run: ${error instanceof Error ? error.message : String(error)}`, buildSeconds };
      }
      const [info, compressedBytes, ran] = measured;
      const judged = judgeRunCheck(judgeAs, ran.result, oracle);
      const works = judged.verdict === "works" || judged.verdict === "same";
      return {
        status: works ? "works" : "breaks",
        sizeBytes: info?.sizeBytes ?? null,
        compressedBytes,
        buildSeconds,
        diagnosis: judged.diagnosis,
        runOutput: judged.output,
        imageId,
        startMs: ran.ms,
      };
    };

    // One candidate of the chain: the generated Dockerfile in its state.
    const attempt = async (change: Change, state: CandidateState): Promise<Built> => {
      let upxTag: string | undefined;
      if (state.upx) {
        const tool = await upxImage;
        if ("reason" in tool) return { status: "not-tried", reason: `UPX is not tried here: ${tool.reason}.` };
        upxTag = tool.tag;
      }
      const context = buildContext({ sourceDir: source.dir, dockerfile: renderCandidate(plan, state, { cacheScope: scope, upxImage: upxTag }) });
      return buildAndCheck(change.key, { context, buildArgs: deps.buildArgs ?? {}, networkMode: network }, judgedAs);
    };

    // Rounds: everything left is built side by side, assuming each chain step is kept; the
    // first chain step that is not kept sends the ones after it to the next round.
    let state = advice.start;
    let previous = { key: "single", dockerfile: single.dockerfile, sizeBytes: single.sizeBytes!, imageId: single.imageId!, startMs: null as number | null, state: null as CandidateState | null };
    let pending = advice.changes;
    let buildSeconds = 0;
    let round = 0;
    const kept: Array<{ key: string; sizeBytes: number; state: CandidateState; savedBytes: number }> = [];
    while (pending.length) {
      round++;
      await setAdvicePhase(db, id, `building ${pending.length} candidate${pending.length === 1 ? "" : "s"}${round > 1 ? ` (round ${round})` : ""}`);
      const speculated: Array<{ change: Change; state: CandidateState; before: CandidateState }> = [];
      let assumed = state;
      for (const change of pending) {
        const next = change.apply(assumed);
        speculated.push({ change, state: next, before: assumed });
        if (change.role === "chain" && change.key !== "buildvcs" && change.key !== "netgo") assumed = next;
      }
      const results = await inTurns(speculated, BUILDS_AT_ONCE, (s) => attempt(s.change, s.state));
      let consumed = 0;
      for (const [i, { change, state: candidate, before }] of speculated.entries()) {
        if (before !== state && JSON.stringify(before) !== JSON.stringify(state)) break; // built on a state that was not kept
        const result = results[i];
        consumed = i + 1;
        buildSeconds += result.buildSeconds ?? 0;
        const display = renderCandidate(plan, candidate);
        const smaller = result.status === "works" && result.sizeBytes !== null && result.sizeBytes !== undefined && result.sizeBytes < previous.sizeBytes;
        const status: StepStatus = result.status === "works" && !smaller ? "no-gain" : result.status;
        const extra: { startMs?: number | null; memoryBytes?: number | null; reason?: string | null } = {};
        if (change.key === "upx" && result.status === "works") {
          const cost = await upxCost(previous, result, deps, { id, timeoutSeconds, run, signal }).catch((error: unknown) => {
            if (signal.aborted) throw error;
            return { upxMs: null, memoryBytes: null, text: `Its cost could not be measured: ${error instanceof Error ? error.message : String(error)}` };
          });
          extra.startMs = cost.upxMs;
          extra.memoryBytes = cost.memoryBytes;
          extra.reason = cost.text;
        }
        await changeStep(db, id, change.key, {
          status,
          reason: extra.reason ?? result.reason ?? (status === "no-gain" ? "It works, and saves nothing here." : null),
          sizeBytes: result.sizeBytes ?? null,
          compressedBytes: result.compressedBytes ?? null,
          buildSeconds: result.buildSeconds ?? null,
          // The run check's wall time (container start included); UPX's is the median of three runs.
          startMs: extra.startMs ?? result.startMs ?? null,
          memoryBytes: extra.memoryBytes ?? null,
          diagnosis: result.diagnosis ?? null,
          runOutput: result.runOutput ?? null,
          dockerfile: display,
          patch: stepPatch(previous.dockerfile, display),
          command: change.command?.(candidate) ?? null,
        });
        if (change.role === "chain" && smaller) {
          const savedBytes = previous.sizeBytes - result.sizeBytes!;
          state = candidate;
          previous = { key: change.key, dockerfile: display, sizeBytes: result.sizeBytes!, imageId: result.imageId!, startMs: result.startMs ?? null, state: candidate };
          kept.push({ key: change.key, sizeBytes: result.sizeBytes!, state: candidate, savedBytes });
        }
      }
      pending = pending.slice(consumed);
    }

    // The repository's own Dockerfile, when the comparison built it.
    const repo = comparison.variants.find((v) => v.key === "repo");
    if (repo) {
      await setAdvicePhase(db, id, "reading the repository's own Dockerfile");
      const repoAnalysis = await getVariantAnalysis(db, id, "repo");
      const analysis = repoAnalysis.found === "analysis" ? repoAnalysis.analysis : null;
      const steps = repoSteps({
        repo,
        analysis,
        context: await contextSize(source.dir).catch(() => null),
        generated: advice.baseVariant,
        flagSavings: Object.fromEntries(kept.filter((k) => k.key === "strip" || k.key === "trimpath").map((k) => [k.key, k.savedBytes])),
      });
      await addSteps(db, id, steps);
      if (steps.some((s) => s.key === "repo-caches" && s.status === "planned") && repo.sizeBytes !== null) {
        await setAdvicePhase(db, id, "building your Dockerfile without the package manager's caches");
        const outcome = await proveRepoCaches({
          engine,
          bases: deps.bases,
          repoBases: deps.repoBases,
          repoBuildNetwork: deps.repoBuildNetwork,
          signal,
          sourceDir: source.dir,
          repo: { dockerfile: repo.dockerfile, sizeBytes: repo.sizeBytes },
          leadBytes: analysis?.buildOnly?.packageManager || null,
          build: (spec) => buildAndCheck("repo-caches", spec, "repo"),
        });
        buildSeconds += outcome.buildSeconds ?? 0;
        await changeStep(db, id, "repo-caches", outcome);
      }
    }

    // The leads again, with the import chain of each (go list, in a build of its own).
    await setAdvicePhase(db, id, "reading the import graph for the leads");
    const graph = await importGraph(deps, { id, source: source.dir, plan: advice, scope, network, signal, images }).catch((error: unknown) => {
      if (signal.aborted) throw error;
      return null;
    });
    if (graph) {
      await replaceLeads(
        db,
        id,
        findLeads(binary, graph).map((lead): PlannedStep => ({
          key: lead.key,
          role: "lead",
          title: lead.title,
          why: lead.why,
          status: "lead",
          sizeBytes: lead.bytes,
          reason: lead.importPath ? `Imported by: ${lead.importPath.join(" → ")}` : null,
        })),
      );
    }
    // Stopped while a step that does not stop on the signal ran: stopped all the same.
    signal.throwIfAborted();
    return { ...physicalLimit(comparison, kept, binary), comparisonSeconds: seconds(row.startedAt, row.finishedAt), buildSeconds };
  } finally {
    await source.cleanup().catch(() => {});
  }
}

/** The smallest the image can be without cutting code: the stripped binary plus the data it needs. */
function physicalLimit(
  comparison: NonNullable<Awaited<ReturnType<typeof getComparison>>>,
  kept: Array<{ key: string; sizeBytes: number; state: CandidateState }>,
  binary: { fileBytes: number } | null,
): Pick<AdviceSummary, "limitBytes" | "limitWhat"> {
  const embedded = kept.find((k) => k.key === "timetzdata");
  if (embedded && embedded.state.base === "scratch" && !embedded.state.caRoots) {
    return { limitBytes: embedded.sizeBytes, limitWhat: "the stripped binary with Go's embedded time zone database" };
  }
  if (!binary) return { limitBytes: null, limitWhat: null };
  const scratch = comparison.variants.find((v) => v.key === "scratch");
  const data = (scratch?.layers ?? []).filter((l) => /zoneinfo|ca-certificates/.test(l.instruction)).reduce((sum, l) => sum + l.sizeBytes, 0);
  return {
    limitBytes: binary.fileBytes + data,
    limitWhat: data ? "the stripped binary plus the data files it needs (zoneinfo, CA roots)" : "the stripped binary",
  };
}

// UPX's price, measured: how long the program takes to run (start included) and the run
// check container's peak memory (the engine's cgroup, lib/engine/run-memory.ts), median of
// three runs of each image — the packed one and the one it was applied to, whose row gets
// its figures too (the page and the API set the two side by side, lib/advice/waterfall.ts).
async function upxCost(
  previous: { key: string; imageId: string; sizeBytes: number },
  packed: Built,
  deps: AdviceDeps,
  context: { id: string; timeoutSeconds: number; run: { args?: string[]; env?: string[] }; signal: AbortSignal },
): Promise<{ upxMs: number | null; memoryBytes: number | null; text: string }> {
  const measure = async (imageId: string, key: string) => {
    const runs: Array<{ ms: number | null; memory: RunOutput["memory"] }> = [];
    for (let i = 0; i < 3; i++) {
      const { ms, result } = await timed(() =>
        runCheck({ comparisonId: context.id, key, imageId, timeoutSeconds: context.timeoutSeconds, signal: context.signal, owner: deps.workerId, measureMemory: true, ...context.run }, deps),
      );
      // A server: its start is not what the run check times (it waits for its answers).
      runs.push({ ms: result.timedOut ? null : ms, memory: result.memory });
    }
    return { ms: median(runs.map((r) => r.ms)), ...medianMemory(runs.map((r) => r.memory)) };
  };
  const before = await measure(previous.imageId, "advice-upx-before");
  const after = await measure(packed.imageId!, "advice-upx-after");
  await changeStep(deps.db, context.id, previous.key, { ...(before.ms !== null ? { startMs: before.ms } : {}), memoryBytes: before.bytes });
  const timeText =
    before.ms === null || after.ms === null
      ? "its start time is not measured for a server (the run check waits for its answers)"
      : `a run takes ${Math.round(after.ms)} ms against ${Math.round(before.ms)} ms without it (${after.ms >= before.ms ? "+" : ""}${Math.round(after.ms - before.ms)} ms, median of 3)`;
  const memoryText =
    after.bytes !== null && before.bytes !== null
      ? `its run check container's peak memory is ${mb(after.bytes)} against ${mb(before.bytes)} without it (${after.bytes >= before.bytes ? "+" : "−"}${mb(Math.abs(after.bytes - before.bytes))}, median of 3; the container's own start is included, which hides a difference smaller than it): the whole program is unpacked into memory at each start, not shared between processes`
      : `its memory is not measured here: ${after.reason ?? before.reason}`;
  return { upxMs: after.ms, memoryBytes: after.bytes, text: `Costs: ${timeText}; ${memoryText}.` };
}

const median = (values: Array<number | null>): number | null => (values.some((v) => v === null) ? null : [...(values as number[])].sort((a, b) => a - b)[Math.floor(values.length / 2)]);
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/** The median peak of the runs that were measured (a run's cgroup can be lost to a clean-up), else null with the first reason. */
export function medianMemory(peaks: Array<RunOutput["memory"]>): { bytes: number | null; reason: string | null } {
  const measured = peaks.flatMap((peak) => (peak && peak.bytes !== null ? [peak.bytes] : []));
  if (measured.length === 0) return { bytes: null, reason: peaks.find((peak) => peak?.reason)?.reason ?? "the engine did not report it" };
  return { bytes: median(measured), reason: null };
}

async function compressed(deps: AdviceDeps, imageId: string, tag: string, signal: AbortSignal): Promise<number | null> {
  if (!deps.registry) return null;
  try {
    return (await measureByPush(deps.engine, deps.registry, imageId, tag, signal)).compressedBytes;
  } catch {
    return null;
  } finally {
    await deps.engine.removeImage(`${deps.registry.host}/${VARIANTS_REPOSITORY}:${tag}`).catch(() => {});
  }
}

// `go list -deps` of the main package, written in a build of its own and read from the image's export.
async function importGraph(
  deps: AdviceDeps,
  context: { id: string; source: string; plan: AdvicePlan; scope: string; network: string | undefined; signal: AbortSignal; images: Set<string> },
): Promise<Map<string, string[]>> {
  const { plan } = context.plan;
  const builder = renderCandidate(plan, context.plan.start, { cacheScope: context.scope }).split("\n\nFROM ")[0];
  const list = builder.replace(/RUN (.*?)go build\b.*$/m, (_line, mounts: string) => `RUN ${mounts}go list -deps${plan.vendored ? " -mod=vendor" : ""} -f '{{.ImportPath}}{{range .Imports}} {{.}}{{end}}' ${plan.mainPackage} > /out/imports.txt`);
  const dockerfile = `${list.replace(/^(WORKDIR \/src)$/m, "$1\nRUN mkdir -p /out")}\n\nFROM scratch\nCOPY --from=builder /out/imports.txt /imports.txt\n`;
  const { imageId } = await deps.engine.build({
    context: buildContext({ sourceDir: context.source, dockerfile }),
    dockerfile: DOCKERFILE_NAME,
    builder: plan.builder,
    labels: { [LABEL_APP]: "slimstage", [LABEL_COMPARISON]: context.id, [LABEL_VARIANT]: "advice-imports" },
    buildArgs: deps.buildArgs ?? {},
    networkMode: context.network,
    pidsLimit: deps.buildLimits?.pids,
    cgroupParent: deps.buildLimits?.cgroupParent,
    signal: context.signal,
    onLog: () => {},
  });
  context.images.add(imageId);
  const archive = await readImageArchive(await deps.engine.exportImage(imageId), { captureFile: (entry) => entry.path.replace(/^\.?\//, "") === "imports.txt" });
  const file = archive.layers.flatMap((layer) => layer.captured ?? []).find((f) => f.path.replace(/^\.?\//, "") === "imports.txt");
  if (!file) throw new Error("the import list was not in the image");
  return parseImportGraph(file.bytes.toString("utf8"));
}

// Candidates differ in their flags and tags, so each compiles much of the standard library
// again the first time: more than two at once only share the same cores slower.
const BUILDS_AT_ONCE = 2;

/**
 * `work` on each item, at most `limit` at once; results in the items' order. When one
 * fails, the others stop taking items and are awaited before it is thrown: a build that
 * ends after an abort adds its image before the cleanup, never after it.
 */
async function inTurns<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const lane = async () => {
    while (next < items.length && !failed) {
      const i = next++;
      try {
        results[i] = await work(items[i]);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const lanes = await Promise.allSettled(Array.from({ length: Math.min(limit, items.length) }, lane));
  const rejected = lanes.find((lane) => lane.status === "rejected");
  if (rejected) throw rejected.reason;
  return results;
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const started = performance.now();
  const result = await work();
  return { ms: performance.now() - started, result };
}

/** What `docker build .` in the module's folder would send: every file, .git included, and whether a .dockerignore is there. */
async function contextSize(dir: string): Promise<BuildContextSize> {
  let totalBytes = 0;
  let gitBytes = 0;
  const walk = async (folder: string, inGit: boolean): Promise<void> => {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      const git = inGit || (folder === dir && entry.name === ".git");
      if (entry.isDirectory()) await walk(full, git);
      else if (entry.isFile()) {
        const { size } = await lstat(full);
        totalBytes += size;
        if (git) gitBytes += size;
      }
    }
  };
  await walk(dir, false);
  const hasDockerignore = await lstat(path.join(dir, ".dockerignore")).then(() => true, () => false);
  return { totalBytes, gitBytes, hasDockerignore };
}

// A user's error is shown as it is; anything else is logged with a reference the page shows.
function unexpected(error: unknown, context: string, log: Logger = createLogger({ role: "worker", level: "warn" })): string {
  if (error instanceof UserError) return error.message;
  return describeUnexpected(error, context, log).message;
}

const seconds = (from: Date | null, to: Date | null) => (from && to ? (to.getTime() - from.getTime()) / 1000 : null);


export { describeState };
export type { RunResult };
