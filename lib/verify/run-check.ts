// The run check of one built variant: run the image once in the engine's sandbox,
// judge the result (pure, diagnose.ts) and store the verdict with its diagnosis.
import type { Db } from "@/lib/db";
import type { VariantKey } from "@/lib/dockerfiles/generate";
import { LABEL_APP, LABEL_COMPARISON, LABEL_VARIANT, type Engine } from "@/lib/engine/engine";
import { judgeRun } from "./diagnose";

export interface RunCheckJob {
  comparisonId: string;
  key: string;
  imageId: string;
  timeoutSeconds: number;
  args?: string[];
  /** "NAME=value" entries. */
  env?: string[];
  signal?: AbortSignal;
}

export async function runCheck(job: RunCheckJob, { db, engine }: { db: Db; engine: Engine }): Promise<void> {
  const result = await engine.run({
    image: job.imageId,
    timeoutSeconds: job.timeoutSeconds,
    args: job.args,
    env: job.env,
    signal: job.signal,
    labels: { [LABEL_APP]: "slimstage", [LABEL_COMPARISON]: job.comparisonId, [LABEL_VARIANT]: job.key },
  });
  const judged = judgeRun(variantKeyOf(job.key), { ...result, timeoutSeconds: job.timeoutSeconds });
  const output = judged.verdict === "works" && result.timedOut ? `${judged.summary}\n${result.output}`.trim() : result.output;
  await db.variant.update({
    where: { comparisonId_key: { comparisonId: job.comparisonId, key: job.key } },
    data: {
      runVerdict: judged.verdict,
      runExitCode: result.exitCode,
      runOutput: output,
      runDiagnosis: judged.diagnosis ? JSON.stringify(judged.diagnosis) : null,
    },
  });
}

// "scratch-naive" is judged as scratch; the repository's own Dockerfile as single.
function variantKeyOf(key: string): VariantKey {
  const base = key.replace(/-naive$/, "");
  return base === "alpine" || base === "scratch" || base === "distroless" ? base : "single";
}
