// A server judged by its answers against the single-stage image's, table-driven: the pure
// comparison, the diagnosis it leads to, and judgeCheck with both servers still running.
import { describe, expect, it } from "vitest";
import type { ProbeResult } from "@/lib/engine/engine";
import type { RunResult } from "@/lib/verify/diagnose";
import { answersDiagnosis, compareAnswers, describeAnswers } from "@/lib/verify/probe-judge";
import { judgeCheck } from "@/lib/verify/reference";

const page = (port: number, status: number, contentType: string, bodyBytes: number, sha = "1"): ProbeResult => ({
  port, listening: true, status, contentType, bodyBytes, sha256: sha.repeat(64),
});
const refused = (port: number, listening = false): ProbeResult => ({
  port, listening, error: `Get "http://127.0.0.1:${port}/": dial tcp 127.0.0.1:${port}: connect: connection refused`,
});
const html = page(8080, 200, "text/html; charset=utf-8", 1234);

describe("compareAnswers", () => {
  it.each([
    ["the same answers", [html], [html], null, 0],
    ["another body, same status and type", [page(8080, 200, "text/html; charset=utf-8", 1301, "2")], [html], null, 1],
    ["the content type written differently", [page(8080, 200, "text/html;charset=UTF-8", 1234)], [html], null, 0],
    [
      "an error page where the reference served one",
      [page(8080, 500, "text/plain; charset=utf-8", 23, "3")],
      [html],
      "GET / on port 8080 answered 500 text/plain; charset=utf-8 (23 B) where the single-stage image answered 200 text/html; charset=utf-8 (1.2 KB)",
      0,
    ],
    ["not found", [page(8080, 404, "text/plain", 19, "3")], [html], "GET / on port 8080 answered 404", 0],
    ["another content type", [page(8080, 200, "text/plain", 1234)], [html], "answered 200 text/plain (1.2 KB) where", 0],
    ["nothing listening where the reference answered", [refused(8080)], [html], "GET / on port 8080 got no answer (connection refused) where", 0],
    ["the port missing altogether", [], [html], "got no answer (nothing listened on it)", 0],
    ["answers where the reference gave none", [html], [refused(8080)], null, 1],
    ["neither answers", [refused(8080)], [refused(8080)], null, 0],
    ["the first failing port is shown", [html, page(9090, 503, "text/plain", 5)], [html, page(9090, 200, "application/json", 2)], "port 9090 answered 503", 0],
  ])("%s", (_name, result, reference, failure, notes) => {
    const compared = compareAnswers(result, reference);
    if (failure === null) expect(compared.failure).toBeNull();
    else expect(compared.failure?.text).toContain(failure);
    expect(compared.notes).toHaveLength(notes);
  });
});

const server = (probes: ProbeResult[] | undefined, output = "listening on localhost:8080\n"): RunResult => ({
  exitCode: null, timedOut: true, output, timeoutSeconds: 10, probes, stoppedAfterSeconds: 3,
});

describe("answersDiagnosis", () => {
  it.each([
    ["an error page, nothing in the output", [page(8080, 500, "text/plain", 23)], "listening\n", "MISSING_FILE", "COPY --from=builder"],
    ["the output names the missing file", [page(8080, 500, "text/plain", 23)], "open index.html: no such file or directory\n", "MISSING_FILE", "COPY --from=builder /src/index.html /index.html"],
    ["the output names a missing zone", [page(8080, 500, "text/plain", 23)], "unknown time zone Europe/Berlin\n", "MISSING_ZONEINFO", "/usr/share/zoneinfo"],
    ["no answer at all", [refused(8080)], "listening\n", "UNKNOWN", "No known one-line fix"],
  ] as const)("%s", (_name, probes, output, code, fix) => {
    const failure = compareAnswers([...probes], [html]).failure!;
    const diagnosis = answersDiagnosis("scratch", server([...probes], output), failure);
    expect(diagnosis.code).toBe(code);
    expect(diagnosis.fix).toContain(fix);
  });
});

describe("judgeCheck of servers that stay up", () => {
  it.each([
    ["the same answers", server([html]), server([html]), "works", null, "answering as it does"],
    ["an error page", server([page(8080, 500, "text/plain", 23)]), server([html]), "fails", "MISSING_FILE", "still running after 3 s, but GET / on port 8080 answered 500"],
    ["a body that differs only", server([page(8080, 200, "text/html; charset=utf-8", 1200, "2")]), server([html]), "works", null, "another body"],
    ["not probed", server(undefined), server([html]), "works", null, "as the single-stage image"],
  ] as const)("%s", (_name, result, reference, verdict, code, summary) => {
    const judged = judgeCheck("scratch", result, reference);
    expect(judged.verdict).toBe(verdict);
    expect(judged.diagnosis?.code ?? null).toBe(code);
    expect(judged.summary).toContain(summary);
  });

  it("the reference alone says what it answered", () => {
    expect(judgeCheck("single", server([html]), null).summary).toBe(
      "still running after 3 s; GET / on port 8080 answered 200 text/html; charset=utf-8 (1.2 KB)",
    );
    expect(describeAnswers([])).toBe("listening on no TCP port");
  });
});
