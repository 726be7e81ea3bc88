// Pure: what a Go module's source text says about building and running it — its main
// packages and what the program needs at run time (time zones, CA roots, cgo).
import { UserError } from "@/lib/errors";
import { parseGoMod } from "@/lib/source/go-mod";

export interface GoFile {
  /** Posix path relative to the module root, e.g. "cmd/api/main.go". */
  path: string;
  content: string;
}

export interface Analysis {
  module: string;
  goVersion: string | null;
  toolchain: string | null;
  /** "." or "./cmd/api" style, sorted. */
  mainPackages: string[];
  needs: { tzdata: boolean; caRoots: boolean; cgo: boolean };
  /** Imports "time/tzdata", so the program carries its own zone database. */
  embedsTzdata: boolean;
  embedsFiles: boolean;
  vendored: boolean;
  /** Required module paths from go.mod. */
  thirdParty: string[];
}

interface Token {
  kind: "word" | "string" | "other";
  text: string;
}

const WORD = /[\p{L}_][\p{L}\p{N}_]*/uy;
const NUMBER = /[0-9][0-9A-Za-z_.]*/y;

/**
 * Go source as tokens, comments dropped and string contents kept apart from code, so
 * neither a comment nor a string that mentions time.LoadLocation( looks like a call.
 * Directive comments (//go:build, //go:embed) are kept; `leading` ones precede all code.
 */
function scan(src: string): { tokens: Token[]; directives: { text: string; leading: boolean }[] } {
  const tokens: Token[] = [];
  const directives: { text: string; leading: boolean }[] = [];
  const upTo = (needle: string, from: number) => {
    const at = src.indexOf(needle, from);
    return at < 0 ? src.length : at;
  };
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === "/" && src[i + 1] === "/") {
      const end = upTo("\n", i);
      const text = src.slice(i, end);
      if (/^\/\/(go:| \+build )/.test(text)) directives.push({ text, leading: tokens.length === 0 });
      i = end;
    } else if (c === "/" && src[i + 1] === "*") {
      i = upTo("*/", i + 2) + 2;
    } else if (c === '"' || c === "'") {
      // A rune literal must be skipped too, or '"' would open a string.
      let j = i + 1;
      while (j < src.length && src[j] !== c && src[j] !== "\n") j += src[j] === "\\" ? 2 : 1;
      if (c === '"') tokens.push({ kind: "string", text: src.slice(i + 1, j) });
      i = j + 1;
    } else if (c === "`") {
      const end = upTo("`", i + 1);
      tokens.push({ kind: "string", text: src.slice(i + 1, end) });
      i = end + 1;
    } else if (/\s/.test(c)) {
      i++;
    } else {
      const sticky = /[0-9]/.test(c) ? NUMBER : WORD;
      sticky.lastIndex = i;
      const match = sticky.exec(src);
      tokens.push(match ? { kind: sticky === WORD ? "word" : "other", text: match[0] } : { kind: "other", text: c });
      i += match ? match[0].length : 1;
    }
  }
  return { tokens, directives };
}

/** Import path -> the names this file refers to it by ("." for a dot import). */
function importsOf(tokens: Token[]): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i].kind !== "word" || tokens[i].text !== "import") continue;
    const block = tokens[i + 1]?.text === "(";
    let name: string | null = null;
    let j = block ? i + 2 : i + 1;
    for (; j < tokens.length; j++) {
      const t = tokens[j];
      if (t.kind === "string") {
        const local = name ?? t.text.slice(t.text.lastIndexOf("/") + 1);
        found.set(t.text, [...(found.get(t.text) ?? []), local]);
        name = null;
        if (!block) break;
      } else if (t.kind === "word" || t.text === ".") name = t.text;
      else if (t.text !== ";") break;
    }
    i = j;
  }
  return found;
}

type Accept = (tokens: Token[], at: number) => boolean;
const next = (tokens: Token[], at: number, ...texts: string[]) => texts.every((text, k) => tokens[at + 1 + k]?.text === text);

/** Whether the file names one of `members` of the package at `path`, under whatever name it imported it. */
function refersTo(tokens: Token[], imports: Map<string, string[]>, path: string, members: string[], accept?: Accept): boolean {
  const names = imports.get(path) ?? [];
  return tokens.some((t, at) => {
    if (t.kind !== "word" || !members.includes(t.text) || (accept && !accept(tokens, at))) return false;
    const qualified = tokens[at - 1]?.text === "." && tokens[at - 2]?.kind === "word";
    return qualified ? names.includes(tokens[at - 2].text) : names.includes(".");
  });
}

// LoadLocation of "UTC", "Local" or "" never opens the zone database.
const literalArgument = (tokens: Token[], at: number): string | null =>
  next(tokens, at, "(") && tokens[at + 2]?.kind === "string" && next(tokens, at + 2, ")") ? tokens[at + 2].text : null;
const opensZoneDatabase: Accept = (tokens, at) => !["UTC", "Local", ""].includes(literalArgument(tokens, at) ?? "?");
const readsTZ: Accept = (tokens, at) => literalArgument(tokens, at) === "TZ";
// Requests through these need CA roots; a server that only listens does not.
const HTTP_CLIENT = ["Get", "Post", "Head", "PostForm", "Client", "DefaultClient", "NewRequest", "NewRequestWithContext",
  "Transport", "DefaultTransport"];

/** Whether the go tool builds this file into a program: not a test, and not under a directory it ignores. */
function isProgramSource(path: string): boolean {
  if (!path.endsWith(".go") || path.endsWith("_test.go")) return false;
  return path.split("/").every((part) => part !== "vendor" && part !== "testdata" && !/^[._]/.test(part));
}

// Only paths the go tool accepts as import paths; anything else (a space, a quote)
// could not be built and must never reach a Dockerfile's RUN line.
const SAFE_PACKAGE = /^[A-Za-z0-9._~+\-/]+$/;

export function analyzeModule(goModText: string, files: GoFile[]): Analysis {
  const mod = parseGoMod(goModText);
  const mains = new Set<string>();
  const seen = { zones: false, tz: false, embedsTzdata: false, embedsFiles: false, ca: false, cgo: false };
  for (const file of files) {
    const path = file.path.replace(/^\.\//, "");
    if (!isProgramSource(path)) continue;
    const { tokens, directives } = scan(file.content);
    const ignored = directives.some((d) => d.leading && /^\/\/(go:build| \+build) .*(?<![!\w])ignore(?!\w)/.test(d.text));
    if (ignored) continue;
    const pkg = tokens.findIndex((t) => t.kind === "word" && t.text === "package");
    const dir = path.includes("/") ? `./${path.slice(0, path.lastIndexOf("/"))}` : ".";
    if (pkg >= 0 && tokens[pkg + 1]?.text === "main" && SAFE_PACKAGE.test(dir)) mains.add(dir);
    const imports = importsOf(tokens);
    seen.zones ||= refersTo(tokens, imports, "time", ["LoadLocation"], opensZoneDatabase);
    seen.tz ||= refersTo(tokens, imports, "os", ["Getenv", "LookupEnv"], readsTZ);
    seen.embedsTzdata ||= imports.has("time/tzdata");
    seen.embedsFiles ||= directives.some((d) => d.text.startsWith("//go:embed "));
    seen.ca ||= imports.has("crypto/tls") || imports.has("crypto/x509") || refersTo(tokens, imports, "net/http", HTTP_CLIENT);
    seen.cgo ||= imports.has("C");
  }
  return {
    module: mod.module,
    goVersion: mod.goVersion,
    toolchain: mod.toolchain,
    mainPackages: [...mains].sort(),
    needs: { tzdata: (seen.zones || seen.tz) && !seen.embedsTzdata, caRoots: seen.ca, cgo: seen.cgo },
    embedsTzdata: seen.embedsTzdata,
    embedsFiles: seen.embedsFiles,
    vendored: files.some((f) => f.path === "vendor/modules.txt"),
    thirdParty: [...new Set(mod.requires)],
  };
}

/** The package to build: the requested one if it is a main package, else the only one. */
/** Folders whose main packages are helpers of the module, not the program it ships. */
const HELPER_FOLDERS = /^\.\/(scripts|tools|examples|example|internal|hack|test|tests|testing|bench|benchmarks|_\w+)\//;

export interface MainPackageChoice {
  mainPackage: string;
  /** Said on the page when the choice was made for the user. */
  note: string | null;
}

export function selectMainPackage(analysis: Analysis, requested?: string | null): MainPackageChoice {
  const choices = analysis.mainPackages;
  const listed = choices.map((p) => `"${p}"`).join(", ");
  if (choices.length === 0) {
    const message = "No `package main` found in this module (tests, vendor/ and testdata/ aside), so there is no program to build.";
    throw new UserError("NO_MAIN_PACKAGE", message, "invalid", "mainPackage");
  }
  const raw = requested?.trim() ?? "";
  if (raw === "") {
    if (choices.length === 1) return { mainPackage: choices[0], note: null };
    // The module root is the program; the rest are its scripts and tools (goawk's csvbench).
    const others = choices.filter((p) => p !== ".");
    if (choices.includes(".") && others.every((p) => HELPER_FOLDERS.test(`${p}/`))) {
      const note = `Built the module root ("."), the program this module ships; its other main packages (${others.map((p) => `"${p}"`).join(", ")}) are helpers under ${[...new Set(others.map((p) => p.split("/")[1]))].map((f) => `${f}/`).join(", ")} and can be compared on their own.`;
      return { mainPackage: ".", note };
    }
    const message = `This module has several main packages (${listed}); choose the one to build.`;
    throw new UserError("SEVERAL_MAIN_PACKAGES", message, "invalid", "mainPackage");
  }
  // "cmd/api", "./cmd/api" and "./cmd/api/" all name the same package.
  const rest = raw.replace(/^\.\/+/, "").replace(/\/+$/, "");
  const normalized = rest === "" || rest === "." ? "." : `./${rest}`;
  if (choices.includes(normalized)) return { mainPackage: normalized, note: null };
  const message = `"${raw}" is not a main package of this module; choose one of ${listed}.`;
  throw new UserError("UNKNOWN_MAIN_PACKAGE", message, "invalid", "mainPackage");
}

/** The directories of a repository that hold a go.mod: the `subdir` choices of a monorepo. */
export function moduleDirs(paths: string[]): string[] {
  const dirs = paths
    .filter((p) => p === "go.mod" || p.endsWith("/go.mod"))
    .map((p) => (p === "go.mod" ? "." : p.slice(0, -"/go.mod".length)))
    .filter((dir) => dir === "." || dir.split("/").every((part) => part !== "vendor" && part !== "testdata" && !part.startsWith(".")));
  return [...new Set(dirs)].sort();
}
