// Build limits on the real engine, through the Engine interface: a process limit per build
// (its own cgroup, removed after), a bound on what a build writes, and no leftovers of a
// failed or canceled build. Needs the minbase image (scripts/base-images.sh) for a shell.
// Every build here is made unique by a nonce so the cache of other builds never answers.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { hostCgroupVersion } from "@/lib/engine/build-cgroup";
import { CommittedImages } from "@/lib/engine/build-leftovers";
import { buildContext, DOCKERFILE_NAME } from "@/lib/engine/build-context";
import { dockerEngine } from "@/lib/engine/docker-engine";
import { BuildFailedError, ImageTooLargeError, LABEL_APP, LABEL_COMPARISON, type BuildInput } from "@/lib/engine/engine";

const BASE = "slimstage/bookworm-minbase:local";
const engine = dockerEngine();
const hasBase = (() => {
  try {
    execFileSync("docker", ["image", "inspect", BASE], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();
const canCgroup = process.getuid?.() === 0 && !process.env.DOCKER_HOST && hostCgroupVersion() !== null;
// A parent of this test's own, so its limit and leftovers are never confused with real builds'.
const PARENT = `slimstage-test-${process.pid}`;
const emptyDir = mkdtempSync(path.join(tmpdir(), "build-limits-"));
const nonce = () => `${Date.now()}-${Math.random().toString(36).slice(2)}`;

afterAll(async () => {
  rmSync(emptyDir, { recursive: true, force: true });
  // A canceled build's child goes a little later (CANCELED_BUILD_GRACE_MS): wait for it, then take the parent.
  await until(() => cgroupDirs().every((dir) => children(dir).length === 0), 30_000);
  for (const dir of cgroupDirs()) {
    for (const child of children(dir)) rmdirSync(path.join(dir, child));
    rmdirSync(dir);
  }
});

const children = (dir: string) => readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  for (const end = Date.now() + timeoutMs; Date.now() < end; await new Promise((resolve) => setTimeout(resolve, 250))) {
    if (condition()) return true;
  }
  return condition();
}

/** The test parent's directory in every cgroup hierarchy that has one. */
function cgroupDirs(): string[] {
  const root = "/sys/fs/cgroup";
  const candidates = hostCgroupVersion() === 2 ? [path.join(root, PARENT)] : readdirSync(root).map((h) => path.join(root, h, PARENT));
  return candidates.filter((dir) => existsSync(dir));
}

async function build(dockerfile: string, extra: Partial<BuildInput> = {}): Promise<{ imageId?: string; error?: unknown; log: string[] }> {
  const log: string[] = [];
  try {
    const { imageId } = await engine.build({
      context: buildContext({ sourceDir: emptyDir, dockerfile }),
      dockerfile: DOCKERFILE_NAME,
      labels: { [LABEL_APP]: "slimstage", [LABEL_COMPARISON]: "build-limits-test" },
      onLog: (line) => log.push(line),
      ...extra,
    });
    return { imageId, log };
  } catch (error) {
    return { error, log };
  }
}

/** The image IDs the builder said it committed (" ---> ID" after a step that ran). */
function committedIds(log: string[]): string[] {
  return log.flatMap((line, i) => (/^ ---> [0-9a-f]{12}$/.test(line) && log[i - 1]?.startsWith("Removing intermediate container") ? [line.slice(6)] : []));
}
const exists = (id: string) => {
  try {
    execFileSync("docker", ["image", "inspect", id], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
};
/** After a build that succeeded: its final image and what its stages committed (a builder stage's tip is no parent of it). */
function removeBuilt(built: { imageId?: string; log: string[] }): void {
  const committed = new CommittedImages();
  for (const line of built.log) committed.read(line);
  for (const id of [built.imageId, ...committed.list().reverse()]) {
    // Parents already went with their child: "No such image" is fine here.
    if (id) spawnSync("docker", ["rmi", id], { stdio: "ignore" });
  }
}

describe.skipIf(!hasBase)(`builds (${BASE} present)`, () => {
  it.skipIf(!canCgroup)("a build that starts more processes than its limit fails at the limit; its cgroup is gone after", async () => {
    // Bounded: 200 sleepers at most, never a fork bomb on a shared machine.
    const many = await build(`FROM ${BASE}\nRUN echo ${nonce()} && for i in $(seq 1 200); do sleep 30 & done; wait\n`, {
      pidsLimit: 64,
      cgroupParent: PARENT,
    });
    expect(many.error).toBeInstanceOf(BuildFailedError);
    expect(many.log.join("\n")).toMatch(/fork|Resource temporarily unavailable/i);

    // The same kind of step under the limit builds: the limit, not the cgroup, stopped the first.
    const few = await build(`FROM ${BASE}\nRUN echo ${nonce()} && for i in $(seq 1 20); do sleep 1 & done; wait\n`, {
      pidsLimit: 64,
      cgroupParent: PARENT,
    });
    expect(few.error).toBeUndefined();
    removeBuilt(few);

    // Each build's own child cgroup is removed in every hierarchy; only the parent stays.
    const dirs = cgroupDirs();
    expect(dirs.length).toBeGreaterThan(0);
    for (const dir of dirs) expect(children(dir)).toEqual([]);
  });

  it("a failed multi-stage build leaves none of the images it committed", async () => {
    const failed = await build(
      [
        `FROM ${BASE} AS b`,
        `RUN echo ${nonce()} > /one`,
        "ENV X=1",
        "RUN echo two > /two",
        `FROM ${BASE}`,
        "COPY --from=b /two /two",
        `RUN echo ${nonce()} > /three`,
        "RUN false",
      ].join("\n"),
    );
    expect(failed.error).toBeInstanceOf(BuildFailedError);
    const ids = committedIds(failed.log);
    expect(ids.length).toBe(4); // /one, ENV, /two, /three (COPY prints no container line)
    for (const id of ids) expect(exists(id), id).toBe(false);
    expect(exists(BASE)).toBe(true);
  });

  it("a canceled build leaves none of the images it committed, nor its cgroup", async () => {
    const controller = new AbortController();
    const log: string[] = [];
    const running = engine.build({
      context: buildContext({ sourceDir: emptyDir, dockerfile: `FROM ${BASE}\nRUN echo ${nonce()} > /one\nRUN sleep 60\n` }),
      dockerfile: DOCKERFILE_NAME,
      labels: { [LABEL_APP]: "slimstage" },
      signal: controller.signal,
      ...(canCgroup ? { pidsLimit: 64, cgroupParent: PARENT } : {}),
      onLog: (line) => {
        log.push(line);
        if (line.startsWith("Step 3/")) controller.abort();
      },
    });
    await expect(running).rejects.toThrow();
    const ids = committedIds(log);
    expect(ids.length).toBe(1);
    expect(exists(ids[0])).toBe(false);
    if (!canCgroup) return;
    // The limit stays while the engine may still start the canceled step, then the child goes
    // and is not made again (without the limit) by a late container.
    const pidsDir = cgroupDirs().find((dir) => existsSync(path.join(dir, "pids.max")))!;
    const [child] = children(pidsDir);
    expect(child).toMatch(/^[0-9a-f]{12}$/);
    expect(readFileSync(path.join(pidsDir, child, "pids.max"), "utf8").trim()).toBe("64");
    expect(await until(() => cgroupDirs().every((dir) => children(dir).length === 0), 30_000)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    for (const dir of cgroupDirs()) expect(children(dir)).toEqual([]);
  });

  it("an image over the size limit fails with the sizes, and is removed", async () => {
    const tooBig = await build(`FROM ${BASE}\nRUN echo ${nonce()} && head -c 30000000 /dev/zero > /big\n`, { maxImageBytes: 50_000_000 });
    expect(tooBig.error).toBeInstanceOf(ImageTooLargeError);
    const error = tooBig.error as ImageTooLargeError;
    expect(error.imageBytes).toBeGreaterThan(100_000_000); // the base's ~117 MB and the 30 MB
    expect(error.limitBytes).toBe(50_000_000);
    expect(error.message).toMatch(/size limit: the image is \d+ MB, over this server's limit of 50 MB/);
    for (const id of committedIds(tooBig.log)) expect(exists(id)).toBe(false);
  });

  it("a builder stage that writes more than the limit fails even when the final image is small", async () => {
    const stage = await build(
      `FROM ${BASE} AS b\nRUN echo ${nonce()} && head -c 30000000 /dev/zero > /big && echo x > /small\nFROM scratch\nCOPY --from=b /small /small\n`,
      { maxImageBytes: 20_000_000 },
    );
    expect(stage.error).toBeInstanceOf(ImageTooLargeError);
    const error = stage.error as ImageTooLargeError;
    expect(error.imageBytes).toBeLessThan(1_000_000);
    expect(error.writtenBytes).toBeGreaterThan(30_000_000);
    expect(error.message).toMatch(/its steps wrote \d+ MB/);

    // Under the limit, the same build passes.
    const fine = await build(`FROM ${BASE} AS b\nRUN echo ${nonce()} > /small\nFROM scratch\nCOPY --from=b /small /small\n`, { maxImageBytes: 20_000_000 });
    expect(fine.error).toBeUndefined();
    removeBuilt(fine);
  });
});
