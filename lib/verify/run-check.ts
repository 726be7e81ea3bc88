// The run check of one built variant: run the image once in the engine's sandbox and
// judge the result (pure, diagnose.ts). It returns the verdict; the job records it.
import type { VariantKey } from "@/lib/dockerfiles/generate";
import { LABEL_APP, LABEL_COMPARISON, LABEL_VARIANT, type Engine } from "@/lib/engine/engine";
import { judgeRun, type Diagnosis } from "./diagnose";

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
}

export interface RunCheckResult {
  verdict: "works" | "fails";
  exitCode: number | null;
  output: string;
  diagnosis: Diagnosis | null;
}

export async function runCheck(job: RunCheckJob, { engine }: { engine: Engine }): Promise<RunCheckResult> {
  const result = await engine.run({
    image: job.imageId,
    timeoutSeconds: job.timeoutSeconds,
    args: job.args,
    env: job.env,
    signal: job.signal,
    owner: job.owner,
    labels: { [LABEL_APP]: "slimstage", [LABEL_COMPARISON]: job.comparisonId, [LABEL_VARIANT]: job.key },
  });
  const judged = judgeRun(variantKeyOf(job.key), { ...result, timeoutSeconds: job.timeoutSeconds });
  const output = judged.verdict === "works" && result.timedOut ? `${judged.summary}\n${result.output}`.trim() : result.output;
  return { verdict: judged.verdict, exitCode: result.exitCode, output, diagnosis: judged.diagnosis ?? null };
}

// "scratch-naive" is judged as scratch; the repository's own Dockerfile as single.
function variantKeyOf(key: string): VariantKey {
  const base = key.replace(/-naive$/, "");
  return base === "alpine" || base === "scratch" || base === "distroless" ? base : "single";
}
