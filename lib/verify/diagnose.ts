// Pure: the verdict of a run check and, when the program fails, why — with the one
// change to that variant's Dockerfile that fixes it. Running the image is lib/engine's job.
import type { DiagnosisCode } from "@/lib/comparisons/types";
import { runtimeFixes, type VariantKey } from "@/lib/dockerfiles/generate";
import type { ProbeResult } from "@/lib/engine/engine";

export interface RunResult {
  /** null when the container never started (the engine refused to exec the entrypoint). */
  exitCode: number | null;
  timedOut: boolean;
  /** stdout and stderr, plus the engine's error when the container did not start. */
  output: string;
  timeoutSeconds: number;
  /** A server's answers to GET / (Engine.run's probe); absent when it was not probed. */
  probes?: ProbeResult[];
  /** Stopped before the time limit once its answers were in (timedOut is then true). */
  stoppedAfterSeconds?: number;
  /** Why the prober itself failed (an infrastructure problem, worth a log line; never judged). */
  probeError?: string;
}

export interface Diagnosis {
  code: DiagnosisCode;
  message: string;
  fix: string;
}

export type RunJudgement = { verdict: "works" | "fails"; summary: string; diagnosis?: Diagnosis };

export function judgeRun(variantKey: VariantKey, result: RunResult): RunJudgement {
  // A program still running at the time limit is a server that started: that works.
  if (result.timedOut) return { verdict: "works", summary: `still running after ${result.stoppedAfterSeconds ?? result.timeoutSeconds} s` };
  if (result.exitCode === 0) return { verdict: "works", summary: "exited with code 0" };
  const summary = result.exitCode === null ? "did not start" : `exited with code ${result.exitCode}`;
  return { verdict: "fails", summary, diagnosis: diagnose(variantKey, result) };
}

type Explain = (match: RegExpMatchArray, key: VariantKey) => Omit<Diagnosis, "code">;

interface Rule {
  code: DiagnosisCode;
  pattern: RegExp;
  explain: Explain;
}

const BASE_NAME: Record<VariantKey, string> = { single: "Go", alpine: "Alpine", scratch: "scratch", distroless: "static" };

const STATIC_BUILD =
  "Build a static binary: `ENV CGO_ENABLED=0` in the builder stage; " +
  "if the code needs cgo, use a final base with a C library (e.g. debian:bookworm-slim)";

const anyOf = (...patterns: RegExp[]): RegExp => new RegExp(patterns.map((p) => p.source).join("|"));

/** The fix for data a base image lacks: the line the generator adds, or why the base should already have it. */
function dataFix(key: VariantKey, need: "tzdata" | "caRoots", what: string, embed: string): string {
  const [line] = runtimeFixes(key, { tzdata: need === "tzdata", caRoots: need === "caRoots", cgo: false });
  return line ?? `The ${BASE_NAME[key]} image should already have ${what}: check which image that base resolves to${embed}`;
}

const zoneinfo: Explain = (match, key) => ({
  message: `“${match[0]}”: the program looks up a time zone and the image has no time zone database (/usr/share/zoneinfo).`,
  fix: dataFix(key, "tzdata", "/usr/share/zoneinfo", ', or embed the database with import _ "time/tzdata"'),
});

const caRoots: Explain = (match, key) => ({
  message: `“${match[0]}”: the program verifies a TLS certificate and the image has no CA certificates.`,
  fix: dataFix(key, "caRoots", "/etc/ssl/certs/ca-certificates.crt", ""),
});

// Order matters: an entrypoint the engine could not exec reads "no such file or
// directory" too, and a missing zoneinfo or CA file is more specific than any missing file.
const RULES: Rule[] = [
  {
    code: "DYNAMIC_LINKING",
    pattern: anyOf(
      /exec: "[^"]+": stat [^\n]*?: no such file or directory/, // runc: entrypoint or its loader missing
      /(?<!fork\/)exec \S+: no such file or directory/, // runc 1.1+, from inside the container
      /exec \S+ failed: No such file or directory/, // docker-init (tini), the run check's init process
      /OCI runtime attempted to invoke a command that was not found/, // crun (Podman), exit 127
      /error while loading shared libraries: \S+?:/, // glibc loader present, library absent
      /Error relocating \S+: \S+: symbol not found/, // musl running a glibc binary
    ),
    explain: (match, key) => ({
      message:
        key === "single"
          ? `“${match[0]}”: the engine could not start the entrypoint; the build may not have written it.`
          : `“${match[0]}”: the binary is dynamically linked (cgo) and the ${BASE_NAME[key]} image lacks ` +
            "the C library or loader it needs — or the entrypoint is missing.",
      fix: key === "single" ? "Check that `go build` writes the binary the ENTRYPOINT names" : STATIC_BUILD,
    }),
  },
  {
    code: "DYNAMIC_LINKING",
    pattern: /exec format error/,
    explain: (match) => ({
      message: `“${match[0]}”: the entrypoint is not a binary for this engine's CPU architecture.`,
      fix: "Build for the engine's architecture: set GOARCH in the builder stage (or leave it unset) and `ENV CGO_ENABLED=0`",
    }),
  },
  {
    code: "MISSING_ZONEINFO",
    pattern: anyOf(/unknown time zone \S+/, /open \/usr\/share\/zoneinfo\S*: no such file or directory/),
    explain: zoneinfo,
  },
  {
    code: "MISSING_CA_ROOTS",
    pattern: anyOf(
      /x509: certificate signed by unknown authority/,
      /x509: failed to load system roots[^\n]*/,
      /no system roots/,
      /open \/etc\/ssl\/certs\S*: no such file or directory/,
    ),
    explain: caRoots,
  },
  {
    // Run checks have no network, so a client fails here before it ever checks a certificate.
    code: "UNKNOWN",
    pattern: anyOf(
      /dial tcp: lookup \S+?(?: on \S+)?: (?:no such host|server misbehaving|[^\n]*[Tt]emporary failure)/,
      /connect: network is unreachable/,
    ),
    explain: (match) => ({
      message: `“${match[0]}”: the program needs the network, and run checks run images without one, ` +
        "so this says nothing about the image.",
      fix: "None in the Dockerfile: make the program start without reaching the network to check it here",
    }),
  },
  {
    code: "MISSING_FILE",
    // fork/exec: the program runs a command the image does not have.
    pattern: /(?:open|stat|lstat|fork\/exec) (\S+?): no such file or directory/,
    explain: (match, key) => ({
      message: `“${match[0]}”: the program uses ${match[1]}, which is not in the image.`,
      fix: copyFileFix(key, match[1]),
    }),
  },
  {
    code: "PERMISSION_DENIED",
    pattern: /(?:listen \S+ \S+: )?bind: permission denied/,
    explain: (match, key) => ({
      message: `“${match[0]}”: the program listens on a port below 1024, which ${
        key === "distroless" ? "the image's non-root USER" : "a container without capabilities"
      } may not bind.`,
      fix: "Listen on a port above 1023 (e.g. `ENV PORT=8080` if the program reads PORT)",
    }),
  },
  {
    code: "PERMISSION_DENIED",
    pattern: /(?:exec: "([^"]+)"|(?:exec|open|mkdir|create|remove|rename|chmod) (\S+?)): permission denied|permission denied/i,
    explain: (match, key) => {
      const target = match[1] ?? match[2] ?? "the file";
      return {
        message: `“${match[0]}”: the image's user may not use ${target}.`,
        fix:
          key === "distroless"
            ? `Give ${target} to the image's user: \`COPY --from=builder --chown=65532:65532 …\`, or remove \`USER 65532:65532\``
            : `Adjust the mode of ${target} in the stage that creates it (\`RUN chmod a+rX …\`), or set a USER that owns it`,
      };
    },
  },
];

/** The COPY that puts a file the program opens where it looks: relative paths resolve from "/" in a final stage. */
function copyFileFix(key: VariantKey, file: string): string {
  if (key === "single") {
    return file.startsWith("/")
      ? `COPY src/<path of the file in your module> ${file}`
      : `The module has no ${file} (the program runs in /src, the module root): add it to the module or make its path configurable`;
  }
  return file.startsWith("/")
    ? `COPY --from=builder /src/<path of the file in your module> ${file}`
    : `COPY --from=builder /src/${file.replace(/^\.\//, "")} /${file.replace(/^\.\//, "")}`;
}

export function diagnose(key: VariantKey, result: RunResult): Diagnosis {
  for (const rule of RULES) {
    const match = result.output.match(rule.pattern);
    if (match) return { code: rule.code, ...rule.explain(match, key) };
  }
  const panic = result.output.match(/^panic: [^\n]*/m);
  const ended = result.exitCode === null ? "did not start" : `exited with code ${result.exitCode}`;
  const message = panic
    ? `The program panicked: “${panic[0]}”.`
    : result.exitCode === 137
      ? "The program was killed (exit 137), most likely by the run check's memory limit."
      : result.exitCode === 139
        ? "The program crashed with a segmentation fault (exit 139)."
        : `The program ${ended} for a reason Slimstage does not recognise.`;
  return { code: "UNKNOWN", message, fix: "No known one-line fix: read the program's output" };
}
