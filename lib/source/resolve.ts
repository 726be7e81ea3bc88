// Turns a comparison's repository into a directory holding the Go module to build.
// Bundled examples ("example:<name>") are read in place.
import { findExample } from "@/lib/examples";
import { UserError } from "@/lib/errors";

export interface SourceRequest {
  repo: string;
  ref: string | null;
  subdir: string | null;
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
    return { dir: example.dir, commit: null, cleanup: async () => {} };
  }
  throw new UserError("UNSUPPORTED_REPO", "Only bundled examples (example:<name>) can be compared so far.", "invalid", "repo");
};
