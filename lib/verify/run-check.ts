// The run check of one built variant: run the image once in the engine's sandbox (a
// server also asked for its answers, with a prober image), then judge the result against
// the single-stage image's (pure: reference.ts, probe-judge.ts, diagnose.ts).
// It returns the verdict; the job records it.
import type { VariantKey } from "@/lib/dockerfiles/generate";
import { LABEL_APP, LABEL_COMPARISON, LABEL_VARIANT, type Engine, type RunOutput } from "@/lib/engine/engine";
import type { Diagnosis, RunResult } from "./diagnose";
import { judgeCheck, type CheckVerdict } from "./reference";

export interface RunCheckJob {
  comparisonId: string;
  key: string;
  imageId: string;
  timeoutSeconds: number;
  args?: string[];
  /** "NAME=value" entries. */
  env?: string[];
  signal?: AbortSignal;
  /** The worker's ID: its start-up sweep (Engine.sweepRunChecks) then knows its own containers. */
  owner?: string;
  /**
   * The prober image (ensureProber in prober-image.ts): a server still running shortly
   * after its start is asked GET / on its EXPOSEd and listening ports, and judged by
   * its answers. Without it a server is judged only by staying up.
   */
  proberImage?: string;
  /** Read the container's peak memory (RunOutput.memory); the advice's UPX cost asks for it. */
  measureMemory?: boolean;
}

/** Runs the image once in the engine's sandbox: what it did, not yet judged. */
export async function runCheck(job: RunCheckJob, { engine }: { engine: Pick<Engine, "run" | "image"> }): Promise<RunResult & Pick<RunOutput, "memory">> {
  // The ports the image declares are asked even when nothing listens there: a variant
  // that fails to listen then shows it.
  const probe = job.proberImage ? { image: job.proberImage, ports: (await engine.image(job.imageId))?.exposedPorts ?? [] } : undefined;
  const result = await engine.run({
    image: job.imageId,
    timeoutSeconds: job.timeoutSeconds,
    args: job.args,
    env: job.env,
    signal: job.signal,
    owner: job.owner,
    labels: { [LABEL_APP]: "slimstage", [LABEL_COMPARISON]: job.comparisonId, [LABEL_VARIANT]: job.key },
    ...(probe ? { probe } : {}),
    ...(job.measureMemory ? { measureMemory: true } : {}),
  });
  return { ...result, timeoutSeconds: job.timeoutSeconds };
}

export interface RunCheckRecord {
  verdict: CheckVerdict;
  exitCode: number | null;
  output: string;
  diagnosis: Diagnosis | null;
}

/** The verdict of variant `key` against the single-stage image's run (null: judged alone). */
export function judgeRunCheck(key: string, result: RunResult, reference: RunResult | null): RunCheckRecord {
  const judged = judgeCheck(variantKeyOf(key), result, key === "single" ? null : reference);
  // The summary leads the output whenever it says more than the exit code does.
  const plain = judged.verdict === "works" && !result.timedOut && reference === null;
  const output = plain ? result.output : `${judged.summary}\n${result.output}`.trim();
  return { verdict: judged.verdict, exitCode: result.exitCode, output, diagnosis: judged.diagnosis };
}

// "scratch-naive" is judged as scratch; the repository's own Dockerfile as single.
function variantKeyOf(key: string): VariantKey {
  const base = key.replace(/-naive$/, "");
  return base === "alpine" || base === "scratch" || base === "distroless" ? base : "single";
}
