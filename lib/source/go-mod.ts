// Pure: the facts of a go.mod (or go.work) file that the build needs, the Go version a
// module needs, and which configured builder image serves that need.
import { UserError } from "@/lib/errors";

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

/** The Go minor a module needs ("1.22") and the line that asks for it, for messages. */
export interface GoNeed {
  minor: string;
  /** "go 1.21.0 in go.mod", "toolchain go1.22.3 in go.mod", "go 1.23 in go.work". */
  because: string;
}

type Directives = Pick<GoMod, "goVersion" | "toolchain">;

/**
 * The larger of the `go` directive and the `toolchain` line (of go.mod and, when the
 * module is built in a workspace, go.work). With GOTOOLCHAIN=local the toolchain line
 * is not enforced, but it is what the authors build with, so it is honoured: a module
 * saying `go 1.21.0` + `toolchain go1.22.3` gets a Go 1.22 builder. Null: no version said.
 */
export function goNeed(mod: Directives, work?: Directives | null): GoNeed | null {
  const asked: Array<{ text: string | null; because: string }> = [
    { text: mod.goVersion, because: `go ${mod.goVersion} in go.mod` },
    { text: mod.toolchain, because: `toolchain ${mod.toolchain} in go.mod` },
    { text: work?.goVersion ?? null, because: `go ${work?.goVersion} in go.work` },
    { text: work?.toolchain ?? null, because: `toolchain ${work?.toolchain} in go.work` },
  ];
  let best: { parsed: [number, number]; because: string } | null = null;
  for (const { text, because } of asked) {
    const parsed = text ? minorVersion(text) : null;
    if (parsed && (!best || compare(parsed, best.parsed) > 0)) best = { parsed, because };
  }
  return best && { minor: `${best.parsed[0]}.${best.parsed[1]}`, because: best.because };
}

/** The builder images a profile offers (lib/config.ts BaseImages.golang and golangPattern). */
export interface GolangBuilders {
  /** Go minor -> image reference ("1.23" -> "golang:1.23"). */
  golang: Record<string, string>;
  /** For minors newer than every table entry: "golang:{minor}"; none: the table is all there is. */
  golangPattern?: string;
}

export type BuilderChoice =
  | { kind: "image"; version: string; image: string; fromPattern: boolean }
  /** Nothing configured is new enough: the comparison stops before any build (goTooNewError). */
  | { kind: "none"; need: GoNeed | null; newest: string | null };

export const MINOR_PLACEHOLDER = "{minor}";

/**
 * The smallest configured Go version that is at least the module's need; above the whole
 * table, the pattern's image for the needed minor; else "none" with what the module needs
 * and the newest there is. Never an older Go than asked: it would fail on the `go` line
 * (GOTOOLCHAIN=local) after minutes of building, or build something else than the authors do.
 * A module that says no version gets the oldest builder, as before.
 */
export function chooseGoBuilder(need: GoNeed | null, builders: GolangBuilders): BuilderChoice {
  const available = sortedTable(builders.golang);
  const wanted = need ? minorVersion(need.minor) : null;
  const fit = wanted ? available.find((b) => compare(b.parsed, wanted) >= 0) : available[0];
  if (fit) return { kind: "image", version: fit.version, image: builders.golang[fit.version], fromPattern: false };
  if (need && builders.golangPattern?.includes(MINOR_PLACEHOLDER)) {
    return { kind: "image", version: need.minor, image: builders.golangPattern.split(MINOR_PLACEHOLDER).join(need.minor), fromPattern: true };
  }
  return { kind: "none", need, newest: newestGoBuilder(builders.golang) };
}

/** The newest Go version in a builder table ("1.27"), or null when it is empty. */
export const newestGoBuilder = (table: Record<string, string>): string | null => sortedTable(table).at(-1)?.version ?? null;

/**
 * The comparison's failure when no builder is new enough (code GO_TOO_NEW): what the module
 * needs, the newest Go this server has, and how an operator adds one. The pipeline throws
 * it once, before any build; also when the pattern's image could not be pulled (`pullFailure`).
 */
export function goTooNewError(choice: { need: GoNeed | null; newest: string | null }, pullFailure?: { image: string; reason: string }): UserError {
  const need = choice.need ? `Go ${choice.need.minor} (${choice.need.because})` : "a Go builder";
  const newest = choice.newest ? `the newest Go builder on this server is ${choice.newest}` : "this server has no Go builder configured";
  const pulled = pullFailure ? ` ${pullFailure.image} could not be pulled: ${pullFailure.reason}.` : "";
  const minor = choice.need?.minor ?? "1.99";
  const how =
    `To add one, list it in SLIMSTAGE_BASE_GOLANG with the others (e.g. SLIMSTAGE_BASE_GOLANG=…,${minor}=IMAGE), ` +
    `or use the official profile (SLIMSTAGE_BASE_PROFILE=official) on an engine that can pull golang:${minor} from a registry or a registry mirror.`;
  return new UserError("GO_TOO_NEW", `This module needs ${need}, but ${newest}.${pulled} ${how}`, "unavailable");
}

function sortedTable(table: Record<string, string>): Array<{ version: string; parsed: [number, number] }> {
  return Object.keys(table)
    .map((version) => ({ version, parsed: minorVersion(version) }))
    .filter((b): b is { version: string; parsed: [number, number] } => b.parsed !== null)
    .sort((a, b) => compare(a.parsed, b.parsed));
}

const compare = (a: [number, number], b: [number, number]): number => a[0] - b[0] || a[1] - b[1];
const unquote = (text: string): string => text.replace(/^"(.*)"$/, "$1").replace(/^`(.*)`$/, "$1");
