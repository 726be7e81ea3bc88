// Pure: the repository's own Dockerfile with the package manager's caches removed in the
// RUN that makes them, so they never reach a layer: `apk add` gets --no-cache, and a RUN
// that installs with apt-get or apt and keeps /var/lib/apt/lists gets
// `&& rm -rf /var/lib/apt/lists/*` at its end. Only shell-form RUNs read without doubt are
// changed: JSON form, heredocs, a SHELL of its own, the backtick escape, a cache mount over
// the lists, a command split inside `apk add` or a last line that ends in an operator or a
// comment are left as written. Go's caches are not rewritten (repo-steps.ts says how).
import { splitDockerfile, type Instruction } from "@/lib/dockerfiles/dockerfile-lines";

export interface CacheChange {
  /** 1-based line of the Dockerfile that changed. */
  line: number;
  what: "apk-no-cache" | "apt-lists";
}

export interface CacheRewrite {
  text: string;
  changes: CacheChange[];
}

const APK_ADD = /\bapk((?:\s+-{1,2}[\w-]+(?:=\S+)?)*)\s+add\b/g;
const APT_INSTALL = /\bapt(?:-get)?\s+(?:-{1,2}\S+\s+)*install\b/;
const APT_CLEAN = "rm -rf /var/lib/apt/lists/*";
const HEREDOC = /(^|\s)\d*<<-?["']?[A-Za-z_]/;
// The last line can take `&& rm …` when it ends a command, not an operator, a continuation or a comment.
const OPEN_END = /(&&|\|\||[|;&({\\]|\bthen|\bdo|\belse)\s*$/;

/** The rewritten text and what changed, or null when nothing applies (or the file cannot be read). */
export function removePackageCaches(text: string): CacheRewrite | null {
  let split;
  try {
    split = splitDockerfile(text, { heredocs: true });
  } catch {
    return null;
  }
  if (split.escape !== "\\" || split.instructions.some((i) => i.keyword === "SHELL")) return null;
  const lines = text.split("\n");
  const changes: CacheChange[] = [];
  for (const run of split.instructions) {
    if (run.keyword !== "RUN" || run.json || run.lastLine === undefined || HEREDOC.test(run.args)) continue;
    const mounts = run.flags.join(" ");
    changes.push(...noCacheApk(run, lines, mounts));
    const apt = aptLists(run, lines, mounts);
    if (apt) changes.push(apt);
  }
  return changes.length ? { text: lines.join("\n"), changes } : null;
}

function noCacheApk(run: Instruction, lines: string[], mounts: string): CacheChange[] {
  if (/--no-cache\b/.test(run.args) || /\/var\/cache\/apk/.test(run.args + mounts)) return [];
  const changed = new Map<number, string>();
  let found = 0;
  for (let n = run.line; n <= run.lastLine!; n++) {
    found += [...lines[n - 1].matchAll(APK_ADD)].length;
    const after = lines[n - 1].replace(APK_ADD, (match) => `${match} --no-cache`);
    if (after !== lines[n - 1]) changed.set(n, after);
  }
  // An `apk add` split over lines (apk \ add) is in the instruction but on no one line: left as written.
  if (found !== [...run.args.matchAll(APK_ADD)].length) return [];
  for (const [n, after] of changed) lines[n - 1] = after;
  return [...changed.keys()].map((line) => ({ line, what: "apk-no-cache" }));
}

function aptLists(run: Instruction, lines: string[], mounts: string): CacheChange | null {
  if (!APT_INSTALL.test(run.args) || /\/var\/lib\/apt\/lists/.test(run.args + mounts)) return null;
  const n = run.lastLine!;
  const line = lines[n - 1];
  const cr = line.endsWith("\r") ? "\r" : "";
  const body = cr ? line.slice(0, -1) : line;
  // A trailing `# …` would swallow what is appended; an open end would change what the && applies to.
  if (body.includes("#") || OPEN_END.test(body)) return null;
  lines[n - 1] = `${body.replace(/\s+$/, "")} && ${APT_CLEAN}${cr}`;
  return { line: n, what: "apt-lists" };
}
