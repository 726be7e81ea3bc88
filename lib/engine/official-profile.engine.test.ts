// Engine test: the official profile, as on a machine where a registry answers. Test
// setup (never the app) starts Debian's docker-registry on loopback with the stand-ins
// pushed under the official names, and a second Docker Engine of the test's own whose
// registry mirror is that registry, so `golang:1.23` is pulled from it exactly as it
// would be from Docker Hub. A mirror covers Docker Hub names only: the distroless base
// lives on another registry, so it is named through SLIMSTAGE_BASE_STATIC. Needs root
// (a second dockerd); the engine the app uses is only asked to push the stand-ins.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig, type BaseImages } from "@/lib/config";
import { dockerEngine, dockerEngineAt } from "@/lib/engine/docker-engine";
import type { Engine } from "@/lib/engine/engine";
import { startSizeRegistry, type SizeRegistry } from "@/lib/measure/size-registry";
import { resolveSource, testBases, testConfig } from "@/lib/testing/test-config";
import { isRoot } from "@/lib/testing/daemon";
import { mirrorImage, startTestRegistry, type TestRegistry } from "@/lib/testing/registry";
import { startSecondEngine, type SecondEngine } from "@/lib/testing/second-engine";
import { createTestDb, type TestDb } from "@/lib/testing/test-db";
import { databaseBlobSizes } from "@/lib/db/blob-stores";
import { runComparison } from "@/lib/jobs/pipeline";
import { getComparison } from "@/lib/reads/queries";

const run = promisify(execFile);
let registry: TestRegistry;
let second: SecondEngine;
let engine: Engine;
let sizes: SizeRegistry;
let testDb: TestDb;
let bases: BaseImages;

beforeAll(async () => {
  if (!isRoot()) return;
  registry = await startTestRegistry();
  const appEngine = dockerEngine();
  await mirrorImage(appEngine, registry, "slimstage/golang:1.23-local", "library/golang:1.23");
  await mirrorImage(appEngine, registry, "slimstage/static:local", "distroless/static-debian12:latest");
  // One download attempt: a broken layer fails after one retry instead of about a minute of them.
  second = await startSecondEngine({ registryMirror: `http://${registry.host}`, maxDownloadAttempts: 1 });
  engine = dockerEngineAt(second.socketPath);
  testDb = await createTestDb();
  sizes = await startSizeRegistry({ port: 0, sizes: databaseBlobSizes(testDb.db) });
  bases = loadConfig({
    ...process.env,
    SLIMSTAGE_BASE_PROFILE: "official",
    // The one Go builder the registry has; loadlocation's `go 1.21` gets the smallest version >= it.
    SLIMSTAGE_BASE_GOLANG: "1.23=golang:1.23",
    SLIMSTAGE_BASE_STATIC: `${registry.host}/distroless/static-debian12`,
    // A name the registry does not have.
    SLIMSTAGE_BASE_ALPINE: `${registry.host}/library/alpine:3.20`,
  }).baseImages;
}, 10 * 60_000);

afterAll(async () => {
  await sizes?.close();
  await second?.dispose();
  await registry?.stop();
  await testDb?.dispose();
});

/** Runs a comparison; `during` sees the variants' rows every 200 ms while it runs. */
async function compare(id: string, variants: string[] | null, withBases: BaseImages = bases, during?: (rows: Array<{ key: string; status: string; buildLog: string | null }>) => void) {
  await testDb.db.comparison.create({
    data: { id, repo: "example:loadlocation", status: "running", rebuild: true, variantKeys: variants ? JSON.stringify(variants) : null },
  });
  let running = true;
  const watching = (async () => {
    while (running && during) {
      during(await testDb.db.variant.findMany({ where: { comparisonId: id }, select: { key: true, status: true, buildLog: true } }));
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  })();
  try {
    await runComparison(id, { db: testDb.db, engine, bases: withBases, resolveSource, registry: sizes, runTimeoutSeconds: 5, logFlushMs: 200 });
  } finally {
    running = false;
    await watching;
  }
  return (await getComparison(testDb.db, id))!;
}

describe.skipIf(!isRoot())("the official profile, pulling from a registry", () => {
  it("pulls the base images the engine lacks, shows the pull as it happens, and builds loadlocation every way", async () => {
    expect(await engine.image("golang:1.23")).toBeNull();
    expect(await engine.image(bases.static)).toBeNull();
    const seenMidPull: string[] = [];
    const comparison = await compare("official01", null, bases, (rows) => {
      for (const row of rows) {
        // Live: a variant still building whose log shows the download and no build step yet.
        if (row.status === "building" && /Downloading/.test(row.buildLog ?? "") && !/Step 1\//.test(row.buildLog ?? "")) seenMidPull.push(row.key);
      }
    });
    expect(comparison.error).toBeUndefined();
    expect(comparison.status).toBe("succeeded");
    const byKey = Object.fromEntries(comparison.variants.map((v) => [v.key, v]));
    expect(Object.keys(byKey)).toEqual(["single", "alpine", "alpine-naive", "scratch", "scratch-naive", "distroless"]);

    // The builder was pulled by the first variant to need it, in its build log, then built on.
    expect(seenMidPull.length).toBeGreaterThan(0);
    const pulledBy = comparison.variants.filter((v) => v.buildLog.includes("Pulling golang:1.23"));
    expect(pulledBy).toHaveLength(1);
    expect(pulledBy[0].buildLog).toMatch(/Pulling from library\/golang/);
    expect(pulledBy[0].buildLog).toMatch(/Downloading [\d.]+ [KMG]?B of [\d.]+ [KMG]?B/);
    expect(pulledBy[0].buildLog).toMatch(/Status: Downloaded newer image for golang:1\.23/);
    expect(byKey.distroless.buildLog).toContain(`Pulling ${bases.static}`);
    expect(await engine.image("golang:1.23")).not.toBeNull();

    for (const key of ["single", "scratch", "scratch-naive", "distroless"]) {
      expect(byKey[key].status, key).toBe("built");
      expect(byKey[key].sizeBytes, key).toBeGreaterThan(0);
    }
    expect(byKey.single.layers.some((l) => l.fromBase)).toBe(true);
    expect(byKey.distroless.layers.some((l) => l.fromBase)).toBe(true);
    expect(byKey.single.runCheck?.verdict).toBe("works");
    expect(byKey.scratch.runCheck?.verdict).toBe("works");
    expect(byKey.distroless.runCheck?.verdict).toBe("works");
    expect(byKey["scratch-naive"].runCheck).toMatchObject({ verdict: "fails", diagnosis: { code: "MISSING_ZONEINFO" } });

    // A name the registry does not have: those variants say so, the others went on.
    for (const key of ["alpine", "alpine-naive"]) {
      expect(byKey[key].status, key).toBe("skipped");
      expect(byKey[key].reason).toContain(`Base image ${bases.alpine} is not on the engine and could not be pulled`);
      expect(byKey[key].reason).toMatch(/The registry has no image .*manifest unknown.*Check the name and tag/);
    }
  });

  it("a Docker Hub name the mirror lacks falls through to Docker Hub, which no network reaches: the variant says so", async () => {
    const comparison = await compare("official02", ["alpine", "scratch"], { ...bases, alpine: "alpine:3.20" });
    const byKey = Object.fromEntries(comparison.variants.map((v) => [v.key, v]));
    const { alpine, scratch } = byKey;
    expect(alpine).toMatchObject({ status: "skipped" });
    expect(alpine.reason).toMatch(/^Base image alpine:3\.\d+ is not on the engine and could not be pulled\. No network: .*registry-1\.docker\.io/);
    expect(alpine.reason).toMatch(/none for Alpine/);
    expect(scratch).toMatchObject({ status: "built", runCheck: { verdict: "works" } });
  });

  it("the registry stopped mid-pull: the variant says the pull broke off, and nothing is left half-pulled", async () => {
    // Start from an engine with no images at all, so the builder has to be downloaded again.
    await run("docker", ["system", "prune", "-af"], { env: { ...process.env, DOCKER_HOST: second.dockerHost } });
    expect(await engine.image("golang:1.23")).toBeNull();
    registry.throttle(1_000_000);
    let killed: Promise<void> | null = null;
    const comparison = await compare("official03", ["scratch"], bases, (rows) => {
      if (!killed && /Downloading/.test(rows[0]?.buildLog ?? "")) killed = registry.kill();
    });
    expect(killed).not.toBeNull();
    const [scratch] = comparison.variants;
    expect(scratch.status).toBe("skipped");
    expect(scratch.reason).toMatch(/^Base image golang:1\.23 is not on the engine and could not be pulled\. The pull of golang:1\.23 broke off part-way: the registry stopped answering/);
    expect(scratch.buildLog).toMatch(/Retrying in \d+ seconds?/);
    expect(await engine.image("golang:1.23")).toBeNull();
  });
});
