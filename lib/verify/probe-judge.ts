// Pure: a server judged by its answers. Each port on which the single-stage image
// answered GET / must answer in the variant with the same status and content type; a
// body that differs with the same status is only noted (pages carry times, tokens, build
// IDs). The first difference that breaks the variant becomes its summary and diagnosis.
import type { DiagnosisCode } from "@/lib/comparisons/types";
import type { VariantKey } from "@/lib/dockerfiles/generate";
import type { ProbeResult } from "@/lib/engine/engine";
import { formatBytes } from "@/lib/format";
import { diagnose, type Diagnosis, type RunResult } from "./diagnose";

export interface AnswerDifference {
  /** "GET / on port 8080 answered 500 text/plain (23 B) where the single-stage image answered 200 text/html (1.2 KB)" */
  text: string;
  code: DiagnosisCode;
}

export interface AnswerComparison {
  /** Ports the single-stage image answered on: 0 means nothing could be compared. */
  compared: number;
  /** The first difference that breaks the variant; null when it answers as the reference does. */
  failure: AnswerDifference | null;
  /** Differences that do not break it: another body, answers where the reference gave none. */
  notes: string[];
}

/** "answered 500 text/plain (23 B)", or why nothing answered. */
export function answered(probe: ProbeResult | undefined): string {
  if (!probe) return "got no answer (nothing listened on it)";
  if (probe.status === undefined) return `got no answer (${shortError(probe.error)})`;
  return `answered ${probe.status} ${probe.contentType || "(no content type)"} (${formatBytes(probe.bodyBytes ?? 0)})`;
}

// Go's client error ends with the reason: `Get "http://…": dial tcp …: connect: connection refused`.
function shortError(error: string | undefined): string {
  if (!error) return "no reason given";
  if (/Client\.Timeout|deadline exceeded/.test(error)) return "no answer within the time limit";
  return error.split(": ").pop() ?? error;
}

const mediaType = (probe: ProbeResult) => (probe.contentType ?? "").toLowerCase().replace(/\s+/g, "");

export function compareAnswers(result: readonly ProbeResult[], reference: readonly ProbeResult[]): AnswerComparison {
  const notes: string[] = [];
  let failure: AnswerDifference | null = null;
  let compared = 0;
  const ports = [...new Set([...reference, ...result].map((p) => p.port))].sort((a, b) => a - b);
  for (const port of ports) {
    const expected = reference.find((p) => p.port === port);
    const got = result.find((p) => p.port === port);
    const where = `GET / on port ${port}`;
    const difference = `${where} ${answered(got)} where the single-stage image ${answered(expected)}`;
    if (expected?.status === undefined) {
      if (got?.status !== undefined) notes.push(difference);
      continue;
    }
    compared++;
    if (got?.status === undefined || got.status !== expected.status || mediaType(got) !== mediaType(expected)) {
      failure ??= { text: difference, code: codeOf(got, expected) };
    } else if (got.sha256 !== expected.sha256) {
      notes.push(`${difference}: the same status, another body`);
    }
  }
  return { failure, notes, compared };
}

// An error page where the reference served one is most often a file the server reads at
// request time (templates, static files) that the slim image lacks.
function codeOf(got: ProbeResult | undefined, expected: ProbeResult): DiagnosisCode {
  const ok = expected.status !== undefined && expected.status < 400;
  const missing = got?.status !== undefined && (got.status === 404 || got.status >= 500);
  return ok && missing ? "MISSING_FILE" : "UNKNOWN";
}

/** Why the variant answers differently: what its output names first, else what the answers show. */
export function answersDiagnosis(key: VariantKey, result: RunResult, difference: AnswerDifference): Diagnosis {
  const fromOutput = diagnose(key, result);
  if (fromOutput.code !== "UNKNOWN") return fromOutput;
  if (difference.code === "MISSING_FILE") {
    return {
      code: "MISSING_FILE",
      message: `${difference.text}: the server runs, but something it reads when asked (templates, static files) is most likely not in the image.`,
      fix: "COPY --from=builder /src/<the files it serves> /<where it reads them> (a relative path resolves from / in the final stage), or embed them with //go:embed",
    };
  }
  return { code: "UNKNOWN", message: `${difference.text}.`, fix: "No known one-line fix: compare what the server answers in both images" };
}

/** "GET / on port 8080 answered 200 text/html (1.2 KB)", for a server judged on its own. */
export function describeAnswers(probes: readonly ProbeResult[]): string {
  if (probes.length === 0) return "listening on no TCP port";
  return probes.map((p) => `GET / on port ${p.port} ${answered(p)}`).join(", ");
}
