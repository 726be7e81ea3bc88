// Engine test: Podman as the engine. Debian's podman serves the Docker API on a socket
// of the test's own (lib/testing/podman.ts); the stand-in base images are copied into it
// (`docker save | docker load`: Podman names them localhost/slimstage/…, and finds them
// by their short names too). The core runs through the same Engine as with dockerd:
// every variant of examples/loadlocation built, measured (pushed to the size registry)
// and run. Where Podman answers differently, the comparison still has to come out right;
// the differences are handled and described in lib/engine/docker-engine.ts. And today's
// repositories (lib/testing/todays-repos.ts, from a git daemon on loopback, modules from
// a module proxy on loopback), as lib/jobs/todays-repos.engine.test.ts builds them on
// dockerd: a Go 1.25 `/v2` module with its program under cmd/, a toolchain line, modules
// from the proxy and the same vendored in a large repository, a go.work workspace, cgo,
// the Dockerfile `docker init` writes (cache and bind mounts, --platform=$BUILDPLATFORM,
// TARGETARCH, a nonroot distroless stage) through Podman's own builder, and one with a
// heredoc, which that builder cannot read. These check the builds: where root lacks
// CAP_SYS_RESOURCE no run check starts on Podman (see below). Needs root.
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
import { runOnEngine, type ComparedView } from "@/lib/testing/engine-comparison";
import { todaysRepos, vendoredLargeRepo } from "@/lib/testing/todays-repos";
import { greeterProxyModule } from "@/lib/testing/go-fixtures";
import { startModuleProxy, type ModuleProxy } from "@/lib/testing/module-proxy";

const bases = loadConfig({ ...process.env, SLIMSTAGE_BASE_PROFILE: "offline" }).baseImages;
let podman: PodmanService;
let engine: Engine;
let sizes: SizeRegistry;
let testDb: TestDb;
let comparison: ComparisonView | undefined;
let git: GitServer;
let proxy: ModuleProxy;
const GO_124 = standinRef("1.24");
const GO_125 = standinRef("1.25");

beforeAll(async () => {
  if (!isRoot()) return;
  podman = await startPodman();
  // The 1.24 and 1.25 stand-ins are made on dockerd the first time a test needs them (once per machine).
  for (const standIn of [GO_124, GO_125]) expect(await ensureStandIn(dockerEngine(), standIn)).toBe(true);
  await copyImages([bases.golang["1.23"], GO_124, GO_125, bases.static], podman.dockerHost);
  engine = dockerEngineAt(podman.socketPath);
  testDb = await createTestDb();
  sizes = await startSizeRegistry({ port: 0, sizes: databaseBlobSizes(testDb.db) });
  process.env.SLIMSTAGE_ALLOW_PRIVATE_HOSTS = "1"; // the git server is on loopback
  [git, proxy] = await Promise.all([startGitServer(), startModuleProxy([greeterProxyModule])]);
}, 15 * 60_000);

afterAll(async () => {
  await sizes?.close();
  await podman?.dispose();
  await testDb?.dispose();
  await Promise.all([git?.stop(), proxy?.stop()]);
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
  const repos = { ...todaysRepos, vendoredLarge: vendoredLargeRepo() };
  let counter = 1;
  const compare = async (repo: keyof typeof repos, variants: string[]) =>
    runOnEngine(
      testDb.db,
      { id: `podman${String(++counter).padStart(4, "0")}`, repo: (await git.createRepo(repo, repos[repo])).url, variantKeys: JSON.stringify(variants) },
      {
        engine,
        bases: testBases(),
        repoBases: testConfig().repoBases,
        resolveSource,
        registry: sizes,
        runTimeoutSeconds: 5,
        // As SLIMSTAGE_BUILD_NETWORK=host and SLIMSTAGE_GOPROXY / SLIMSTAGE_GOSUMDB would set them.
        buildArgs: { GOPROXY: proxy.url, GOSUMDB: "off" },
        buildNetwork: "host",
      },
      built,
    );
  const minorOf = (c: ComparedView, key: string) => Number(c.by[key].baseImages.map((ref) => ref.match(/golang:1\.(\d+)/)?.[1]).find(Boolean));

  it("builds a Go 1.25 /v2 module with its program under cmd/ on the 1.25 stand-in", async () => {
    const c = await compare("inventoryV2", ["single", "scratch"]);
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
    const c = await compare("dockerInitServer", ["repo"]);
    const repo = c.by.repo;
    expect(repo.status, repo.reason).toBe("built");
    expect(repo.reason).toContain("Built on stand-ins");
    expect(repo.reason).toContain("RUN --mount targets were made absolute (go.mod → /src/go.mod, . → /src)");
    expect(repo.baseImages).toEqual(expect.arrayContaining([GO_125, bases.static]));
    // Only the final stage is the image: the distroless base and the server's binary.
    expect(repo.layers.some((layer) => !layer.fromBase && layer.instruction.includes("COPY"))).toBe(true);
    expect(repo.sizeBytes!).toBeLessThan(30_000_000);
  });

  // Podman 4.3's Buildah reads no heredoc (Buildah 1.33 does; a newer Podman is refused the same way).
  it("refuses a heredoc before building, saying its builder would run the heredoc's lines as instructions", async () => {
    const c = await compare("heredocDockerfile", ["repo"]);
    expect(c.by.repo.status).toBe("failed");
    expect(c.by.repo.reason).toMatch(/^Refused before building \(UNREADABLE\).*heredoc \(<<EOF\).*classic builder.*line 5/);
  });

  it("builds go 1.21.0 with toolchain go1.24.2 on a Go 1.24 builder", async () => {
    const c = await compare("toolchainLine", ["scratch"]);
    expect(c.by.scratch.status, c.by.scratch.reason).toBe("built");
    expect(minorOf(c, "scratch")).toBe(24);
  });

  it("builds with modules from the module proxy, and the same vendored in a repository of 3,000+ files with no network", async () => {
    const fromProxy = await compare("withModules", ["scratch"]);
    expect(fromProxy.by.scratch.status, fromProxy.by.scratch.reason).toBe("built");
    expect(fromProxy.by.scratch.dockerfile).toContain("go mod download");
    const before = proxy.requests.length;
    const vendored = await compare("vendoredLarge", ["single", "scratch"]);
    for (const key of ["single", "scratch"]) expect(vendored.by[key].status, vendored.by[key].reason).toBe("built");
    expect(vendored.by.scratch.dockerfile).toContain("-mod=vendor");
    expect(vendored.by.single.sizeBytes! - vendored.by.scratch.sizeBytes!).toBeGreaterThan(25e6);
    expect(proxy.requests.length).toBe(before);
  });

  it("builds a go.work workspace at the module root on the Go its go.work asks for", async () => {
    const c = await compare("workspaceAtRoot", ["scratch"]);
    expect(c.mainPackages).toEqual(["./cmd/shop"]);
    expect(c.by.scratch.status, c.by.scratch.reason).toBe("built");
    expect(minorOf(c, "scratch")).toBe(25);
  });

  it("builds a cgo program in the Go image, and says it needs cgo", async () => {
    const c = await compare("cgoTool", ["single", "scratch"]);
    expect(c.needs.cgo).toBe(true);
    for (const key of ["single", "scratch"]) expect(c.by[key].status, c.by[key].reason).toBe("built");
  });
});

function variants() {
  expect(comparison, "the comparison ran (the test before this one)").toBeDefined();
  return Object.fromEntries(comparison!.variants.map((v) => [v.key, v]));
}
