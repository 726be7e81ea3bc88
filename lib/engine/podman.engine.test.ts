// Engine test: Podman as the engine. Debian's podman serves the Docker API on a socket
// of the test's own (lib/testing/podman.ts); the stand-in base images are copied into it
// (`docker save | docker load`: Podman names them localhost/slimstage/…, and finds them
// by their short names too). The core runs through the same Engine as with dockerd:
// every variant of examples/loadlocation built, measured (pushed to the size registry)
// and run. Where Podman answers differently, the comparison still has to come out right;
// the differences are handled and described in lib/engine/docker-engine.ts. And today's
// repositories (lib/testing/todays-repos.ts, from a git daemon on loopback): a Go 1.25
// `/v2` module with its program under cmd/ on the 1.25 stand-in, and the Dockerfile
// `docker init` writes (cache and bind mounts, --platform=$BUILDPLATFORM, TARGETARCH,
// a nonroot distroless stage), which Podman builds with its own builder. Needs root.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "@/lib/config";
import { dockerEngine, dockerEngineAt } from "@/lib/engine/docker-engine";
import type { Engine } from "@/lib/engine/engine";
import { startSizeRegistry, type SizeRegistry } from "@/lib/measure/size-registry";
import { resolveSource, testBases, testConfig } from "@/lib/testing/test-config";
import { hasCapSysResource, isRoot } from "@/lib/testing/daemon";
import { startPodman, type PodmanService } from "@/lib/testing/podman";
import { copyImages } from "@/lib/testing/second-engine";
import { createTestDb, type TestDb } from "@/lib/testing/test-db";
import { databaseBlobSizes } from "@/lib/db/blob-stores";
import { runComparison } from "@/lib/jobs/pipeline";
import { ensureProber } from "@/lib/verify/prober-image";
import { getComparison } from "@/lib/reads/queries";
import type { ComparisonView } from "@/lib/comparisons/types";
import { ensureStandIn } from "@/lib/jobs/go-builder";
import { standinRef } from "@/lib/engine/standin-builders";
import { startGitServer, type GitServer } from "@/lib/testing/git-server";
import { runOnEngine } from "@/lib/testing/engine-comparison";
import { todaysRepos } from "@/lib/testing/todays-repos";

const bases = loadConfig({ ...process.env, SLIMSTAGE_BASE_PROFILE: "offline" }).baseImages;
let podman: PodmanService;
let engine: Engine;
let sizes: SizeRegistry;
let testDb: TestDb;
let comparison: ComparisonView | undefined;
let git: GitServer;
const GO_125 = standinRef("1.25");

beforeAll(async () => {
  if (!isRoot()) return;
  podman = await startPodman();
  // The 1.25 stand-in is made on dockerd the first time a test needs it (once per machine).
  expect(await ensureStandIn(dockerEngine(), GO_125)).toBe(true);
  await copyImages([bases.golang["1.23"], GO_125, bases.static], podman.dockerHost);
  engine = dockerEngineAt(podman.socketPath);
  testDb = await createTestDb();
  sizes = await startSizeRegistry({ port: 0, sizes: databaseBlobSizes(testDb.db) });
  process.env.SLIMSTAGE_ALLOW_PRIVATE_HOSTS = "1"; // the git server is on loopback
  git = await startGitServer();
}, 10 * 60_000);

afterAll(async () => {
  await sizes?.close();
  await podman?.dispose();
  await testDb?.dispose();
  await git?.stop();
  delete process.env.SLIMSTAGE_ALLOW_PRIVATE_HOSTS;
});

describe.skipIf(!isRoot())("Podman as the engine (its Docker API)", () => {
  it("answers as a Docker engine and finds the loaded stand-ins by their short names", async () => {
    expect((await engine.version()).apiVersion).toMatch(/^1\.\d+$/);
    const mine = await engine.image(bases.static);
    const dockerd = await dockerEngine().image(bases.static);
    expect(mine?.id).toBe(dockerd?.id); // the same image, by its ID
    // Podman counts a layer's tar, dockerd its files: bigger, never smaller.
    expect(mine!.sizeBytes).toBeGreaterThan(dockerd!.sizeBytes);
  });

  it("builds the server prober through its API (a build without build arguments once got HTTP 400 there)", async () => {
    const tag = await ensureProber(engine, bases.golang["1.23"]);
    expect(await engine.image(tag)).not.toBeNull();
  });

  it("builds loadlocation every way and measures each image", async () => {
    await testDb.db.comparison.create({ data: { id: "podman0001", repo: "example:loadlocation", status: "running", rebuild: true, variantKeys: null } });
    await runComparison("podman0001", { db: testDb.db, engine, bases, resolveSource, registry: sizes, runTimeoutSeconds: 5 });
    comparison = (await getComparison(testDb.db, "podman0001"))!;
    expect(comparison.error).toBeUndefined();
    expect(comparison.status).toBe("succeeded");
    const byKey = variants();
    expect(Object.keys(byKey)).toEqual(["single", "alpine", "alpine-naive", "scratch", "scratch-naive", "distroless"]);
    const { single, scratch, distroless } = byKey;
    const naive = byKey["scratch-naive"];

    // Podman pulls as dockerd does (short names are Docker Hub's), and says why it cannot.
    expect(byKey.alpine.status).toBe("skipped");
    expect(byKey.alpine.reason).toMatch(/alpine:3\.\d+ .*No network.*registry-1\.docker\.io/);

    for (const variant of [single, scratch, naive, distroless]) {
      expect(variant.status, variant.key).toBe("built");
      // Compressed sizes from a push to the size registry (Podman needs tlsVerify=false for it).
      expect(variant.compressedBytes, variant.key).toBeGreaterThan(0);
      expect(variant.compressedBytes!).toBeLessThan(variant.sizeBytes!);
      expect(variant.layers.every((layer) => layer.compressedBytes !== null), variant.key).toBe(true);
      // Podman's image size is its layers' plus a little (its own bookkeeping): within 0.5%.
      const layerSum = variant.layers.reduce((sum, layer) => sum + layer.sizeBytes, 0);
      expect(Math.abs(variant.sizeBytes! - layerSum) / variant.sizeBytes!, variant.key).toBeLessThan(0.005);
    }
    expect(single.layers.some((l) => l.fromBase)).toBe(true);
    expect(single.layers.some((l) => !l.fromBase && l.instruction.includes("go build"))).toBe(true);
    expect(single.layers.filter((l) => l.fromBase).some((l) => l.instruction.includes("go build"))).toBe(false);
    expect(naive.layers).toHaveLength(1);
    expect(naive.layers[0]).toMatchObject({ fromBase: false, instruction: expect.stringContaining("COPY") });
    expect(distroless.layers.some((l) => l.fromBase)).toBe(true);
    expect(single.sizeBytes!).toBeGreaterThan(distroless.sizeBytes!);
    expect(distroless.sizeBytes!).toBeGreaterThanOrEqual(scratch.sizeBytes!);
    // Podman's build log has its own words ("STEP 8/12: RUN go build", "--> 3b3e62fa1e6").
    expect(single.buildLog).toMatch(/STEP \d+\/\d+: RUN go build/);
  });

  it.skipIf(!hasCapSysResource())("runs each image: the fixed ones work, the naive one lacks its zoneinfo", () => {
    const byKey = variants();
    expect(byKey.single.runCheck).toMatchObject({ verdict: "works", exitCode: 0, output: expect.stringContaining("Berlin") });
    expect(byKey["scratch-naive"].runCheck).toMatchObject({ verdict: "fails", diagnosis: { code: "MISSING_ZONEINFO" } });
    expect(byKey.scratch.runCheck?.verdict).toBe("works");
    expect(byKey.distroless.runCheck?.verdict).toBe("works");
  });

  // Rootful Podman gives a container nproc 1048576 unless told (the run check names only
  // nofile), which only a root with CAP_SYS_RESOURCE may set: not root inside some
  // containers, as on this project's machines. There the run check cannot start at all.
  it.skipIf(hasCapSysResource())("where root lacks CAP_SYS_RESOURCE the run check cannot start: each variant says so, the comparison goes on", () => {
    for (const key of ["single", "scratch", "scratch-naive", "distroless"]) {
      const check = variants()[key].runCheck;
      expect(check?.verdict, key).not.toBe("works");
      expect(check?.output, key).toMatch(/error setting rlimit/);
    }
  });
});

describe.skipIf(!isRoot())("Podman as the engine: today's repositories", () => {
  const built: string[] = [];
  const compare = async (id: string, repo: keyof typeof todaysRepos, variants: string[]) =>
    runOnEngine(
      testDb.db,
      { id, repo: (await git.createRepo(repo, todaysRepos[repo])).url, variantKeys: JSON.stringify(variants) },
      { engine, bases: testBases(), repoBases: testConfig().repoBases, resolveSource, registry: sizes, runTimeoutSeconds: 5 },
      built,
    );

  it("builds a Go 1.25 /v2 module with its program under cmd/ on the 1.25 stand-in", async () => {
    const c = await compare("podman0002", "inventoryV2", ["single", "scratch"]);
    expect(c.error).toBeUndefined();
    expect(c.mainPackage).toBe("./cmd/inventory");
    for (const key of ["single", "scratch"]) {
      expect(c.by[key].status, c.by[key].reason).toBe("built");
      expect(c.by[key].baseImages).toContain(GO_125);
      expect(c.by[key].compressedBytes).toBeGreaterThan(0);
    }
    expect(c.by.single.sizeBytes!).toBeGreaterThan(c.by.scratch.sizeBytes! * 50);
  });

  it("builds the Dockerfile docker init writes (cache and bind mounts, build platform, nonroot) on stand-ins", async () => {
    const c = await compare("podman0003", "dockerInitServer", ["repo"]);
    const repo = c.by.repo;
    expect(repo.status, repo.reason).toBe("built");
    expect(repo.reason).toContain("Built on stand-ins");
    expect(repo.reason).toContain("RUN --mount targets were made absolute (go.mod → /src/go.mod, . → /src)");
    expect(repo.baseImages).toEqual(expect.arrayContaining([GO_125, bases.static]));
    // Only the final stage is the image: the distroless base and the server's binary.
    expect(repo.layers.some((layer) => !layer.fromBase && layer.instruction.includes("COPY"))).toBe(true);
    expect(repo.sizeBytes!).toBeLessThan(30_000_000);
  });
});

function variants() {
  expect(comparison, "the comparison ran (the test before this one)").toBeDefined();
  return Object.fromEntries(comparison!.variants.map((v) => [v.key, v]));
}
