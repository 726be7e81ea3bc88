// Two comparisons compared for /compare/<a>/<b> and its API. A comparison and the one
// before it of the same program: the diff stored when the later one finished
// (lib/reads/stored-diff.ts), one statement. Any other pair, or a stored diff that no longer
// holds, is computed live: each one's view, its variants' layers with digests and stored
// analyses, and — for the variants built on both sides — every layer's full file list
// from BlobFiles, all in one statement on the read connection (once per digest: base
// layers are shared). The diff itself is pure (lib/views/compare-result.ts).
import { comparisonNotFound } from "@/lib/comparisons/ids";
import type { Db, ReadDb } from "@/lib/db";
import { UserError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { storedLayerFiles } from "@/lib/db/blob-stores";
import { sqlParams } from "@/lib/reads/read-sql";
import type { LayerFiles } from "@/lib/measure/layer-files";
import { toComparisonView } from "@/lib/reads/queries";
import { sameRepository } from "@/lib/reads/previous-query";
import { storedDiff } from "@/lib/reads/stored-diff";
import { binaryReportOf } from "@/lib/views/compare-binary";
import { imageFilesOf } from "@/lib/views/compare-files";
import { compareSides, type CompareResult, type CompareSideInput, type CompareVariantInput } from "@/lib/views/compare-result";

const withVariants = {
  variants: { orderBy: { position: "asc" }, include: { layers: { orderBy: { index: "asc" } } } },
} satisfies Prisma.ComparisonInclude;

type ComparisonRow = Prisma.ComparisonGetPayload<{ include: typeof withVariants }>;
/** Each digest's file list; a digest not stored has none. */
type Listings = ReadonlyMap<string, LayerFiles>;

/** Both comparisons compared, `before` first; a UserError when either is unknown or they are of different repositories. */
export async function compareComparisons(db: Db, read: ReadDb, beforeId: string, afterId: string): Promise<CompareResult> {
  return (await storedDiff(read, beforeId, afterId)) ?? compareLive(db, read, beforeId, afterId);
}

/** The same, computed from the rows now (what the worker stores when a comparison finishes). */
export async function compareLive(db: Db, read: ReadDb, beforeId: string, afterId: string): Promise<CompareResult> {
  const [before, after] = await Promise.all([beforeId, afterId].map((id) => db.comparison.findUnique({ where: { id }, include: withVariants })));
  for (const [row, id] of [[before, beforeId], [after, afterId]] as const) {
    if (!row) throw comparisonNotFound(id);
  }
  if (!sameRepository(before!.repo, after!.repo)) {
    throw new UserError(
      "DIFFERENT_REPOSITORIES",
      `${beforeId} is of ${before!.repo} and ${afterId} of ${after!.repo}: only two comparisons of the same repository can be compared.`,
    );
  }
  const built = (row: ComparisonRow) => new Set(row.variants.filter((v) => v.status === "built").map((v) => v.key));
  const [builtBefore, builtAfter] = [built(before!), built(after!)];
  const both = new Set([...builtBefore].filter((key) => builtAfter.has(key)));
  const digests = [before!, after!].flatMap((row) => row.variants.filter((v) => both.has(v.key)).flatMap((v) => v.layers.flatMap((layer) => layer.digest ?? [])));
  const listings = await listingsOf(read, digests);
  return compareSides(sideOf(before!, both, listings), sideOf(after!, both, listings));
}

function sideOf(row: ComparisonRow, withFiles: ReadonlySet<string>, listings: Listings): CompareSideInput {
  const comparison = toComparisonView(row);
  const variants = new Map<string, CompareVariantInput>();
  for (const [index, variant] of row.variants.entries()) {
    const view = comparison.variants[index];
    const layers = variant.layers.map((layer) => ({
      index: layer.index,
      instruction: layer.instruction,
      sizeBytes: Number(layer.sizeBytes),
      compressedBytes: layer.compressedBytes === null ? null : Number(layer.compressedBytes),
      fromBase: layer.fromBase,
      digest: layer.digest,
    }));
    const layerFiles = withFiles.has(variant.key) ? variant.layers.map((layer) => listingOf(layer, listings)) : [];
    const none = layerFiles.every((listing) => listing === null);
    const files = imageFilesOf(
      layerFiles,
      none
        ? `Comparison ${row.id} was made before the files of each layer were recorded.`
        : `Some layers of ${variant.key} in ${row.id} have no file list, so its files cannot be compared.`,
    );
    const analysis = parseAnalysis(variant.analysis);
    const report = binaryReportOf(analysis);
    const binary =
      report ??
      ({
        missing:
          analysis === null
            ? `Comparison ${row.id} was made before Go binaries were analysed.`
            : `No Go binary was found in ${variant.key} of ${row.id}.`,
      } as const);
    variants.set(variant.key, { view, layers, files, binary });
  }
  return { comparison, variants };
}

// A 0-byte layer the measurement could not name (a classic WORKDIR) holds no files to miss.
function listingOf(layer: ComparisonRow["variants"][number]["layers"][number], listings: Listings): LayerFiles | null {
  if (layer.digest) return listings.get(layer.digest) ?? null;
  return layer.sizeBytes === BigInt(0) ? { entries: [], truncated: false } : null;
}

/** The stored file lists of these digests; one that cannot be read is left out (its image's files are then unknown). */
async function listingsOf(read: ReadDb, digests: readonly string[]): Promise<Listings> {
  const listings = new Map<string, LayerFiles>();
  const unique = [...new Set(digests)];
  if (unique.length === 0) return listings;
  const sql = sqlParams(read.dialect);
  const rows = await read.all<{ digest: string; files: Uint8Array }>(`SELECT "digest", "files" FROM "BlobFiles" WHERE "digest" IN (${unique.map(sql.param).join(", ")})`, sql.params);
  for (const row of rows) {
    try {
      listings.set(row.digest, storedLayerFiles(row.files));
    } catch {
      // A damaged row: as if it were not stored.
    }
  }
  return listings;
}

function parseAnalysis(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
