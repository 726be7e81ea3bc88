// Engine fault: the Docker Engine stops in the middle of a build, and comes back. The
// engine stopped is one of the test's own (a second dockerd: its own socket, data root
// and bridge, lib/testing/second-engine.ts), never the one the app or the other tests
// use, so an app started with scripts/up.sh keeps working while the tests run.
// Needs root (a second dockerd).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "@/lib/config";
import { dockerEngineAt } from "@/lib/engine/docker-engine";
import type { Engine } from "@/lib/engine/engine";
import { resolveSource, testBases, testConfig } from "@/lib/testing/test-config";
import { isRoot } from "@/lib/testing/daemon";
import { copyImages, startSecondEngine, type SecondEngine } from "@/lib/testing/second-engine";
import { createTestDb, type TestDb } from "@/lib/testing/test-db";
import { runComparison } from "@/lib/jobs/pipeline";
import { getComparison } from "@/lib/reads/queries";

// The stand-ins, copied into the test's engine: it reaches no registry.
const bases = loadConfig({ ...process.env, SLIMSTAGE_BASE_PROFILE: "offline" }).baseImages;
let second: SecondEngine;
let engine: Engine;
let testDb: TestDb;

beforeAll(async () => {
  if (!isRoot()) return;
  second = await startSecondEngine();
  // The Go builder only: example:hello's single and scratch variants need nothing else.
  await copyImages([bases.golang["1.23"]], second.dockerHost);
  engine = dockerEngineAt(second.socketPath);
  testDb = await createTestDb();
}, 5 * 60_000);

afterAll(async () => {
  await second?.dispose();
  await testDb?.dispose();
});

describe.skipIf(!isRoot())("the Docker Engine stopped mid-build", () => {
  it("fails clearly and leaves nothing half-done; a new comparison succeeds once it is back", async () => {
    const id = "enginestop";
    await testDb.db.comparison.create({
      data: { id, repo: "example:hello", status: "running", rebuild: true, variantKeys: JSON.stringify(["single", "scratch"]) },
    });
    const deps = { db: testDb.db, engine, bases, resolveSource };
    // A build argument no earlier build used defeats the cache, so the build takes a while.
    const running = runComparison(id, { ...deps, buildArgs: { GOPRIVATE: `enginestop-${Date.now()}` } });
    await expect
      .poll(async () => (await testDb.db.variant.count({ where: { comparisonId: id, status: "building" } })), { timeout: 120_000 })
      .toBeGreaterThanOrEqual(1);
    // Killed, as an engine that crashes or whose host loses it: a dockerd shutting down
    // gracefully first fails the running build step while its API still answers.
    await second.stop({ crash: true });
    await running;

    const stopped = await getComparison(testDb.db, id);
    expect(stopped?.status).toBe("failed");
    expect(stopped?.error?.code).toBe("ENGINE_UNAVAILABLE");
    // With BuildKit the variants build side by side: one the stop caught fails, and none is
    // left queued or building (one that finished first stays built).
    const statuses = stopped?.variants.map((v) => v.status) ?? [];
    expect(statuses).toContain("failed");
    for (const status of statuses) expect(["failed", "skipped", "built"]).toContain(status);
    expect(stopped?.variants.find((v) => v.status === "failed")?.reason).toMatch(/engine/i);

    await second.start();
    await testDb.db.comparison.create({
      data: { id: "enginebak1", repo: "example:hello", status: "running", rebuild: true, variantKeys: JSON.stringify(["scratch"]) },
    });
    await runComparison("enginebak1", deps);
    const retried = await getComparison(testDb.db, "enginebak1");
    expect(retried?.status).toBe("succeeded");
    expect(retried?.variants[0].runCheck?.verdict).toBe("works");
  });
});
