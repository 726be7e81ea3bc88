// Pure: a run check judged against the single-stage image. The single-stage image runs
// where the program was built, so it is the reference: a slim variant works when it
// behaves as the reference does with the same arguments (the same exit status, and the
// same output apart from what changes from run to run: times, durations, random names),
// and breaks when it behaves differently — then the diagnosis says why. When the
// reference itself exits non-zero (a CLI printing its usage when given no arguments),
// a variant that does the same is "same as single-stage", not a failure. Servers that
// both stay up are judged by their answers to GET / (probe-judge.ts).
import { diagnose, judgeRun, type Diagnosis, type RunResult } from "./diagnose";
import type { VariantKey } from "@/lib/dockerfiles/generate";
import { answersDiagnosis, compareAnswers, describeAnswers } from "./probe-judge";

export type CheckVerdict = "works" | "same" | "fails";

export interface Judged {
  verdict: CheckVerdict;
  /** One line a person reads first: what happened, compared with what. */
  summary: string;
  diagnosis: Diagnosis | null;
}

/** What changes from one run to the next, replaced by placeholders before outputs are compared. */
const VOLATILE: Array<[RegExp, string]> = [
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, "<uuid>"],
  [/\b\d{4}[-/]\d{2}[-/]\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|\s?[+-]\d{2}:?\d{2})?(?:\s[A-Z]{3,5})?)?/g, "<time>"],
  [/\b\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?(?:\s?(?:[AP]M|[A-Z]{3,5}|[+-]\d{4}))?/g, "<time>"],
  [/\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),? +(?:\d{1,2} +)?(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\w* +\d{1,2}\b/g, "<date>"],
  [/\b\d+(?:\.\d+)?(?:ns|µs|us|ms|s|m|h)\b/g, "<duration>"],
  [/\/tmp\/[\w.-]+/g, "/tmp/<name>"],
  [/\b[0-9a-f]{12,}\b/gi, "<hex>"],
  [/\b1[5-9]\d{8}(?:\d{3})?\b/g, "<epoch>"],
];

export function normalizeOutput(output: string): string {
  let text = output.replace(/\r\n/g, "\n");
  for (const [pattern, placeholder] of VOLATILE) text = text.replace(pattern, placeholder);
  return text
    .split("\n")
    .map((line) => line.trimEnd())
    .join("\n")
    .trim();
}

const describe = (r: RunResult) =>
  r.timedOut ? `still running after ${r.stoppedAfterSeconds ?? r.timeoutSeconds} s` : r.exitCode === null ? "did not start" : `exited with code ${r.exitCode}`;

/**
 * The verdict of `result` for variant `judgedAs` (its family: scratch, alpine...), against
 * the single-stage image's run with the same settings (`reference`), or on its own when
 * there is none (the single-stage image itself; a comparison without it).
 */
export function judgeCheck(judgedAs: VariantKey, result: RunResult, reference: RunResult | null): Judged {
  if (reference === null || reference.exitCode === null && !reference.timedOut) {
    const alone = judgeRun(judgedAs, result);
    // The reference itself exiting non-zero is how the program behaves, not a broken image.
    if (reference === null && judgedAs === "single" && alone.verdict === "fails" && result.exitCode !== null && alone.diagnosis?.code === "UNKNOWN") {
      return { verdict: "same", summary: `${describe(result)}: the reference the other variants are judged against`, diagnosis: null };
    }
    const answers = result.timedOut && result.probes ? `; ${describeAnswers(result.probes)}` : "";
    return { verdict: alone.verdict, summary: `${alone.summary}${answers}`, diagnosis: alone.diagnosis ?? null };
  }
  if (result.timedOut && reference.timedOut) {
    // Both servers stayed up: judged by their answers when both were asked.
    const answers = result.probes && reference.probes ? compareAnswers(result.probes, reference.probes) : null;
    if (answers?.failure) {
      return { verdict: "fails", summary: `${describe(result)}, but ${answers.failure.text}`, diagnosis: answersDiagnosis(judgedAs, result, answers.failure) };
    }
    const how = !answers
      ? ""
      : answers.compared === 0
        ? "; its answers could not be compared: the single-stage image answered on no port"
        : answers.notes.length
          ? `; ${answers.notes.join("; ")}`
          : " and answering as it does";
    return { verdict: "works", summary: `${describe(result)}, as the single-stage image${how}`, diagnosis: null };
  }
  const sameExit = !result.timedOut && !reference.timedOut && result.exitCode === reference.exitCode;
  const sameOutput = normalizeOutput(result.output) === normalizeOutput(reference.output);
  if (sameExit) {
    const diagnosis = sameOutput ? null : diagnose(judgedAs, result);
    // Different words with the same status: only a known failure (a missing time zone
    // database, CA roots...) makes it break; anything else is the program's own output.
    if (!diagnosis || diagnosis.code === "UNKNOWN") {
      const note = sameOutput ? "the same output" : "the same status (its output differs)";
      return reference.exitCode === 0
        ? { verdict: "works", summary: `${describe(result)} with ${note} as the single-stage image`, diagnosis: null }
        : { verdict: "same", summary: `${describe(result)} with ${note} as the single-stage image`, diagnosis: null };
    }
    return { verdict: "fails", summary: `${describe(result)} like the single-stage image, but its output shows a failure`, diagnosis };
  }
  return {
    verdict: "fails",
    summary: `${describe(result)}, where the single-stage image ${describe(reference)}`,
    diagnosis: diagnose(judgedAs, result),
  };
}
