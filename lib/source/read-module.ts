// Reads a Go module from disk into what analyzeModule needs: go.mod, the .go sources
// and vendor/modules.txt, plus the path of every file so the caller can spot a
// monorepo. The tree is untrusted: symlinks are never followed and size is bounded.
import { lstat, readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { UserError } from "@/lib/errors";
import type { GoFile } from "@/lib/source/analyze";

export interface ReadLimits {
  maxFiles: number;
  maxBytes: number;
}

export interface ModuleFiles {
  goMod: string | null;
  files: GoFile[];
  /** Every regular file under the directory, posix and relative, sorted. */
  allPaths: string[];
}

export async function readModuleFiles(
  dir: string,
  limits: ReadLimits = { maxFiles: 5000, maxBytes: 20_000_000 },
): Promise<ModuleFiles> {
  const result: ModuleFiles = { goMod: null, files: [], allPaths: [] };
  let bytes = 0;

  const tooLarge = (what: string): never => {
    const limit = `${limits.maxFiles} files and ${Math.round(limits.maxBytes / 1_000_000)} MB`;
    throw new UserError("REPO_TOO_LARGE", `The repository has more ${what} than Slimstage reads (at most ${limit}).`, "invalid", "repo");
  };

  // `nested` is true inside a directory that holds its own go.mod: that is another
  // module, so its sources are listed but must not count as this module's.
  async function walk(relative: string, nested: boolean): Promise<void> {
    const entries = await readdir(path.join(dir, relative), { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const ownModule = nested || (relative !== "" && entries.some((e) => e.isFile() && e.name === "go.mod"));
    for (const entry of entries) {
      const rel = relative ? `${relative}/${entry.name}` : entry.name;
      // Dirent types come from lstat, so a symlink is never a directory or a file here.
      if (entry.isDirectory()) {
        if (!entry.name.startsWith(".")) await walk(rel, ownModule);
        continue;
      }
      if (!entry.isFile()) continue;
      const { size } = await lstat(path.join(dir, rel));
      bytes += size;
      result.allPaths.push(rel);
      if (result.allPaths.length > limits.maxFiles) tooLarge("files");
      if (bytes > limits.maxBytes) tooLarge("data");
      if (rel === "go.mod") result.goMod = await readFile(path.join(dir, rel), "utf8");
      else if (rel === "vendor/modules.txt" || (!ownModule && entry.name.endsWith(".go"))) {
        result.files.push({ path: rel, content: await readFile(path.join(dir, rel), "utf8") });
      }
    }
  }

  await walk("", false);
  result.allPaths.sort();
  return result;
}
