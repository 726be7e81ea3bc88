// Engine fault: the Docker Engine stops in the middle of a build. Runs only where the
// project itself started the engine (scripts/engine.sh wrote .slimstage/dockerd.pid),
// because it stops and starts that engine; an engine someone else runs is never touched.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseImages } from "@/lib/config";
import { dockerEngine } from "@/lib/engine/docker-engine";
import { resolveSource } from "@/lib/source/resolve";
import { createTestDb, type TestDb } from "@/lib/testing/test-db";
import { runComparison } from "@/lib/jobs/pipeline";
import { getComparison } from "@/lib/comparisons/queries";

const pidFile = path.join(process.cwd(), ".slimstage", "dockerd.pid");
const ourEngine = existsSync(pidFile) && isAlive(Number(readFileSync(pidFile, "utf8")));
const engine = dockerEngine();
let testDb: TestDb;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  testDb = await createTestDb();
});
afterAll(async () => {
  // Whatever happened, leave an engine running for the tests after this one.
  if (ourEngine) execFileSync("bash", ["scripts/engine.sh"], { stdio: "inherit" });
  await testDb?.dispose();
});

describe.skipIf(!ourEngine)("the Docker Engine stopped mid-build", () => {
  it("fails clearly and leaves nothing half-done; a new comparison succeeds once it is back", async () => {
    const id = "enginestop";
    await testDb.db.comparison.create({
      data: { id, repo: "example:hello", status: "running", variantKeys: JSON.stringify(["single", "scratch"]) },
    });
    const deps = { db: testDb.db, engine, bases: baseImages(), resolveSource };
    // A build argument no earlier build used defeats the cache, so the build takes a while.
    const running = runComparison(id, { ...deps, buildArgs: { GOPRIVATE: `enginestop-${Date.now()}` } });
    await expect
      .poll(async () => (await testDb.db.variant.count({ where: { comparisonId: id, status: "building" } })), { timeout: 120_000 })
      .toBe(1);
    execFileSync("bash", ["scripts/engine-stop.sh"], { stdio: "inherit" });
    await running;

    const stopped = await getComparison(testDb.db, id);
    expect(stopped?.status).toBe("failed");
    expect(stopped?.error?.code).toBe("ENGINE_UNAVAILABLE");
    expect(stopped?.variants.map((v) => v.status)).toEqual(["failed", "skipped"]);
    expect(stopped?.variants[0].reason).toMatch(/engine/i);

    execFileSync("bash", ["scripts/engine.sh"], { stdio: "inherit" });
    await testDb.db.comparison.create({
      data: { id: "enginebak1", repo: "example:hello", status: "running", variantKeys: JSON.stringify(["scratch"]) },
    });
    await runComparison("enginebak1", deps);
    const retried = await getComparison(testDb.db, "enginebak1");
    expect(retried?.status).toBe("succeeded");
    expect(retried?.variants[0].runCheck?.verdict).toBe("works");
  });
});
