// Pure: what a repository's own Dockerfile — untrusted — would make the build fetch, read
// before anything is built. Refused: an ADD that downloads (the engine fetches it itself,
// whatever the build's network), and a base image the operator has not allowed and the
// engine does not already have. Read as Docker reads it (dockerfile-lines.ts): a remote
// ADD hidden behind a backtick continuation, an ARG default or a lowercase keyword is
// still found, and a heredoc's body is not mistaken for instructions.
import { DockerfileError, splitDockerfile, type Instruction } from "./dockerfile-lines";
import { WordError, expandWord, nameValues } from "./dockerfile-words";
import { parseImageRef } from "./image-ref";

export interface RepoDockerfilePolicy {
  /** The operator allows this image (SLIMSTAGE_REPO_BASES; see imagePolicy in image-ref.ts). */
  allowed(ref: string): boolean;
  /** The engine already has this image, so the build pulls nothing. */
  present(ref: string): boolean;
  /** The builder reads heredocs (BuildKit). Default false: the classic builder, which runs their bodies as instructions. */
  heredocs?: boolean;
  /** --build-arg values the build passes; they override ARG defaults. */
  buildArgs?: Record<string, string>;
}

export type StageBase = { kind: "image"; ref: string } | { kind: "stage"; index: number } | { kind: "scratch" };

export interface DockerfileStage {
  index: number;
  /** The "AS" name, lower-cased as Docker compares it. */
  name: string | null;
  base: StageBase;
  line: number;
}

export type RefusalCode = "REMOTE_ADD" | "FROM_NOT_ALLOWED" | "CACHE_NOT_ALLOWED" | "UNREADABLE";

export type RepoDockerfile =
  | { ok: true; baseImages: string[]; finalBase: string | null; stages: DockerfileStage[] }
  | { ok: false; code: RefusalCode; message: string; line?: number };

interface Scan {
  stages: DockerfileStage[];
  /** External images in order of appearance: FROM images, COPY --from and RUN --mount from= images. */
  images: string[];
  remoteAdd: { source: string; line: number } | null;
  /** A RUN --mount naming a cache of this server's own builds (see lib/jobs/cache-scope.ts). */
  ownCache: { mount: string; line: number } | null;
}

const KEYWORDS = new Set(["ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK", "LABEL", "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR"]);
const STAGE_NAME = /^[a-z][a-z0-9-_.]*$/i;
const REMOTE_SOURCE = /^[["',\s]*(?:[a-z][a-z0-9+.-]*:\/\/|git@|github\.com\/)/i;
const SPACES = /[\t\v\f\r ]+/;
// The generated builds name their caches "slimstage-…" (lib/jobs/cache-scope.ts): no
// repository's Dockerfile may mount them, so none can fill what another build trusts.
const OWN_CACHE = /slimstage/i;

export function readRepoDockerfile(text: string, policy: RepoDockerfilePolicy): RepoDockerfile {
  let scan: Scan;
  try {
    scan = scanDockerfile(text, policy);
  } catch (error) {
    if (!(error instanceof DockerfileError)) throw error;
    return { ok: false, code: "UNREADABLE", message: `The repository's Dockerfile cannot be read: ${error.message} (line ${error.line}).`, line: error.line };
  }
  if (scan.remoteAdd) {
    const { source, line } = scan.remoteAdd;
    return {
      ok: false,
      code: "REMOTE_ADD",
      message: `The repository's Dockerfile downloads with ADD (${source.slice(0, 200)}, line ${line}); the engine would fetch it outside the build's sandbox, so this server does not build it. Use COPY with files from the repository.`,
      line,
    };
  }
  if (scan.ownCache) {
    const { mount, line } = scan.ownCache;
    return {
      ok: false,
      code: "CACHE_NOT_ALLOWED",
      message: `The repository's Dockerfile mounts a build cache this server keeps for its own builds (${mount.slice(0, 200)}, line ${line}); give the cache another id, or none.`,
      line,
    };
  }
  const refused = scan.images.filter((ref) => !policy.present(ref) && !policy.allowed(ref));
  if (refused.length > 0) {
    return {
      ok: false,
      code: "FROM_NOT_ALLOWED",
      message: `The repository's Dockerfile uses ${refused.join(", ")}, which this server neither has nor allows (SLIMSTAGE_REPO_BASES); use an allowed base image or ask the operator to allow it.`,
    };
  }
  return { ok: true, baseImages: scan.images, finalBase: finalBase(scan.stages), stages: scan.stages };
}

/** The external images the Dockerfile pulls ([] when it cannot be read). */
export function baseImagesOf(dockerfile: string): string[] {
  return scanOrNull(dockerfile)?.images ?? [];
}

/** The image the final stage is built on, through earlier stages (null for scratch or unreadable). */
export function finalBaseOf(dockerfile: string): string | null {
  const scan = scanOrNull(dockerfile);
  return scan ? finalBase(scan.stages) : null;
}

function scanOrNull(dockerfile: string): Scan | null {
  try {
    return scanDockerfile(dockerfile, { heredocs: true });
  } catch (error) {
    if (error instanceof DockerfileError) return null;
    throw error;
  }
}

function finalBase(stages: DockerfileStage[]): string | null {
  let base = stages.at(-1)?.base;
  while (base?.kind === "stage") base = stages[base.index].base;
  return base?.kind === "image" ? base.ref : null;
}

function scanDockerfile(text: string, options: Pick<RepoDockerfilePolicy, "heredocs" | "buildArgs">): Scan {
  const { escape, instructions } = splitDockerfile(text, { heredocs: options.heredocs ?? false });
  const buildArgs = new Map(Object.entries(options.buildArgs ?? {}));
  const globals = new Map<string, string>(); // ARGs before the first FROM: what FROM may use
  const values = new Map<string, string>(); // every ARG and ENV value: what ADD and --from may use
  const scan: Scan = { stages: [], images: [], remoteAdd: null, ownCache: null };
  const expand = (word: string, vars: ReadonlyMap<string, string>, line: number) => {
    try {
      return expandWord(word, vars, escape);
    } catch (error) {
      if (error instanceof WordError) throw new DockerfileError(error.message, line);
      throw error;
    }
  };
  const addImage = (ref: string, line: number) => {
    if (!parseImageRef(ref)) throw new DockerfileError(`"${ref}" is not an image reference`, line);
    if (!scan.images.includes(ref)) scan.images.push(ref);
  };
  // A stage by name or, for --from, by number; else the word is an image.
  const stageOf = (word: string, byNumber: boolean) => {
    const named = scan.stages.findIndex((stage) => stage.name === word.toLowerCase());
    if (named >= 0) return named;
    return byNumber && /^\d+$/.test(word) && Number(word) < scan.stages.length ? Number(word) : null;
  };

  for (const ins of instructions) {
    if (!KEYWORDS.has(ins.keyword)) throw new DockerfileError(`unknown instruction ${ins.keyword}`, ins.line);
    if (scan.stages.length === 0 && ins.keyword !== "ARG" && ins.keyword !== "FROM") {
      throw new DockerfileError(`${ins.keyword} comes before the first FROM`, ins.line);
    }
    if (ins.keyword === "ARG" || ins.keyword === "ENV") {
      const pairs = ins.keyword === "ENV" && !ins.args.trim().split(SPACES)[0].includes("=") ? legacyEnv(ins.args) : nameValues(ins.args, escape);
      for (const { name, raw } of pairs) {
        const given = ins.keyword === "ARG" ? buildArgs.get(name) : undefined;
        const value = given ?? (raw === null ? undefined : expand(raw, values, ins.line));
        if (value === undefined) continue; // "ARG X" alone: unset, or the value declared before
        if (scan.stages.length === 0) globals.set(name, value);
        values.set(name, value);
      }
    } else if (ins.keyword === "FROM") {
      const words = ins.args.trim().split(SPACES).filter(Boolean);
      const named = words.length === 3 && words[1].toLowerCase() === "as";
      if (words.length !== 1 && !named) throw new DockerfileError("FROM takes an image and optionally AS <name>", ins.line);
      if (named && !STAGE_NAME.test(words[2])) throw new DockerfileError(`"${words[2]}" is not a valid stage name`, ins.line);
      const image = expand(words[0], globals, ins.line);
      if (image === "") throw new DockerfileError(`FROM ${words[0]} names no image`, ins.line);
      const stage = stageOf(image, false);
      let base: StageBase;
      if (stage !== null) base = { kind: "stage", index: stage };
      else if (image.toLowerCase() === "scratch") base = { kind: "scratch" };
      else base = { kind: "image", ref: image };
      if (base.kind === "image") addImage(base.ref, ins.line);
      scan.stages.push({ index: scan.stages.length, name: named ? words[2].toLowerCase() : null, base, line: ins.line });
    } else if (ins.keyword === "COPY" || ins.keyword === "RUN") {
      for (const from of fromFlags(ins)) {
        const ref = expand(from, values, ins.line);
        if (stageOf(ref, true) === null && ref.toLowerCase() !== "scratch") addImage(ref, ins.line);
      }
      const mount = ins.flags.find((flag) => /^--mount=/i.test(flag) && (OWN_CACHE.test(flag) || OWN_CACHE.test(expand(flag, values, ins.line))));
      if (mount && !scan.ownCache) scan.ownCache = { mount, line: ins.line };
    } else if (ins.keyword === "ADD" && !scan.remoteAdd) {
      scan.remoteAdd = remoteSource(ins, (word) => expand(word, values, ins.line));
    }
  }
  if (scan.stages.length === 0) throw new DockerfileError("there is no FROM", instructions.at(-1)?.line ?? 1);
  return scan;
}

// COPY --from=X and RUN --mount=...,from=X (BuildKit) both read another image or stage.
function fromFlags(ins: Instruction): string[] {
  const found: string[] = [];
  for (const flag of ins.flags) {
    const [name, value = ""] = flag.replace(/^--/, "").split(/=(.*)/s);
    if (name.toLowerCase() === "from") found.push(value);
    if (name.toLowerCase() === "mount") {
      for (const field of value.split(",")) {
        const [key, fieldValue = ""] = field.split(/=(.*)/s);
        if (key.trim().toLowerCase() === "from") found.push(fieldValue.trim());
      }
    }
  }
  return found;
}

// --checksum and --keep-git-dir exist only for remote sources; any source, as written or
// as expanded, that is a URL or a git address downloads.
function remoteSource(ins: Instruction, expand: (word: string) => string): { source: string; line: number } | null {
  const remoteFlag = ins.flags.find((flag) => /^--(checksum|keep-git-dir)\b/i.test(flag));
  if (remoteFlag) return { source: remoteFlag, line: ins.line };
  const words = ins.json ?? ins.args.trim().split(SPACES).filter(Boolean);
  for (const word of words) {
    if (REMOTE_SOURCE.test(word) || REMOTE_SOURCE.test(expand(word))) return { source: word, line: ins.line };
  }
  return null;
}

// "ENV NAME value with spaces": the old form, one variable.
function legacyEnv(args: string): Array<{ name: string; raw: string | null }> {
  const [name, raw = ""] = args.trim().split(/[\t\v\f\r ]+(.*)/s);
  return [{ name, raw }];
}
