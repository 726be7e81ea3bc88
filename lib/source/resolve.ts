// Turns a comparison's repository into a directory holding the Go module to build:
// bundled examples ("example:<name>") are read in place; git repositories are cloned
// into a temporary folder (with the URL policy, limits and hardening of git.ts, pinned to
// the addresses the policy checked) and removed afterwards.
import { mkdtemp, readFile, realpath, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { UserError } from "@/lib/errors";
import { findExample } from "@/lib/examples";
import { moduleDirs } from "./analyze";
import { cloneRepo } from "./git";
import { readModuleFiles } from "./read-module";
import { parseRepo, pinRepo, validateRef, validateSubdir, type HostLookup, type RepoPolicy } from "./url-policy";

export interface SourceRequest {
  repo: string;
  ref: string | null;
  subdir: string | null;
  signal?: AbortSignal;
}

export interface Source {
  /** The module root: the folder holding go.mod. */
  dir: string;
  /** The resolved commit, when the source is a git repository. */
  commit: string | null;
  /** A go.work above the module folder that uses it ("go.work" relative to the repository): the module is built alone. */
  workspaceAbove?: string | null;
  /** Removes anything fetched for this source. */
  cleanup(): Promise<void>;
}

export type SourceResolver = (request: SourceRequest) => Promise<Source>;

/** Kept here for its callers; the rule lives in repo-input.ts. */
export { EXAMPLE_PREFIX } from "./repo-input";

export interface SourceSettings {
  /** The URL policy (SLIMSTAGE_ALLOW_PRIVATE_HOSTS, SLIMSTAGE_ALLOW_LOCAL_REPOS). */
  policy: RepoPolicy;
  /** Clone limits (SLIMSTAGE_CLONE_TIMEOUT, SLIMSTAGE_MAX_REPO_MB). */
  limits: { timeoutMs: number; maxBytes: number };
  /** Where the bundled examples are (SLIMSTAGE_EXAMPLES_DIR). */
  examplesDir: string;
  /** How the host is resolved, once: the clone is pinned to its answer. */
  lookup?: HostLookup;
}

/** A SourceResolver with the operator's settings (and, in tests, a DNS of their own). */
export function makeSourceResolver(settings: SourceSettings): SourceResolver {
  return async (request) => {
    const { policy } = settings;
    const location = parseRepo(request.repo, policy);
    if (location.kind === "example") {
      const example = await findExample(settings.examplesDir, location.name);
      if (!example) throw new UserError("UNKNOWN_EXAMPLE", `There is no bundled example called "${location.name}".`, "invalid", "repo");
      const dir = request.subdir ? await moduleDir(example.dir, request.subdir) : example.dir;
      return { dir, commit: null, cleanup: async () => {} };
    }

    const source = await pinRepo(location, policy, settings.lookup);
    const work = await mkdtemp(path.join(os.tmpdir(), "slimstage-clone-"));
    const cleanup = () => rm(work, { recursive: true, force: true });
    try {
      const root = path.join(work, "repo");
      const { commit } = await cloneRepo(source, request.ref ? validateRef(request.ref) : null, root, {
        ...settings.limits,
        allowLocal: policy.allowLocal,
        signal: request.signal,
      });
      const dir = request.subdir ? await moduleDir(root, request.subdir) : root;
      if (!(await isFile(path.join(dir, "go.mod")))) await explainMissingGoMod(root, request.subdir);
      return { dir, commit, cleanup, workspaceAbove: request.subdir ? await workspaceAbove(root, dir) : null };
    } catch (error) {
      await cleanup();
      throw error;
    }
  };
}

// The subdirectory must exist and stay inside the repository, even through symlinks.
async function moduleDir(root: string, subdir: string): Promise<string> {
  const relative = validateSubdir(subdir);
  const dir = path.join(root, relative);
  const real = await realpath(dir).catch(() => null);
  const realRoot = await realpath(root);
  if (!real || !(await stat(real)).isDirectory()) {
    throw new UserError("UNKNOWN_SUBDIR", `The repository has no folder "${relative}".`, "invalid", "subdir");
  }
  if (real !== realRoot && !real.startsWith(realRoot + path.sep)) {
    throw new UserError("INVALID_SUBDIR", `"${relative}" leads outside the repository.`, "invalid", "subdir");
  }
  return real;
}

// A go.work between the repository's root and the module folder (its parent folders only)
// whose `use` lines name that folder: the module relies on its workspace, which a build of
// the folder alone does not have.
async function workspaceAbove(root: string, dir: string): Promise<string | null> {
  const realRoot = await realpath(root);
  for (let parent = path.dirname(dir); parent === realRoot || parent.startsWith(realRoot + path.sep); parent = path.dirname(parent)) {
    const text = await readFile(path.join(parent, "go.work"), "utf8").catch(() => null);
    if (text !== null) {
      const used = [...text.matchAll(/^\s*(?:use\s+)?(\.{1,2}\/[^\s)]*|\.)\s*$/gm)].map((m) => path.resolve(parent, m[1]));
      return used.includes(dir) ? path.relative(realRoot, path.join(parent, "go.work")) : null;
    }
    if (parent === realRoot) break;
  }
  return null;
}

// The article's repository is a monorepo of modules in subfolders: say which to pick.
async function explainMissingGoMod(root: string, subdir: string | null): Promise<never> {
  const { allPaths } = await readModuleFiles(root);
  const modules = moduleDirs(allPaths).filter((dir) => dir !== ".");
  const where = subdir ? `"${subdir}"` : "the repository's root";
  if (modules.length > 0) {
    throw new UserError(
      "NO_GO_MOD",
      `There is no go.mod in ${where}. Go modules in this repository: ${modules.join(", ")}. Set subdir to one of them.`,
      "invalid",
      "subdir",
    );
  }
  throw new UserError("NOT_GO_REPO", `This does not look like a Go repository: there is no go.mod in ${where} or any folder below it.`, "invalid", "repo");
}

async function isFile(file: string): Promise<boolean> {
  return stat(file).then((s) => s.isFile(), () => false);
}
