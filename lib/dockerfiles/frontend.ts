// Pure: a repository's Dockerfile against the Dockerfile frontend that will read it. A
// `# syntax=` line asks BuildKit to fetch that frontend from a registry; where it cannot
// be fetched, the line is left out and the engine's built-in frontend reads the file.
// A built-in frontend that does not know a feature (on Docker Engine 20.10: heredocs,
// COPY --link) fails with a bare parser error; this turns it into one a person acts on.
// And base images a registry cannot give are replaced by local stand-ins of the same kind.

export interface SyntaxDirective {
  /** The frontend image, e.g. "docker/dockerfile:1.3". */
  ref: string;
  /** 1-based. */
  line: number;
}

// Parser directives are "# key=value" comments before anything else (Docker's rules: the
// first non-directive line, blank or not, ends them).
const DIRECTIVE = /^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(\S+)\s*$/;

export function syntaxDirective(text: string): SyntaxDirective | null {
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const match = lines[i].replace(/\r$/, "").match(DIRECTIVE);
    if (!match) return null;
    if (match[1].toLowerCase() === "syntax") return { ref: match[2], line: i + 1 };
  }
  return null;
}

/** The text without its syntax line (kept as a plain comment, so line numbers stay). */
export function withoutSyntaxDirective(text: string): string {
  const directive = syntaxDirective(text);
  if (!directive) return text;
  const lines = text.split("\n");
  lines[directive.line - 1] = "# (syntax line left out: the engine's built-in frontend reads this file)";
  return lines.join("\n");
}

export interface FrontendFeature {
  feature: "heredoc" | "COPY --link";
  line: number;
  text: string;
}

const FEATURE_FIX: Record<FrontendFeature["feature"], string> = {
  heredoc: "write the commands on one line joined with && (or in a script file the Dockerfile copies and runs)",
  "COPY --link": "drop --link (it only makes rebuilds faster; the image is the same)",
};

/** Features the Dockerfile uses that older built-in frontends lack, in order. */
export function newerFeatures(text: string): FrontendFeature[] {
  const found: FrontendFeature[] = [];
  text.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (/^(RUN|COPY|ADD)\b.*<<-?["']?[A-Za-z_][A-Za-z0-9_]*["']?/i.test(line)) found.push({ feature: "heredoc", line: i + 1, text: line });
    else if (/^(COPY|ADD)\s+(?:--\S+\s+)*--link\b/i.test(line)) found.push({ feature: "COPY --link", line: i + 1, text: line });
  });
  return found;
}

/**
 * A failed build's message in words a person acts on, when the engine's frontend did not
 * know a feature the Dockerfile uses; null when the failure is something else.
 */
export function explainFrontendFailure(text: string, failure: string, engineVersion: string): string | null {
  const parse = failure.match(/dockerfile parse error line (\d+): (unknown instruction: \S+|Unknown flag: \S+)/i);
  if (!parse) return null;
  const features = newerFeatures(text);
  if (features.length === 0) return null;
  const failedLine = Number(parse[1]);
  // A heredoc's body is read as instructions: the error names a line inside or after it.
  const feature = features.filter((f) => f.line <= failedLine).at(-1) ?? features[0];
  return (
    `The Dockerfile uses a ${feature.feature} (line ${feature.line}: ${feature.text.slice(0, 80)}), which the Dockerfile frontend built into ` +
    `this engine (Docker Engine ${engineVersion}) does not know. Fix: ${FEATURE_FIX[feature.feature]}; or build on Docker Engine 23 or newer, ` +
    `whose built-in frontend knows it.`
  );
}

/**
 * Rewrites the FROM lines of the stages whose image (as the reader expanded it, ARG
 * defaults and all: `golang:${GO_VERSION}` is `golang:1.25`) is in `replace`: the image
 * word becomes the replacement, flags and `AS name` stay.
 */
export function replaceBaseImages(text: string, stages: ReadonlyArray<{ line: number; ref: string }>, replace: Map<string, string>): string {
  const lines = text.split("\n");
  for (const stage of stages) {
    const to = replace.get(stage.ref);
    const line = lines[stage.line - 1];
    if (!to || line === undefined) continue;
    lines[stage.line - 1] = line.replace(/^(\s*FROM\s+(?:--\S+\s+)*)(\S+)/i, (_all, head: string) => `${head}${to}`);
  }
  return lines.join("\n");
}

export interface StandInBases {
  /** Go builders by minor ("1.26" -> image). */
  golang: Record<string, string>;
  static: string;
}

/**
 * The local stand-in of the same kind for an official base image, or null: `golang:<minor>`
 * (any flavour: `-bookworm`, `-alpine`) -> the Go builder of that minor; a distroless static
 * image (any tag: `nonroot`, `latest`) -> the static base.
 */
export function standInFor(ref: string, bases: StandInBases): string | null {
  const name = ref.replace(/^docker\.io\/(library\/)?/, "");
  const golang = name.match(/^golang:(\d+\.\d+)(?:\.\d+)?(?:-[\w.]+)?$/);
  if (golang) return bases.golang[golang[1]] ?? null;
  if (/^gcr\.io\/distroless\/static(?:-debian\d+)?(?::[\w.-]+)?$/.test(name)) return bases.static;
  return null;
}
