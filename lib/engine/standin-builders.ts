// Go builder stand-ins made on demand: when a module needs a Go the engine has no
// `slimstage/golang:<minor>-local` for, and the one recipe (scripts/base-images/
// golang.Dockerfile, shared with scripts/base-images.sh) knows that minor, the image is
// built through the Engine from the bookworm minbase and Debian's packages, with the
// Debian mirror recorded on the images base-images.sh made. Requests for one image in
// one process share one build.
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pack } from "tar-stream";
import type { Engine } from "./engine";

export const MINBASE_IMAGE = "slimstage/bookworm-minbase:local";
/** The Debian mirror the stand-ins were made from (scripts/base-images.sh sets it). */
export const MIRROR_LABEL = "org.slimstage.debian-mirror";
export const RECIPE_LABEL = "org.slimstage.standin.recipe";
export const GOLANG_RECIPE_FILE = "scripts/base-images/golang.Dockerfile";

const STANDIN_REF = /^slimstage\/golang:(\d+\.\d+)-local$/;
// The recipe's table: one line per minor, `1.25) suites="trixie trixie-backports" ;;`.
const RECIPE_LINE = /^\s+(\d+\.\d+)\) suites="([a-z0-9 -]+)" ;;/gm;
// A mirror reaches a Dockerfile as a build argument: an http(s) URL and nothing else.
const MIRROR_URL = /^https?:\/\/[A-Za-z0-9.-]+(:\d+)?(\/[A-Za-z0-9._~%/-]*)?$/;

export const standinRef = (minor: string): string => `slimstage/golang:${minor}-local`;
/** "1.25" for slimstage/golang:1.25-local; null for any other image. */
export const standinMinor = (ref: string): string | null => ref.match(STANDIN_REF)?.[1] ?? null;
export const isStandinBuilder = (ref: string): boolean => standinMinor(ref) !== null;

/** The Go minors the recipe can make, and the Debian suites each comes from. */
export function recipeMinors(dockerfile: string): Map<string, string[]> {
  return new Map([...dockerfile.matchAll(RECIPE_LINE)].map((m) => [m[1], m[2].split(" ")]));
}

/** The recipe label's value: what scripts/base-images.sh computes (`sha256sum | cut -c1-16`). */
export const recipeDigest = (dockerfile: string): string => createHash("sha256").update(dockerfile).digest("hex").slice(0, 16);

export type StandinProblem = "no-recipe" | "no-minbase" | "no-mirror";

/** A stand-in that cannot be made here, and why (the pipeline says it before any build). */
export class StandinUnavailableError extends Error {
  constructor(
    readonly ref: string,
    readonly problem: StandinProblem,
    message: string,
  ) {
    super(message);
    this.name = "StandinUnavailableError";
  }
}

export interface EnsureOptions {
  onProgress(line: string): void;
  /** Aborting stops this caller's wait; the build itself stops when every waiter has gone. */
  signal?: AbortSignal;
  /** The recipe; defaults to the project's scripts/base-images/golang.Dockerfile. */
  recipeFile?: string;
  /** The mirror when no stand-in records one; defaults to the host's apt sources. */
  hostMirror?: () => Promise<string | null>;
}

type StandinEngine = Pick<Engine, "image" | "build">;

interface SharedBuild {
  done: Promise<void>;
  listeners: Set<(line: string) => void>;
  waiters: number;
  /** Stops the build and lets the next request start a new one. */
  cancel(reason: unknown): void;
}
const building = new WeakMap<StandinEngine, Map<string, SharedBuild>>();

/**
 * Makes sure the engine has `ref`: "present" when it does (whatever recipe made it),
 * "built" after building a missing stand-in. Throws StandinUnavailableError when `ref`
 * is missing and has no recipe, or the minbase or a mirror is missing; BuildFailedError
 * when the build fails. Call it for stand-in builders only (isStandinBuilder): official
 * images are pulled by the engine.
 */
export async function ensureBuilderImage(engine: StandinEngine, ref: string, opts: EnsureOptions): Promise<"present" | "built"> {
  opts.signal?.throwIfAborted();
  if (await engine.image(ref)) return "present";
  let builds = building.get(engine);
  if (!builds) building.set(engine, (builds = new Map()));
  let shared = builds.get(ref);
  if (!shared) {
    const abort = new AbortController();
    const listeners = new Set<(line: string) => void>();
    const done = buildStandin(engine, ref, opts, abort.signal, (line) => listeners.forEach((listener) => listener(line)));
    const forget = () => builds.get(ref) === created && builds.delete(ref);
    const created: SharedBuild = { done, listeners, waiters: 0, cancel: (reason) => (forget(), abort.abort(reason)) };
    shared = created;
    builds.set(ref, created);
    void done.then(forget, forget);
  } else {
    opts.onProgress(`${ref}: joining the build already under way`);
  }
  return wait(shared, opts);
}

async function wait(shared: SharedBuild, opts: EnsureOptions): Promise<"built"> {
  shared.listeners.add(opts.onProgress);
  shared.waiters++;
  let onAbort = () => {};
  try {
    await Promise.race([
      shared.done,
      new Promise<never>((_, reject) => {
        onAbort = () => reject(opts.signal?.reason);
        opts.signal?.addEventListener("abort", onAbort, { once: true });
      }),
    ]);
    return "built";
  } finally {
    opts.signal?.removeEventListener("abort", onAbort);
    shared.listeners.delete(opts.onProgress);
    // The last one waiting has gone: nobody needs the image now.
    if (--shared.waiters === 0 && opts.signal?.aborted) shared.cancel(opts.signal.reason);
  }
}

async function buildStandin(engine: StandinEngine, ref: string, opts: EnsureOptions, signal: AbortSignal, log: (line: string) => void): Promise<void> {
  const minor = standinMinor(ref);
  const recipeFile = opts.recipeFile ?? path.join(process.cwd(), GOLANG_RECIPE_FILE);
  // Not traced by Next (the web never builds; the worker's image copies the recipe itself).
  const dockerfile = await readFile(/*turbopackIgnore: true*/ recipeFile, "utf8");
  const suites = minor ? recipeMinors(dockerfile).get(minor) : undefined;
  if (!minor || !suites) {
    const known = [...recipeMinors(dockerfile).keys()].join(", ");
    throw new StandinUnavailableError(ref, "no-recipe", `The engine has no ${ref}, and no recipe makes it (the Go stand-ins made here: ${known}).`);
  }
  if (!(await engine.image(MINBASE_IMAGE))) {
    throw new StandinUnavailableError(ref, "no-minbase", `${ref} is made from ${MINBASE_IMAGE}, which the engine does not have: run scripts/base-images.sh (as root) first.`);
  }
  const mirror = await debianMirror(engine, [...recipeMinors(dockerfile).keys()].map(standinRef), opts.hostMirror ?? hostAptMirror);
  if (!mirror) {
    throw new StandinUnavailableError(ref, "no-mirror", `No Debian mirror is known to make ${ref}: no stand-in records one (${MIRROR_LABEL}) and this host's apt sources name none.`);
  }
  log(`${ref}: the engine has no Go ${minor} builder; making it from Debian's golang-${minor}-go (${suites.join(", ")}) — once, it is kept`);
  await engine.build({
    context: dockerfileContext(dockerfile),
    dockerfile: "Dockerfile",
    tag: ref,
    labels: { "org.slimstage.managed": "base-image", [RECIPE_LABEL]: recipeDigest(dockerfile), [MIRROR_LABEL]: mirror },
    buildArgs: { MIRROR: mirror, GO_MINOR: minor },
    // The RUN step reaches the Debian mirror; the classic builder, as base-images.sh builds.
    networkMode: "host",
    builder: "classic",
    onLog: log,
    signal,
  });
}

/** The mirror recorded on the minbase or a Go stand-in the engine has, else the host's. */
async function debianMirror(engine: StandinEngine, standins: string[], hostMirror: () => Promise<string | null>): Promise<string | null> {
  for (const ref of [MINBASE_IMAGE, ...standins]) {
    const recorded = (await engine.image(ref))?.labels?.[MIRROR_LABEL];
    if (recorded && MIRROR_URL.test(recorded)) return recorded;
  }
  const host = await hostMirror().catch(() => null);
  return host && MIRROR_URL.test(host) ? host : null;
}

/** The host's own Debian mirror, as scripts/lib.sh debian_mirror reads it (deb822 sources, then sources.list). */
export async function hostAptMirror(root = "/etc/apt"): Promise<string | null> {
  const dir = path.join(root, "sources.list.d");
  const names = (await readdir(dir).catch(() => [] as string[])).filter((name) => name.endsWith(".sources")).sort();
  const uris: string[] = [];
  for (const name of names) {
    const text = await readFile(path.join(dir, name), "utf8").catch(() => "");
    for (const match of text.matchAll(/^URIs:\s*(\S+)/gm)) uris.push(match[1]);
  }
  const list = await readFile(path.join(root, "sources.list"), "utf8").catch(() => "");
  for (const match of list.matchAll(/^deb\s+(?:\[[^\]]*\]\s+)?(\S+)/gm)) uris.push(match[1]);
  return uris.find((uri) => !uri.includes("security")) ?? null;
}

// The recipe copies nothing: the context is the Dockerfile alone.
function dockerfileContext(dockerfile: string): Readable {
  const tar = pack();
  tar.entry({ name: "Dockerfile", mode: 0o644, mtime: new Date(0) }, Buffer.from(dockerfile));
  tar.finalize();
  return Readable.from(tar);
}
