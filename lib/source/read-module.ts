// Reads a Go module from disk into what analyzeModule needs: go.mod, go.work, the .go
// sources of the module's own packages and vendor/modules.txt, plus the path of every
// file the go tool would look at, so the caller can spot a monorepo, a go.sum or a
// Dockerfile. Only what the analysis reads is bounded (SourceLimits, configuration):
// vendor/ (but modules.txt), testdata/, dot folders, tests and non-Go files are never
// read or counted, so a large vendored repository passes. The tree is untrusted:
// symlinks are never followed and every read is bounded before it happens.
import { lstat, readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { DEFAULT_SOURCE_LIMITS, type SourceLimits } from "@/lib/config";
import { UserError } from "@/lib/errors";
import type { GoFile } from "@/lib/source/analyze";

/** @deprecated The name before the limits became configuration (SourceLimits). */
export type ReadLimits = SourceLimits;

export interface ModuleFiles {
  goMod: string | null;
  /** go.work beside go.mod: the module is built in a workspace. */
  goWork: string | null;
  /** The module's own non-test .go files, and vendor/modules.txt. */
  files: GoFile[];
  /**
   * Every regular file, posix and relative, sorted — except under vendor/ (bar
   * vendor/modules.txt), testdata/ and dot folders, which the go tool never builds.
   */
  allPaths: string[];
}

const MODULES_TXT = "vendor/modules.txt";

export async function readModuleFiles(dir: string, limits: SourceLimits = DEFAULT_SOURCE_LIMITS): Promise<ModuleFiles> {
  const result: ModuleFiles = { goMod: null, goWork: null, files: [], allPaths: [] };
  let sourceFiles = 0;
  let bytes = 0;

  const tooLarge = (): never => {
    const limit = `${limits.maxFiles.toLocaleString("en")} .go files and ${Math.round(limits.maxBytes / 1e6)} MB`;
    throw new UserError(
      "REPO_TOO_LARGE",
      `The module has more Go source than this server reads (at most ${limit} outside vendor/, testdata/ and tests; SLIMSTAGE_MAX_SOURCE_FILES, SLIMSTAGE_MAX_SOURCE_MB).`,
      "invalid",
      "repo",
    );
  };
  // The size is asked before reading, so a huge file is refused without being read.
  const read = async (rel: string): Promise<string> => {
    const { size } = await lstat(path.join(dir, rel));
    bytes += size;
    if (bytes > limits.maxBytes) tooLarge();
    return readFile(path.join(dir, rel), "utf8");
  };

  // `skipSources`: inside another module (a folder with its own go.mod) or a folder the
  // go tool ignores (_name): its files are listed, its sources are not this module's.
  async function walk(relative: string, skipSources: boolean): Promise<void> {
    const entries = await readdir(path.join(dir, relative), { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const nested = skipSources || (relative !== "" && entries.some((e) => e.isFile() && e.name === "go.mod"));
    for (const entry of entries) {
      const rel = relative ? `${relative}/${entry.name}` : entry.name;
      // Dirent types come from lstat, so a symlink is never a directory or a file here.
      if (entry.isDirectory()) {
        if (entry.name.startsWith(".") || entry.name === "testdata") continue;
        if (entry.name === "vendor") {
          if (rel === "vendor") await readModulesTxt();
          continue;
        }
        await walk(rel, nested || entry.name.startsWith("_"));
        continue;
      }
      if (!entry.isFile()) continue;
      result.allPaths.push(rel);
      if (rel === "go.mod") result.goMod = await read(rel);
      else if (rel === "go.work") result.goWork = await read(rel);
      else if (!nested && isBuiltSource(entry.name)) {
        if (++sourceFiles > limits.maxFiles) tooLarge();
        result.files.push({ path: rel, content: await read(rel) });
      }
    }
  }

  async function readModulesTxt(): Promise<void> {
    const info = await lstat(path.join(dir, MODULES_TXT)).catch(() => null);
    if (!info?.isFile()) return;
    result.allPaths.push(MODULES_TXT);
    result.files.push({ path: MODULES_TXT, content: await read(MODULES_TXT) });
  }

  await walk("", false);
  result.allPaths.sort();
  return result;
}

// What `go build` compiles: .go files that are not tests and not hidden (. or _).
const isBuiltSource = (name: string): boolean => name.endsWith(".go") && !name.endsWith("_test.go") && !/^[._]/.test(name);
