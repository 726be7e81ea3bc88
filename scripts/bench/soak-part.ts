// P10: the soak — 50 comparisons in a row, of varied programs and settings, by one build
// worker (`npm run worker`) on a second engine of the bench's own with only the base
// images in it, under a small disk budget (SLIMSTAGE_DISK_BUDGET_MB). After each one the
// worker keeps the budget (lib/jobs/disk-budget.ts) and writes what the engine holds into
// its row; the bench then measures the engine itself (`docker system df`'s figures
// through the Engine) and prints it. The figure: the peak and the final use against the
// budget, whether the last ten stay flat, and the dangling images left at the end (0).
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { newComparisonId } from "@/lib/comparisons/ids";
import { dockerEngineAt } from "@/lib/engine/docker-engine";
import { wantedBaseImages } from "@/lib/jobs/presence";
import { randomBytes } from "node:crypto";
import { startGitServer } from "@/lib/testing/git-server";
import { copyImages, startSecondEngine } from "@/lib/testing/second-engine";
import { createTestDb } from "@/lib/testing/test-db";
import { startWorkerProcess } from "@/e2e/processes";
import type { BenchContext } from "./context";
import { megabytes, ratio, seconds, verdict } from "./report";
import { waitUntil } from "./waiting";

const run = promisify(execFile);
const COMPARISONS = 50;
/** Over what the base images take: room for a few comparisons and some build cache, not fifty. */
const HEADROOM_BYTES = 600e6;
const TIME_LIMIT_MS = 40 * 60_000;

// Varied programs, variants and settings. "own" is a repository of the soak's own with
// 8 MB of data beside the program, new in every comparison: each of those builds new
// layers and new cache, as different repositories do.
const SAMPLES: Array<{ repo: "own" | `example:${string}`; variants?: string[]; runArgs?: string[] }> = [
  { repo: "own", variants: ["single", "scratch"] },
  { repo: "example:loadlocation", variants: ["single", "alpine", "scratch", "distroless"] },
  { repo: "own", variants: ["single", "distroless"] },
  { repo: "example:hello", variants: ["scratch"], runArgs: ["--help"] },
  { repo: "own" },
];

const ownRepo = (n: number) => ({
  "go.mod": "module example.com/soak\n\ngo 1.21\n",
  "main.go": 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("soak") }\n',
  "data/blob.txt": randomBytes(6_000_000).toString("base64"),
  "stamp.txt": `${n}\n`,
});

export async function soakBench(ctx: BenchContext): Promise<void> {
  const { cleanup, config, log, rows, stamp } = ctx;
  const started = Date.now();
  const testDb = await createTestDb();
  cleanup.add("the P10 database", () => testDb.dispose());
  log("P10: starting a second Docker Engine for the soak");
  const engineB = await startSecondEngine();
  cleanup.add("the P10 engine", () => engineB.dispose());
  const engine = dockerEngineAt(engineB.socketPath);
  const git = await startGitServer();
  cleanup.add("the P10 git server", () => git.stop());
  // The bases its programs need (Go 1.21 modules: the 1.23 builder), not every Go stand-in.
  const bases: string[] = [];
  for (const { base, image } of wantedBaseImages(config.baseImages)) {
    if (base.startsWith("golang ") && base !== "golang 1.23") continue;
    await run("docker", ["image", "inspect", image]).then(() => bases.push(image), () => {});
  }
  await copyImages(bases, engineB.dockerHost);
  const start = await engine.diskUsage();
  const budget = Math.ceil((start.imagesBytes + start.buildCacheBytes + HEADROOM_BYTES) / 1e6) * 1e6;
  log(`P10: base images ${megabytes(start.imagesBytes)}; budget ${megabytes(budget)}`);

  const worker = await startWorkerProcess({
    DATABASE_URL: testDb.url,
    DOCKER_HOST: engineB.dockerHost,
    SLIMSTAGE_BASE_PROFILE: config.baseProfile,
    SLIMSTAGE_REGISTRY_PORT: "0",
    SLIMSTAGE_WORKER_ID: `${stamp}-p10`,
    SLIMSTAGE_DISK_BUDGET_MB: String(budget / 1e6),
    SLIMSTAGE_ALLOW_PRIVATE_HOSTS: "1",
    // The comparisons alone: the advice's extra builds would double the soak's time (its images go with their comparison).
    SLIMSTAGE_ADVICE: "off",
  });
  cleanup.add("the P10 worker", () => worker.stop());

  const used: number[] = [];
  let failed = 0;
  for (let n = 0; n < COMPARISONS && Date.now() - started < TIME_LIMIT_MS; n++) {
    const sample = SAMPLES[n % SAMPLES.length];
    const id = newComparisonId();
    // The worker writes the engine's use after keeping the budget: cleared first, so the bench waits for this comparison's.
    await testDb.db.worker.updateMany({ data: { diskUsedBytes: null } });
    const repo = sample.repo === "own" ? (await git.createRepo(`soak${n}`, ownRepo(n))).url : sample.repo;
    await testDb.db.comparison.create({
      data: {
        id,
        repo,
        status: "queued",
        rebuild: true,
        variantKeys: sample.variants ? JSON.stringify(sample.variants) : null,
        runArgs: sample.runArgs ? JSON.stringify(sample.runArgs) : null,
      },
    });
    const row = await waitUntil(`P10 comparison ${n + 1}`, 10 * 60_000, async () => {
      const c = await testDb.db.comparison.findUnique({ where: { id }, select: { status: true } });
      return c && ["succeeded", "failed", "canceled"].includes(c.status) ? c : null;
    });
    if (row.status !== "succeeded") failed++;
    await waitUntil("the worker's disk report", 120_000, async () => ((await testDb.db.worker.findFirst({ select: { diskUsedBytes: true } }))?.diskUsedBytes ?? null));
    const now = await engine.diskUsage();
    used.push(now.imagesBytes + now.buildCacheBytes);
    log(`P10: ${n + 1}/${COMPARISONS} ${row.status}; the engine holds ${megabytes(now.imagesBytes)} of images and ${megabytes(now.buildCacheBytes)} of build cache: ${megabytes(used.at(-1)!)} of ${megabytes(budget)}`);
  }
  // Untagged images are what a comparison keeps (its variants are tagged only once measured):
  // "dangling" here is one that no comparison row accounts for.
  const { stdout } = await run("docker", ["images", "-q", "--no-trunc", "--filter", "dangling=true"], { env: { ...process.env, DOCKER_HOST: engineB.dockerHost } });
  const untagged = stdout.split("\n").filter(Boolean);
  const recorded = new Set((await testDb.db.variant.findMany({ where: { imageId: { in: untagged } }, select: { imageId: true } })).map((v) => v.imageId));
  const unaccounted = untagged.filter((id) => !recorded.has(id));
  for (const id of unaccounted) {
    const { stdout: about } = await run("docker", ["image", "inspect", "--format", "{{json .Config.Labels}} {{.Size}}", id], { env: { ...process.env, DOCKER_HOST: engineB.dockerHost } }).catch(() => ({ stdout: "?" }));
    log(`P10: not accounted for: ${id} ${about.trim()}`);
  }
  const dangling = unaccounted.length;
  const peak = Math.max(...used);
  const last = used.slice(-10);
  const flat = Math.max(...last) - Math.min(...last);
  rows.push({
    id: "P10",
    figure: `soak: ${used.length} comparisons on one engine, peak / final disk use`,
    value: `${megabytes(peak)} / ${megabytes(used.at(-1)!)}`,
    baseline: `budget ${megabytes(budget)}`,
    ratio: ratio(peak, budget),
    target: "≤ 1.0",
    verdict: verdict(peak <= budget && used.length === COMPARISONS && dangling === 0),
    notes: [
      `P10: ${used.length} comparisons in ${seconds((Date.now() - started) / 1000)} (${failed} not succeeded); the last ten within ${megabytes(flat)} of each other; ${untagged.length} untagged image(s) at the end, ${dangling} of them accounted for by no comparison (target 0). Use after each: ${used.map((u) => (u / 1e6).toFixed(0)).join(" ")} MB.`,
    ],
  });
}
