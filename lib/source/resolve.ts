// Turns a comparison's repository into a directory holding the Go module to build:
// bundled examples ("example:<name>") are read in place; git repositories are cloned
// into a temporary folder (with the URL policy, limits and hardening of git.ts) and
// removed afterwards.
import { mkdtemp, realpath, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { cloneLimits, repoPolicy } from "@/lib/config";
import { UserError } from "@/lib/errors";
import { findExample } from "@/lib/examples";
import { moduleDirs } from "./analyze";
import { cloneRepo } from "./git";
import { readModuleFiles } from "./read-module";
import { checkHost, parseRepo, validateRef, validateSubdir } from "./url-policy";

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
  /** Removes anything fetched for this source. */
  cleanup(): Promise<void>;
}

export type SourceResolver = (request: SourceRequest) => Promise<Source>;

export const EXAMPLE_PREFIX = "example:";

export const resolveSource: SourceResolver = async (request) => {
  if (request.repo.startsWith(EXAMPLE_PREFIX)) {
    const name = request.repo.slice(EXAMPLE_PREFIX.length);
    const example = await findExample(name);
    if (!example) throw new UserError("UNKNOWN_EXAMPLE", `There is no bundled example called "${name}".`, "invalid", "repo");
    const dir = request.subdir ? await moduleDir(example.dir, request.subdir) : example.dir;
    return { dir, commit: null, cleanup: async () => {} };
  }

  const policy = repoPolicy();
  const location = parseRepo(request.repo, policy);
  if (location.kind === "remote") await checkHost(location.host, policy);
  const work = await mkdtemp(path.join(os.tmpdir(), "slimstage-clone-"));
  const cleanup = () => rm(work, { recursive: true, force: true });
  try {
    const root = path.join(work, "repo");
    const { commit } = await cloneRepo(location, request.ref ? validateRef(request.ref) : null, root, {
      ...cloneLimits(),
      allowLocal: policy.allowLocal,
      signal: request.signal,
    });
    const dir = request.subdir ? await moduleDir(root, request.subdir) : root;
    if (!(await isFile(path.join(dir, "go.mod")))) await explainMissingGoMod(root, request.subdir);
    return { dir, commit, cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
};

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
