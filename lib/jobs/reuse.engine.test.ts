// Answers reused, on the real engine: a second comparison of the same build shows the
// first one's results (the same images, sizes, layers, run checks and analysis) without
// building; "build again" (rebuild) builds; and once the engine no longer holds the
// images, the next comparison builds too.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dockerEngine } from "@/lib/engine/docker-engine";
import { getComparison } from "@/lib/reads/queries";
import { createTestDb, type TestDb } from "@/lib/testing/test-db";
import { resolveSource, testBases } from "@/lib/testing/test-config";
import { runComparison } from "@/lib/jobs/pipeline";

const engine = dockerEngine();
let testDb: TestDb;
const built = new Set<string>();

beforeAll(async () => {
  testDb = await createTestDb();
});

afterAll(async () => {
  for (const id of built) await engine.removeImage(id).catch(() => {});
  await testDb?.dispose();
});

async function compare(id: string, extra: { rebuild?: boolean; runArgs?: string } = {}) {
  await testDb.db.comparison.create({
    data: { id, repo: "example:hello", status: "running", variantKeys: JSON.stringify(["scratch"]), rebuild: extra.rebuild ?? false, runArgs: extra.runArgs ?? null },
  });
  await runComparison(id, { db: testDb.db, engine, bases: testBases(), resolveSource, runTimeoutSeconds: 5 });
  const view = (await getComparison(testDb.db, id))!;
  for (const variant of view.variants) if (variant.imageId) built.add(variant.imageId);
  return view;
}

describe("a comparison of the same build", () => {
  it("shows the earlier results; build again builds; settings and missing images build", async () => {
    const first = await compare("reuse00001");
    expect(first.status).toBe("succeeded");
    expect(first.reusedFrom).toBeNull();

    const second = await compare("reuse00002");
    expect(second.status).toBe("succeeded");
    expect(second.reusedFrom).toBe(first.id);
    expect(second.notes[0]).toMatch(/^Same build as \/c\/reuse00001: /);
    const [a, b] = [first.variants[0], second.variants[0]];
    expect(b).toMatchObject({ status: "built", imageId: a.imageId, sizeBytes: a.sizeBytes, compressedBytes: a.compressedBytes, runCheck: a.runCheck, analysisSummary: a.analysisSummary });
    expect(b.layers).toEqual(a.layers);
    expect(b.buildLog).toBe(a.buildLog);

    // The owner's "build again", and other run settings: built, not reused.
    expect((await compare("reuse00003", { rebuild: true })).reusedFrom).toBeNull();
    expect((await compare("reuse00004", { runArgs: '["--flag"]' })).reusedFrom).toBeNull();

    // The engine no longer holds the image: the results are about an image that is gone.
    for (const id of built) await engine.removeImage(id);
    const fifth = await compare("reuse00005");
    expect(fifth.reusedFrom).toBeNull();
    expect(fifth.variants[0].status).toBe("built");
  });
});
