// The run check judged against the single-stage image, table-driven.
import { describe, expect, it } from "vitest";
import type { RunResult } from "@/lib/verify/diagnose";
import { judgeCheck, normalizeOutput } from "@/lib/verify/reference";

const ran = (exitCode: number | null, output: string, timedOut = false): RunResult => ({ exitCode, output, timedOut, timeoutSeconds: 10 });
const usage = "usage: goawk [-F fs][-v var=value][prog | -f progfile][file ...]\n";

describe("judgeCheck against the reference", () => {
  it.each([
    ["same output, exit 0", ran(0, "hello\n"), ran(0, "hello\n"), "works", null],
    ["the time differs only", ran(0, "Berlin: 2026-12-01 10:00:01 +0100 CET\n"), ran(0, "Berlin: 2026-12-01 10:00:03 +0100 CET\n"), "works", null],
    ["a CLI printing its usage, like the reference", ran(2, usage), ran(2, usage), "same", null],
    ["usage with another program path", ran(2, "usage: /app [-v]\n"), ran(2, "usage: /go/bin/app [-v]\n"), "same", null],
    ["the naive image without zoneinfo", ran(1, "unknown time zone Europe/Berlin\n"), ran(0, "Berlin: 10:00\n"), "fails", "MISSING_ZONEINFO"],
    ["the same exit, but a known failure in the output", ran(1, "x509: certificate signed by unknown authority\n"), ran(1, "dial tcp: lookup example.com: no such host\n"), "fails", "MISSING_CA_ROOTS"],
    ["a server, as the reference", ran(null, "listening on :8080\n", true), ran(null, "listening on :8080\n", true), "works", null],
    ["a server that exits at once", ran(127, 'exec /app: no such file or directory'), ran(null, "listening\n", true), "fails", "DYNAMIC_LINKING"],
    ["a different exit code", ran(3, "boom\n"), ran(0, "ok\n"), "fails", "UNKNOWN"],
  ] as const)("%s", (_name, result, reference, verdict, code) => {
    const judged = judgeCheck("scratch", result, reference);
    expect(judged.verdict).toBe(verdict);
    expect(judged.diagnosis?.code ?? null).toBe(code);
    expect(judged.summary.length).toBeGreaterThan(5);
  });
});

describe("judgeCheck alone", () => {
  it.each([
    ["the reference exits 0", "single", ran(0, "hi\n"), "works"],
    ["the reference prints its usage", "single", ran(2, usage), "same"],
    ["the reference did not start", "single", ran(null, "exec: \"/app\": stat /app: no such file or directory"), "fails"],
    ["a slim image with no reference, failing", "scratch", ran(1, "unknown time zone Europe/Berlin"), "fails"],
    ["a slim image with no reference, exiting non-zero", "scratch", ran(2, usage), "fails"],
  ] as const)("%s", (_name, key, result, verdict) => {
    expect(judgeCheck(key, result, null).verdict).toBe(verdict);
  });
});

describe("normalizeOutput", () => {
  it.each([
    ["2026-12-01T10:00:00.123Z started", "<time> started"],
    ["took 13.5ms", "took <duration>"],
    ["id 0b6f3c2e-1a2b-4c3d-8e9f-001122334455", "id <uuid>"],
    ["wrote /tmp/go-build123456", "wrote /tmp/<name>"],
    ["container 3f4e5d6c7b8a9f00", "container <hex>"],
    ["line  \r\nnext\t", "line\nnext"],
  ])("%s", (input, expected) => {
    expect(normalizeOutput(input)).toBe(expected);
  });
});
