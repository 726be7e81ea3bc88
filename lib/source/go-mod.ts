// Pure: the facts of a go.mod file that the build needs.

export interface GoMod {
  module: string;
  /** The `go` directive, e.g. "1.21" or "1.22.3". */
  goVersion: string | null;
  toolchain: string | null;
  /** Required module paths (direct and indirect). */
  requires: string[];
}

export function parseGoMod(text: string): GoMod {
  const lines = text.split("\n").map((line) => line.replace(/\/\/.*$/, "").trim());
  const mod: GoMod = { module: "", goVersion: null, toolchain: null, requires: [] };
  let inRequire = false;
  for (const line of lines) {
    if (!line) continue;
    if (inRequire) {
      if (line === ")") inRequire = false;
      else mod.requires.push(line.split(/\s+/)[0]);
      continue;
    }
    const [word, ...rest] = line.split(/\s+/);
    const value = unquote(rest.join(" "));
    if (word === "module") mod.module = value;
    else if (word === "go") mod.goVersion = value || null;
    else if (word === "toolchain") mod.toolchain = value || null;
    else if (word === "require") {
      if (value === "(") inRequire = true;
      else if (rest[0]) mod.requires.push(unquote(rest[0]));
    }
  }
  return mod;
}

/** "1.22.3" -> [1, 22]; null when the text is not a Go version. */
export function minorVersion(version: string): [number, number] | null {
  const match = version.match(/^(?:go)?(\d+)\.(\d+)/);
  return match ? [Number(match[1]), Number(match[2])] : null;
}

/**
 * The builder for a module: the smallest configured Go version that is at least the
 * module's `go` directive, else the newest configured one with a warning.
 */
export function chooseBuilder(
  goVersion: string | null,
  builders: Record<string, string>,
): { version: string; image: string; warning?: string } | null {
  const available = Object.keys(builders)
    .map((version) => ({ version, parsed: minorVersion(version) }))
    .filter((b): b is { version: string; parsed: [number, number] } => b.parsed !== null)
    .sort((a, b) => compare(a.parsed, b.parsed));
  if (available.length === 0) return null;
  const wanted = goVersion ? minorVersion(goVersion) : null;
  const fit = wanted ? available.find((b) => compare(b.parsed, wanted) >= 0) : available[0];
  if (fit) return { version: fit.version, image: builders[fit.version] };
  const newest = available[available.length - 1];
  return {
    version: newest.version,
    image: builders[newest.version],
    warning: `go.mod asks for Go ${goVersion}, newer than any configured builder; building with Go ${newest.version}`,
  };
}

const compare = (a: [number, number], b: [number, number]): number => a[0] - b[0] || a[1] - b[1];
const unquote = (text: string): string => text.replace(/^"(.*)"$/, "$1").replace(/^`(.*)`$/, "$1");
