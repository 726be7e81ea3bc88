// One program, both builders: examples/loadlocation built by the engine's BuildKit and by
// its classic builder (the engine told to say it has no BuildKit) gives the same files
// in the app's layers, sizes within 1%, the same binary analysis and the same run-check
// verdicts. Where they must differ, they differ as designed: BuildKit keeps Go's caches in
// cache mounts, so its single-stage image has no /root/.cache/go-build.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dockerEngine } from "@/lib/engine/docker-engine";
import type { Engine } from "@/lib/engine/engine";
import { databaseBlobSizes, databaseLayerFiles } from "@/lib/db/blob-stores";
import { captureGoBinary } from "@/lib/measure/image-analysis";
import type { FileTreeNode } from "@/lib/measure/file-tree";
import { startSizeRegistry, type SizeRegistry } from "@/lib/measure/size-registry";
import { resolveSource, testBases, testConfig } from "@/lib/testing/test-config";
import { createTestDb, type TestDb } from "@/lib/testing/test-db";
import { getComparison, getVariantAnalysis } from "@/lib/reads/queries";
import { runComparison } from "@/lib/jobs/pipeline";

const buildkit = dockerEngine();
const classic: Engine = { ...buildkit, builder: async () => ({ kind: "classic", why: "told so by the test" }) };
let testDb: TestDb;
let registry: SizeRegistry;
const built: string[] = [];

beforeAll(async () => {
  expect((await buildkit.builder()).kind).toBe("buildkit");
  testDb = await createTestDb();
  registry = await startSizeRegistry({ port: 0, sizes: databaseBlobSizes(testDb.db), files: databaseLayerFiles(testDb.db), captureFile: captureGoBinary });
});

afterAll(async () => {
  for (const id of built) await buildkit.removeImage(id).catch(() => {});
  await registry?.close();
  await testDb?.dispose();
});

async function compare(id: string, engine: Engine) {
  await testDb.db.comparison.create({ data: { id, repo: "example:loadlocation", status: "running", rebuild: true, variantKeys: JSON.stringify(["single", "scratch"]) } });
  await runComparison(id, { db: testDb.db, engine, bases: testBases(), resolveSource, registry, layerFiles: databaseLayerFiles(testDb.db), runTimeoutSeconds: 5 });
  const view = (await getComparison(testDb.db, id))!;
  for (const variant of view.variants) if (variant.imageId) built.push(variant.imageId);
  return view;
}

/** Every file of the merged image as "path bytes", cache folders left out. */
function files(node: FileTreeNode, out: string[] = []): string[] {
  if (node.children) for (const child of node.children) files(child, out);
  else if (!node.more && !node.path.startsWith("/root/.cache/")) out.push(`${node.path} ${node.bytes}`);
  return out;
}

async function analysisOf(id: string, key: string) {
  const found = await getVariantAnalysis(testDb.db, id, key);
  if (found.found !== "analysis") throw new Error(`no analysis of ${id}/${key}: ${found.found}`);
  return found.analysis;
}

describe("BuildKit and the classic builder", () => {
  it("build loadlocation to the same files, sizes, binary and verdicts", async () => {
    const withBuildkit = await compare("bkit000001", buildkit);
    const withClassic = await compare("classic001", classic);
    for (const view of [withBuildkit, withClassic]) {
      expect(view.status).toBe("succeeded");
      expect(view.variants.map((v) => [v.key, v.status])).toEqual([
        ["single", "built"],
        ["scratch", "built"],
        ["scratch-naive", "built"],
      ]);
    }
    expect(withBuildkit.variants[0].dockerfile).toContain("--mount=type=cache");
    expect(withClassic.variants[0].dockerfile).not.toContain("--mount");

    for (const [i, variant] of withBuildkit.variants.entries()) {
      const other = withClassic.variants[i];
      expect(variant.runCheck?.verdict, variant.key).toBe(other.runCheck?.verdict);
      expect(variant.runCheck?.diagnosis?.code ?? null, variant.key).toBe(other.runCheck?.diagnosis?.code ?? null);
      const [a, b] = await Promise.all([analysisOf(withBuildkit.id, variant.key), analysisOf(withClassic.id, variant.key)]);
      // The single-stage image's tree is cut to its largest entries (its base holds thousands):
      // there, the app's own folders are compared.
      const own = (tree: FileTreeNode) => (variant.key === "single" ? files(tree).filter((f) => /^\/(src|out)\//.test(f)) : files(tree));
      expect(own(a.tree).length, variant.key).toBeGreaterThan(0);
      expect(own(a.tree), variant.key).toEqual(own(b.tree));
      expect(a.binary?.packages, variant.key).toEqual(b.binary?.packages);
      expect(a.binary?.fileBytes, variant.key).toBe(b.binary?.fileBytes);
      // The classic single-stage image also keeps Go's build cache in a layer.
      const ratio = (variant.sizeBytes! + cacheBytes(b.tree)) / (other.sizeBytes! + cacheBytes(a.tree));
      expect(Math.abs(ratio - 1), `${variant.key}: ${variant.sizeBytes} B vs ${other.sizeBytes} B`).toBeLessThan(0.01);
    }
  });
});

function cacheBytes(node: FileTreeNode): number {
  if (node.path === "/root/.cache") return node.bytes;
  return (node.children ?? []).reduce((sum, child) => sum + cacheBytes(child), 0);
}
