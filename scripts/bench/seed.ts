// Seeds a benchmark database with many comparisons that look like real ones: 2-4
// variants each (the generated Dockerfiles, a build log, run checks) with a few layers,
// spread over two months and a few hundred repositories; one repository has a tenth of
// them (its history page), and one comparison is still running (a build in progress).
// The newest comparison and the one three before it are two comparisons of one repository
// (the compare page's pair); they and the running one carry analyses (file trees, a real Go
// binary's packages) as a worker stores them, with their summaries, and the pair's layers
// their file lists (seed-files.ts).
// Written through Prisma with createMany in batches, one transaction per batch, on
// SQLite or PostgreSQL. The shapes come from a seeded PRNG.
import type { Db, Dialect } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { encodeCursor } from "@/lib/reads/cursor";
import { newComparisonId } from "@/lib/comparisons/ids";
import { planVariants } from "@/lib/dockerfiles/plan";
import { analysisColumns, layerListing, storedFiles, VARIANT_KEYS as KEYS, type Key } from "./seed-files";

const BATCH = 500;
/** The repository with every tenth comparison: its /r/ page. */
export const HOT_REPO = "https://git.example.org/bench/hot-service";
const HOT_EVERY = 10;
/** The repository of the compared pair. */
const PAIR_REPO = "https://git.example.org/bench/compared-service";

export interface Seeded {
  comparisons: number;
  variants: number;
  layers: number;
  /** The newest comparison: succeeded, with all four variants. */
  targetId: string;
  /** The one before it: running, single built, scratch building (its log growing), two queued. */
  runningId: string;
  /** The variant of the running comparison that is building. */
  buildingKey: Key;
  /** An earlier succeeded comparison of targetId's repository, with analyses and file lists as targetId has: /compare/<it>/<targetId>. */
  previousId: string;
  /** A variant of targetId with the largest analysis (its "Why is it this big?"). */
  analysedKey: Key;
  /** Comparisons of HOT_REPO. */
  hotComparisons: number;
  /** The home page's ?before= cursor of the comparison in the middle. */
  middleCursor: string;
}

export async function seedComparisons(db: Db, count: number, dialect: Dialect = "sqlite"): Promise<Seeded> {
  const random = mulberry32(20261128);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const dockerfiles = generatedDockerfiles();
  const ids = new Set<string>();
  const start = Date.now() - 60 * 24 * 3600 * 1000;
  const step = (60 * 24 * 3600 * 1000) / count;
  let variantId = 1;
  let layers = 0;
  let targetId = "";
  let runningId = "";
  let previousId = "";
  let hotComparisons = 0;
  let middleCursor = "";

  for (let first = 0; first < count; first += BATCH) {
    const comparisons: Prisma.ComparisonCreateManyInput[] = [];
    const variants: Prisma.VariantCreateManyInput[] = [];
    const layerRows: Prisma.LayerCreateManyInput[] = [];
    const blobFiles = new Map<string, Uint8Array<ArrayBuffer>>();
    for (let n = first; n < Math.min(count, first + BATCH); n++) {
      let id = newComparisonId();
      while (ids.has(id)) id = newComparisonId();
      ids.add(id);
      const newest = n === count - 1;
      const running = n === count - 2;
      const previous = n === count - 3;
      // The compared pair: the newest comparison and an earlier one of the same repository.
      const paired = newest || previous;
      const createdAt = new Date(start + n * step);
      if (n === Math.floor(count / 2)) middleCursor = encodeCursor({ createdAt, id });
      const roll = random();
      const status = running ? "running" : paired || roll < 0.9 ? "succeeded" : roll < 0.97 ? "failed" : "canceled";
      const hot = n % HOT_EVERY === HOT_EVERY / 2;
      if (hot) hotComparisons++;
      const repo = paired
        ? PAIR_REPO
        : hot
          ? HOT_REPO
        : random() < 0.1
          ? pick(["example:loadlocation", "example:hello"])
            : `https://git.example.org/team-${Math.floor(random() * 40)}/service-${Math.floor(random() * 8)}`;
      const needsTzdata = repo === "example:loadlocation" || random() < 0.3;
      comparisons.push({
        id,
        status,
        repo,
        commit: status === "succeeded" || running ? hex(random, 40) : null,
        module: repo.startsWith("example:") ? `example.com/slimstage/${repo.slice(8)}` : `git.example.org/${repo.split("/").slice(3).join("/")}`,
        goVersion: "1.23",
        mainPackage: ".",
        needsTzdata,
        needsCaRoots: random() < 0.3,
        errorCode: status === "failed" ? "BUILD_FAILED" : status === "canceled" ? "CANCELED" : null,
        errorMessage: status === "failed" ? "The single variant did not compile: undefined: handler" : status === "canceled" ? "The comparison was canceled." : null,
        attempts: 1,
        createdAt,
        startedAt: createdAt,
        finishedAt: running ? null : new Date(createdAt.getTime() + 60_000 + Math.floor(random() * 120_000)),
        ...(running ? { phase: "building scratch (2 of 4)" } : {}),
      });
      if (status === "canceled") continue;
      const keys: readonly Key[] = paired || running ? KEYS : KEYS.slice(0, 2 + Math.floor(random() * 3));
      const binary = 1_300_000 + Math.floor(random() * 9_000_000);
      for (const [position, key] of keys.entries()) {
        // The running comparison: its first variant built, the next one building, the rest queued.
        const state = running ? (position === 0 ? "built" : position === 1 ? "building" : "queued") : status === "succeeded" ? "built" : "failed";
        const built = state === "built";
        const checked = built && !running;
        const variantLayers = built ? layersOf(key, binary, random) : [];
        const sizeBytes = variantLayers.reduce((sum, layer) => sum + layer.sizeBytes, 0);
        const compressedBytes = variantLayers.reduce((sum, layer) => sum + layer.compressedBytes, 0);
        const fails = key === "scratch-naive" && needsTzdata;
        const analysed = built && (paired || running) ? analysisColumns(key) : {};
        variants.push({
          ...analysed,
          id: variantId,
          comparisonId: id,
          key,
          position,
          naive: key.endsWith("-naive"),
          status: state,
          reason: state === "failed" ? "go build failed: undefined: handler" : null,
          dockerfile: dockerfiles[key],
          baseImages: JSON.stringify(key === "distroless" ? ["slimstage/golang:1.23-local", "slimstage/static:local"] : ["slimstage/golang:1.23-local"]),
          imageId: built ? `sha256:${hex(random, 64)}` : null,
          sizeBytes: built ? BigInt(sizeBytes) : null,
          compressedBytes: built ? BigInt(compressedBytes) : null,
          buildSeconds: state === "queued" || state === "building" ? null : 2 + random() * 60,
          buildLog: state === "queued" ? "" : buildLog(key, random),
          runVerdict: checked ? (fails ? "fails" : "works") : state === "failed" ? "skipped" : null,
          runExitCode: checked ? (fails ? 1 : 0) : null,
          runOutput: checked ? (fails ? "error: unknown time zone Europe/Berlin" : "Time in Berlin: Sat, 28 Nov 2026 10:00:00 CET") : null,
          runDiagnosis: checked && fails
            ? JSON.stringify({
                code: "MISSING_ZONEINFO",
                message: "The program looked for the time zone database, which the image does not have.",
                fix: "COPY --from=builder /usr/share/zoneinfo /usr/share/zoneinfo",
              })
            : null,
        });
        for (const [index, layer] of variantLayers.entries()) {
          const listing = paired ? layerListing(key, index, newest ? 1 : 0) : null;
          if (listing) blobFiles.set(listing.digest, storedFiles(listing.files));
          layerRows.push({
            digest: listing?.digest ?? null,
            variantId,
            index,
            instruction: layer.instruction,
            fromBase: layer.fromBase,
            sizeBytes: BigInt(layer.sizeBytes),
            compressedBytes: BigInt(layer.compressedBytes),
          });
        }
        variantId++;
      }
      if (newest) targetId = id;
      if (running) runningId = id;
      if (previous) previousId = id;
    }
    await db.$transaction([
      db.comparison.createMany({ data: comparisons }),
      db.variant.createMany({ data: variants }),
      db.layer.createMany({ data: layerRows }),
      db.blobFiles.createMany({ data: [...blobFiles].map(([digest, files]) => ({ digest, files })) }),
    ]);
    layers += layerRows.length;
  }
  // Rows written with their own ids leave PostgreSQL's sequence behind: move it on.
  if (dialect === "postgresql") {
    await db.$executeRawUnsafe(`SELECT setval(pg_get_serial_sequence('"Variant"', 'id'), ${variantId})`);
    // The planner's statistics, which autovacuum gathers within a minute or so of a bulk
    // insert: the pages are measured against a database as it is in use, not one whose
    // planner still believes its tables are empty. (SQLite's: the web process, at its start.)
    await db.$executeRawUnsafe("ANALYZE");
  }
  return { comparisons: count, variants: variantId - 1, layers, targetId, runningId, buildingKey: KEYS[1], previousId, analysedKey: "single", hotComparisons, middleCursor };
}

interface SeedLayer {
  instruction: string;
  fromBase: boolean;
  sizeBytes: number;
  compressedBytes: number;
}

function layersOf(key: Key, binary: number, random: () => number): SeedLayer[] {
  const layer = (instruction: string, fromBase: boolean, sizeBytes: number, ratio: number): SeedLayer => ({
    instruction,
    fromBase,
    sizeBytes,
    compressedBytes: Math.round(sizeBytes * ratio),
  });
  const source = 2_000 + Math.floor(random() * 400_000);
  switch (key) {
    case "single":
      return [
        layer("debootstrap --variant=minbase bookworm", true, 116_900_000, 0.38),
        layer("apt-get install golang-1.23-go ca-certificates git", true, 549_000_000, 0.31),
        layer("COPY src/go.mod ./", false, 120, 1),
        layer("COPY src/ ./", false, source, 0.3),
        layer(`RUN go build -trimpath -ldflags="-s -w" -o /out/app .`, false, binary * 20, 0.35),
      ];
    case "scratch":
      return [layer("COPY --from=builder /usr/share/zoneinfo /usr/share/zoneinfo", false, 1_319_186, 0.32), layer("COPY --from=builder /out/app /app", false, binary, 0.45)];
    case "scratch-naive":
      return [layer("COPY --from=builder /out/app /app", false, binary, 0.45)];
    case "distroless":
      return [layer("ADD static base (CA roots, zoneinfo, nonroot user)", true, 1_540_000, 0.33), layer("COPY --from=builder /out/app /app", false, binary, 0.45)];
  }
}

function generatedDockerfiles(): Record<Key, string> {
  const planned = planVariants(
    ["single", "scratch", "distroless"],
    { builderImage: "slimstage/golang:1.23-local", mainPackage: ".", hasGoSum: false, needs: { tzdata: true, caRoots: false, cgo: false } },
    { golang: { "1.23": "slimstage/golang:1.23-local" }, alpine: "alpine:3.20", static: "slimstage/static:local" },
  );
  const byKey = Object.fromEntries(planned.map((variant) => [variant.key, variant.dockerfile]));
  return { single: byKey.single, scratch: byKey.scratch, "scratch-naive": byKey["scratch-naive"], distroless: byKey.distroless };
}

function buildLog(key: Key, random: () => number): string {
  const lines = [
    `Step 1/${key === "single" ? 8 : 12} : FROM slimstage/golang:1.23-local AS builder`,
    " ---> 8047ce69e0e4",
    "Step 2/12 : WORKDIR /src",
    " ---> Using cache",
    "Step 3/12 : ENV CGO_ENABLED=0 GOTOOLCHAIN=local",
    " ---> Using cache",
    "Step 4/12 : ARG GOPROXY GOSUMDB GONOSUMDB GOPRIVATE",
    "Step 5/12 : COPY src/go.mod ./",
    "Step 6/12 : RUN go mod download",
    "go: no module dependencies to download",
    "Step 7/12 : COPY src/ ./",
    `Step 8/12 : RUN go build -trimpath -ldflags="-s -w" -o /out/app .`,
  ];
  for (let i = 0; i < 20; i++) lines.push(` ---> Running in ${hex(random, 12)}`, ` ---> ${hex(random, 12)}`);
  lines.push(`Successfully built ${hex(random, 12)}`);
  return lines.join("\n");
}

function hex(random: () => number, length: number): string {
  let text = "";
  while (text.length < length) text += Math.floor(random() * 0x100000000).toString(16).padStart(8, "0");
  return text.slice(0, length);
}

/** A small seeded PRNG, so every run seeds the same shapes. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
