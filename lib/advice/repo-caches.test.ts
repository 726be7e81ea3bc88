import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Readable } from "node:stream";
import { extract } from "tar-stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Engine } from "@/lib/engine/engine";
import { testBases } from "@/lib/testing/test-config";
import { proveRepoCaches, type Proven, type RepoBuildSpec, type RepoCachesInput } from "./repo-caches";

const DOCKERFILE = "FROM debian:bookworm\nRUN apt-get update && apt-get install -y tree\nCMD [\"tree\"]\n";
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "repo-caches-"));
  await writeFile(path.join(dir, "Dockerfile"), DOCKERFILE);
  await writeFile(path.join(dir, "main.go"), "package main\n");
});
afterEach(() => rm(dir, { recursive: true, force: true }));

// The engine has every base image it is asked about, unless told otherwise.
const fakeEngine = (missing: string[] = []) =>
  ({
    builder: async () => ({ kind: "buildkit", why: "test" }),
    image: async (ref: string) => (missing.includes(ref) ? null : { id: `sha256:${ref}`, sizeBytes: 1, historyLength: 1 }),
    pull: async () => {
      throw new Error("no pulls here");
    },
  }) as unknown as Engine;

async function dockerfileIn(context: Readable): Promise<string> {
  const files = new Map<string, string>();
  const tar = extract();
  tar.on("entry", (header, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on("data", (c: unknown) => chunks.push(c as Buffer));
    stream.on("end", () => {
      files.set(header.name, Buffer.concat(chunks).toString());
      next();
    });
  });
  const done = new Promise<void>((resolve, reject) => tar.on("finish", resolve).on("error", reject));
  context.pipe(tar);
  await done;
  return files.get("Dockerfile") ?? "";
}

function setup(overrides: Partial<RepoCachesInput> = {}, proven: Proven = { status: "works", sizeBytes: 100e6, compressedBytes: 40e6, buildSeconds: 3 }) {
  const built: Array<RepoBuildSpec & { dockerfile: Promise<string> }> = [];
  const input: RepoCachesInput = {
    engine: fakeEngine(),
    bases: testBases(),
    repoBases: [],
    signal: new AbortController().signal,
    sourceDir: dir,
    repo: { dockerfile: DOCKERFILE, sizeBytes: 180e6 },
    leadBytes: 90e6,
    build: async (spec) => {
      built.push({ ...spec, dockerfile: dockerfileIn(spec.context) });
      return proven;
    },
    ...overrides,
  };
  return { input, built };
}

describe("proveRepoCaches", () => {
  it("builds the rewritten Dockerfile as the repo variant was built: its context, no build arguments, no network by default", async () => {
    const { input, built } = setup();
    const outcome = await proveRepoCaches(input);
    expect(outcome).toMatchObject({ status: "works", sizeBytes: 100e6, compressedBytes: 40e6, buildSeconds: 3 });
    expect(outcome.reason).toContain("80 MB smaller than your image");
    expect(built).toHaveLength(1);
    expect(built[0]).toMatchObject({ buildArgs: {}, networkMode: "none" });
    expect(await built[0].dockerfile).toBe("FROM debian:bookworm\nRUN apt-get update && apt-get install -y tree && rm -rf /var/lib/apt/lists/*\nCMD [\"tree\"]\n");
  });

  it("the repository builds' bridge network when the server gives them one", async () => {
    const { input, built } = setup({ repoBuildNetwork: "bridge" });
    await proveRepoCaches(input);
    expect(built[0].networkMode).toBeUndefined();
  });

  it.each<[string, Proven, string]>([
    ["works, no smaller: no gain", { status: "works", sizeBytes: 180e6 }, "no-gain"],
    ["does not run as the single-stage image does", { status: "breaks", sizeBytes: 100e6, diagnosis: { code: "MISSING_FILE", message: "m", fix: "f" }, runOutput: "exit 1" }, "breaks"],
    ["does not build", { status: "failed", reason: "It did not build: E: Unable to locate package" }, "failed"],
  ])("%s", async (_name, proven, status) => {
    const { input } = setup({}, proven);
    const outcome = await proveRepoCaches(input);
    expect(outcome.status).toBe(status);
    expect(outcome.diagnosis ?? null).toEqual(proven.diagnosis ?? null);
    if (proven.reason) expect(outcome.reason).toBe(proven.reason);
  });

  it.each<[string, Partial<RepoCachesInput>, string]>([
    ["repositories' Dockerfiles are not built here", { repoBuildNetwork: "off" }, "SLIMSTAGE_REPO_BUILD_NETWORK=off"],
    ["no base images configured", { bases: undefined }, "no base images configured"],
    ["the Dockerfile is not the one the comparison built", { repo: { dockerfile: "FROM debian:bookworm\n", sizeBytes: 180e6 } }, "not the one the comparison built"],
    ["its base image is gone and may not be pulled", { engine: fakeEngine(["debian:bookworm"]) }, "Refused before building"],
  ])("stays a lead, saying why: %s", async (_name, overrides, why) => {
    const { input, built } = setup(overrides);
    const outcome = await proveRepoCaches(input);
    expect(outcome).toMatchObject({ status: "lead", sizeBytes: 90e6 });
    expect(outcome.reason).toContain(why);
    expect(built).toHaveLength(0);
  });

  it("an abort while it prepares is thrown, not recorded", async () => {
    const controller = new AbortController();
    controller.abort(new Error("canceled"));
    const engine = { ...fakeEngine(), builder: async () => controller.signal.throwIfAborted() } as unknown as Engine;
    const { input } = setup({ engine, signal: controller.signal });
    await expect(proveRepoCaches(input)).rejects.toThrow("canceled");
  });
});
