// Pure helpers for build logs: a bounded buffer (a chatty build must not grow the
// server's memory or a database row without limit) and the summary of a failed build
// that a person reads first: the failing step's own output, e.g. the compiler's errors.

export class LogBuffer {
  private lines: string[] = [];
  private dropped = 0;

  constructor(
    private readonly maxLines = 2000,
    private readonly maxLineLength = 2000,
  ) {}

  push(line: string): void {
    this.lines.push(line.length > this.maxLineLength ? `${line.slice(0, this.maxLineLength)}…` : line);
    if (this.lines.length > this.maxLines) {
      this.lines.shift();
      this.dropped++;
    }
  }

  tail(count: number): string[] {
    return this.lines.slice(-count);
  }

  toString(): string {
    const note = this.dropped ? [`… ${this.dropped} earlier lines not kept`] : [];
    return [...note, ...this.lines].join("\n");
  }
}

/**
 * The reason shown for a failed build: the output of the step that failed (after its
 * "Step N/M" header and the "Running in" line), then the engine's error message.
 */
export function summarizeFailure(lines: string[], error: string, maxLines = 15): string {
  let start = 0;
  lines.forEach((line, i) => {
    // Docker: "Step 7/7 : RUN …"; Podman (buildah): "STEP 7/7: RUN …" or "[2/2] STEP 3/4: RUN …";
    // BuildKit: "[builder 6/6] RUN …" (not "CACHED: [builder 2/6] …", a step that did not run).
    if (/^(?:\[\d+\/\d+\] )?step \d+\/\d+ ?:/i.test(line) || /^\[(?:[\w.-]+ )?\d+\/\d+\] /.test(line)) start = i + 1;
  });
  const output = lines
    .slice(start)
    .filter((line) => !/^ ---> /.test(line) && line !== error && line !== `ERROR: ${error}`)
    .slice(-maxLines);
  return [...output, error].join("\n").trim();
}

// What a build step prints when it could not reach the network: Go's module fetches,
// DNS lookups, apt, apk, curl, wget and git.
const NETWORK_FAILURE =
  /dial tcp|lookup \S+ on \S+|no such host|name resolution|could not resolve|network is unreachable|i\/o timeout|tls handshake timeout|unable to access 'https?:|failed to fetch|fetch https?:\/\/\S+ failed|temporary error|connection timed out/i;

/** Whether a failed step's output looks like a download that found no network. */
export function looksLikeNetworkFailure(output: string): boolean {
  return NETWORK_FAILURE.test(output);
}
