// Pure: a Dockerfile's text cut into instructions the way Docker's parser cuts it
// (moby/buildkit frontend/dockerfile/parser): parser directives at the top ("# escape=",
// "# syntax="), comments, line continuations with the escape character, empty
// continuation lines, instruction keywords in any case, leading --flags, JSON or shell
// form, and heredoc bodies (<<EOF ... EOF), which are content, not instructions.
import { rawWords } from "./dockerfile-words";

export class DockerfileError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

export interface Instruction {
  /** Upper case: "FROM", "ADD", ... */
  keyword: string;
  /** Leading flags with quotes removed, as written: "--from=build". */
  flags: string[];
  /** The rest of the instruction after the flags. */
  args: string;
  /** The JSON form's strings, or null for the shell form. */
  json: string[] | null;
  /** 1-based line where the instruction starts. */
  line: number;
  /** 1-based line where its own text ends: its last continuation line (a heredoc's body follows it). */
  lastLine?: number;
  /** ONBUILD's instruction. */
  inner?: Instruction;
}

export interface SplitOptions {
  /** BuildKit reads heredocs; the classic builder reads their bodies as instructions. */
  heredocs: boolean;
}

export interface SplitDockerfile {
  escape: string;
  syntax: string | null;
  instructions: Instruction[];
}

const DIRECTIVE = /^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$/;
const DIRECTIVES = new Set(["escape", "syntax", "check"]);
const HEREDOC = /^(\d*)<<(-?)([^<]*)$/;
const HEREDOC_KEYWORDS = new Set(["RUN", "COPY", "ADD"]);

export function splitDockerfile(text: string, options: SplitOptions): SplitDockerfile {
  const lines = text.replace(/^\uFEFF/, "").split("\n").map((line) => line.replace(/[\r\n]+$/, ""));
  let escape = "\\";
  let syntax: string | null = null;
  let directivesDone = false;
  const seen = new Set<string>();
  const instructions: Instruction[] = [];
  const isComment = (line: string) => line.trimStart().startsWith("#");

  for (let i = 0; i < lines.length; i++) {
    const first = lines[i].trimStart();
    if (!directivesDone) {
      const match = DIRECTIVE.exec(first);
      const key = match?.[1].toLowerCase();
      if (!match || !key || !DIRECTIVES.has(key)) {
        directivesDone = true;
      } else {
        if (seen.has(key)) throw new DockerfileError(`only one ${key} parser directive can be used`, i + 1);
        seen.add(key);
        if (key === "escape") {
          if (match[2] !== "`" && match[2] !== "\\") throw new DockerfileError(`invalid escape character "${match[2]}" (only \` or \\)`, i + 1);
          escape = match[2];
        }
        if (key === "syntax") syntax = match[2];
        continue;
      }
    }
    if (first === "" || isComment(first)) continue;
    const continuation = new RegExp(`([^${escapeForClass(escape)}])${escapeForRegex(escape)}[ \\t]*$|^${escapeForRegex(escape)}[ \\t]*$`);
    const start = i + 1;
    let line = first;
    let more = continuation.test(line);
    line = line.replace(continuation, "$1");
    while (more && i + 1 < lines.length) {
      const next = lines[++i];
      if (isComment(next) || next.trim() === "") continue;
      more = continuation.test(next);
      line += next.replace(continuation, "$1");
    }
    if (line.trim() === "") continue;
    const instruction = parseInstruction(line, start);
    instruction.lastLine = i + 1;
    instructions.push(instruction);
    const names = heredocNames(instruction.inner ?? instruction, line);
    if (names.length > 0 && !options.heredocs) {
      throw new DockerfileError(
        `uses a heredoc (<<${names[0].name}), which this engine's classic builder does not read: it would run the heredoc's lines as instructions`,
        start,
      );
    }
    for (const { name, chomp } of names) {
      let terminated = false;
      while (i + 1 < lines.length) {
        const body = lines[++i];
        if ((chomp ? body.replace(/^\t+/, "") : body) === name) {
          terminated = true;
          break;
        }
      }
      if (!terminated) throw new DockerfileError(`the heredoc <<${name} is never closed by a line "${name}"`, start);
    }
  }
  return { escape, syntax, instructions };
}

function parseInstruction(line: string, number: number): Instruction {
  const [keyword, rest = ""] = line.trim().split(/[\t\v\f\r ]+(.*)/s);
  const { flags, args } = leadingFlags(rest);
  const instruction: Instruction = { keyword: keyword.toUpperCase(), flags, args, json: jsonForm(args), line: number };
  if (instruction.keyword === "ONBUILD" && args.trim() !== "") instruction.inner = parseInstruction(args, number);
  return instruction;
}

// Words of the form <<NAME or <<-NAME in RUN, COPY and ADD (shell form), as BuildKit finds them.
function heredocNames(instruction: Instruction, line: string): Array<{ name: string; chomp: boolean }> {
  if (!HEREDOC_KEYWORDS.has(instruction.keyword) || instruction.json) return [];
  const found: Array<{ name: string; chomp: boolean }> = [];
  for (const word of rawWords(line, "\\")) {
    const match = HEREDOC.exec(word);
    if (!match || match[3] === "") continue;
    const name = match[3].replace(/\\(.)/g, "$1").replace(/["']/g, "");
    if (name !== "") found.push({ name, chomp: match[2] === "-" });
  }
  return found;
}

// Leading "--name=value" words (quotes removed) up to the first other word or a bare "--".
function leadingFlags(text: string): { flags: string[]; args: string } {
  const flags: string[] = [];
  let i = 0;
  for (;;) {
    while (i < text.length && /\s/.test(text[i])) i++;
    if (!text.startsWith("--", i)) return { flags, args: text.slice(i) };
    let word = "";
    let quote: string | null = null;
    for (; i < text.length && (quote !== null || !/\s/.test(text[i])); i++) {
      const c = text[i];
      if (quote === null && (c === "'" || c === '"')) quote = c;
      else if (c === quote) quote = null;
      else if (c === "\\" && i + 1 < text.length) word += text[++i];
      else word += c;
    }
    if (word === "--") return { flags, args: text.slice(i).trimStart() };
    flags.push(word);
  }
}

function jsonForm(args: string): string[] | null {
  const text = args.trim();
  if (!text.startsWith("[")) return null;
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) && parsed.every((item) => typeof item === "string") ? parsed : null;
  } catch {
    return null;
  }
}

const escapeForRegex = (c: string) => c.replace(/[\\^$.*+?()[\]{}|`]/g, "\\$&");
const escapeForClass = (c: string) => c.replace(/[\\\]^-]/g, "\\$&");
