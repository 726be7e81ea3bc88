import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Readable } from "node:stream";
import { extract } from "tar-stream";
import { afterEach, describe, expect, it } from "vitest";
import type { BuildInput, Engine, ImageInfo } from "./engine";
import {
  ensureBuilderImage,
  GOLANG_RECIPE_FILE,
  hostAptMirror,
  MINBASE_IMAGE,
  MIRROR_LABEL,
  recipeDigest,
  recipeMinors,
  standinMinor,
  StandinUnavailableError,
} from "./standin-builders";

const RECIPE = path.resolve(GOLANG_RECIPE_FILE);
const MIRROR = "http://debian.mirror.test/debian";

function deferred() {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

/** An engine holding `images`; each build waits for `release` and then has the tagged image. */
function fakeEngine(images: Record<string, Record<string, string>>) {
  const builds: BuildInput[] = [];
  const release = deferred();
  const engine: Pick<Engine, "image" | "build"> = {
    image: async (ref) => (ref in images ? ({ id: ref, sizeBytes: 1, historyLength: 1, labels: images[ref] } satisfies ImageInfo) : null),
    build: async (input) => {
      builds.push(input);
      input.onLog("Step 1/6 : FROM slimstage/bookworm-minbase:local");
      await Promise.race([
        release.promise,
        new Promise((_, reject) => input.signal?.addEventListener("abort", () => reject(new Error("build canceled")), { once: true })),
      ]);
      images[input.tag!] = input.labels;
      return { imageId: "sha256:new" };
    },
  };
  return { engine, builds, release };
}

async function contextFiles(context: Readable): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  const reader = extract();
  const done = new Promise<void>((resolve, reject) => {
    reader.on("entry", (header, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: unknown) => void chunks.push(chunk as Buffer));
      stream.on("end", () => ((files[header.name] = Buffer.concat(chunks).toString("utf8")), next()));
    });
    reader.on("finish", resolve);
    reader.on("error", reject);
  });
  context.pipe(reader);
  await done;
  return files;
}

const noHostMirror = async (): Promise<string | null> => null;
const hostHas = async (): Promise<string | null> => MIRROR;
const quiet = { onProgress: () => {}, hostMirror: noHostMirror };

describe("the recipe", () => {
  it("makes Go 1.23 from bookworm-backports, 1.24 from trixie, 1.25-1.27 from trixie-backports", async () => {
    const minors = recipeMinors(await readFile(RECIPE, "utf8"));
    expect(Object.fromEntries(minors)).toEqual({
      "1.23": ["bookworm-backports"],
      "1.24": ["trixie"],
      "1.25": ["trixie", "trixie-backports"],
      "1.26": ["trixie", "trixie-backports"],
      "1.27": ["trixie", "trixie-backports"],
    });
  });

  it("has the digest scripts/base-images.sh computes", async () => {
    const shell = execFileSync("sha256sum", [RECIPE], { encoding: "utf8" }).slice(0, 16);
    expect(recipeDigest(await readFile(RECIPE, "utf8"))).toBe(shell);
  });

  it.each([
    ["slimstage/golang:1.25-local", "1.25"],
    ["slimstage/golang:1.23-local", "1.23"],
    ["golang:1.25", null],
    ["slimstage/golang:1.25", null],
    ["evil/slimstage/golang:1.25-local", null],
  ])("standinMinor(%s) is %s", (ref, minor) => {
    expect(standinMinor(ref)).toBe(minor);
  });
});

describe("ensureBuilderImage", () => {
  it("does nothing when the engine has the image", async () => {
    const { engine, builds } = fakeEngine({ "slimstage/golang:1.25-local": {} });
    expect(await ensureBuilderImage(engine, "slimstage/golang:1.25-local", quiet)).toBe("present");
    expect(builds).toEqual([]);
  });

  it.each([
    ["the minbase's label", { [MINBASE_IMAGE]: { [MIRROR_LABEL]: MIRROR } }, noHostMirror],
    ["the 1.23 stand-in's label", { [MINBASE_IMAGE]: {}, "slimstage/golang:1.23-local": { [MIRROR_LABEL]: MIRROR } }, noHostMirror],
    ["the host's apt sources", { [MINBASE_IMAGE]: {} }, hostHas],
  ])("builds a missing stand-in from the recipe, with the mirror from %s", async (_name, images, hostMirror) => {
    const { engine, builds, release } = fakeEngine(images);
    release.resolve();
    const lines: string[] = [];
    const result = await ensureBuilderImage(engine, "slimstage/golang:1.25-local", { onProgress: (line) => lines.push(line), hostMirror });
    expect(result).toBe("built");
    expect(builds).toHaveLength(1);
    const recipe = await readFile(RECIPE, "utf8");
    expect(builds[0]).toMatchObject({
      dockerfile: "Dockerfile",
      tag: "slimstage/golang:1.25-local",
      buildArgs: { MIRROR, GO_MINOR: "1.25" },
      labels: { "org.slimstage.managed": "base-image", "org.slimstage.standin.recipe": recipeDigest(recipe), [MIRROR_LABEL]: MIRROR },
      networkMode: "host",
      builder: "classic",
    });
    expect(await contextFiles(builds[0].context)).toEqual({ Dockerfile: recipe });
    expect(lines[0]).toContain("golang-1.25-go");
    expect(lines).toContain("Step 1/6 : FROM slimstage/bookworm-minbase:local");
  });

  it("shares one build among concurrent requests, and each hears its progress", async () => {
    const { engine, builds, release } = fakeEngine({ [MINBASE_IMAGE]: { [MIRROR_LABEL]: MIRROR } });
    const heard: string[][] = [[], []];
    const requests = heard.map((lines) => ensureBuilderImage(engine, "slimstage/golang:1.26-local", { ...quiet, onProgress: (line) => lines.push(line) }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    release.resolve();
    expect(await Promise.all(requests)).toEqual(["built", "built"]);
    expect(builds).toHaveLength(1);
    for (const lines of heard) expect(lines).toContain("Step 1/6 : FROM slimstage/bookworm-minbase:local");
    expect(await ensureBuilderImage(engine, "slimstage/golang:1.26-local", quiet)).toBe("present");
  });

  it.each([
    ["a minor with no recipe", { [MINBASE_IMAGE]: { [MIRROR_LABEL]: MIRROR } }, "slimstage/golang:1.99-local", "no-recipe"],
    ["an image that is no stand-in", { [MINBASE_IMAGE]: { [MIRROR_LABEL]: MIRROR } }, "golang:1.25", "no-recipe"],
    ["no minbase", {}, "slimstage/golang:1.24-local", "no-minbase"],
    ["no mirror anywhere", { [MINBASE_IMAGE]: {} }, "slimstage/golang:1.24-local", "no-mirror"],
    ["a recorded mirror that is no URL", { [MINBASE_IMAGE]: { [MIRROR_LABEL]: "http://x/ ; rm -rf /" } }, "slimstage/golang:1.24-local", "no-mirror"],
  ])("refuses %s before building", async (_name, images, ref, problem) => {
    const { engine, builds } = fakeEngine(images);
    const error = await ensureBuilderImage(engine, ref, quiet).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StandinUnavailableError);
    expect(error).toMatchObject({ ref, problem });
    expect(builds).toEqual([]);
  });

  it("stops waiting when a caller aborts, and stops the build when nobody waits any more", async () => {
    const { engine, builds } = fakeEngine({ [MINBASE_IMAGE]: { [MIRROR_LABEL]: MIRROR } });
    const first = new AbortController();
    const second = new AbortController();
    const requests = [first, second].map((c) => ensureBuilderImage(engine, "slimstage/golang:1.27-local", { ...quiet, signal: c.signal }).catch((e: unknown) => e));
    await new Promise((resolve) => setTimeout(resolve, 20));
    first.abort(new Error("comparison canceled"));
    expect(await requests[0]).toMatchObject({ message: "comparison canceled" });
    expect(builds[0].signal?.aborted).toBe(false);
    second.abort(new Error("also canceled"));
    expect(await requests[1]).toMatchObject({ message: "also canceled" });
    expect(builds[0].signal?.aborted).toBe(true);
  });
});

describe("hostAptMirror", () => {
  let root: string;
  afterEach(() => rm(root, { recursive: true, force: true }));

  it.each([
    [
      "deb822 sources, security skipped",
      {
        "sources.list.d/debian.sources": "Types: deb\nURIs: http://security.mirror.test/debian-security\nSuites: bookworm-security\n\nTypes: deb\nURIs: http://main.mirror.test/debian\n",
      },
      "http://main.mirror.test/debian",
    ],
    ["a one-line sources.list", { "sources.list": "# comment\ndeb [arch=amd64] http://old.mirror.test/debian bookworm main\n" }, "http://old.mirror.test/debian"],
    ["nothing", {}, null],
  ])("%s", async (_name, files, expected) => {
    root = await mkdtemp(path.join(tmpdir(), "slimstage-apt-"));
    for (const [rel, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
      await writeFile(path.join(root, rel), text);
    }
    expect(await hostAptMirror(root)).toBe(expected);
  });
});
