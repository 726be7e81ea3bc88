// Reads two comparisons for /compare/<a>/<b> and its API: each one's view, its variants'
// layers with digests and stored analyses, and — for the variants built on both sides —
// every layer's full file list from BlobFiles (read once per digest: base layers are
// shared). The diff itself is pure (lib/views/compare-result.ts).
import { comparisonNotFound } from "@/lib/comparisons/ids";
import type { Db } from "@/lib/db";
import { UserError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { databaseLayerFiles } from "@/lib/db/blob-stores";
import type { LayerFiles } from "@/lib/measure/layer-files";
import { toComparisonView } from "@/lib/reads/queries";
import { sameRepository } from "@/lib/reads/previous-query";
import { binaryReportOf } from "@/lib/views/compare-binary";
import { imageFilesOf } from "@/lib/views/compare-files";
import { compareSides, type CompareResult, type CompareSideInput, type CompareVariantInput } from "@/lib/views/compare-result";

const withVariants = {
  variants: { orderBy: { position: "asc" }, include: { layers: { orderBy: { index: "asc" } } } },
} satisfies Prisma.ComparisonInclude;

type ComparisonRow = Prisma.ComparisonGetPayload<{ include: typeof withVariants }>;
type LoadFiles = (digest: string) => Promise<LayerFiles | null>;

/** Both comparisons compared, `before` first; a UserError when either is unknown or they are of different repositories. */
export async function compareComparisons(db: Db, beforeId: string, afterId: string): Promise<CompareResult> {
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
  const loadFiles = cachedLoader(db);
  const [beforeSide, afterSide] = await Promise.all([sideOf(before!, both, loadFiles), sideOf(after!, both, loadFiles)]);
  return compareSides(beforeSide, afterSide);
}

async function sideOf(row: ComparisonRow, withFiles: ReadonlySet<string>, loadFiles: LoadFiles): Promise<CompareSideInput> {
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
    const listings = withFiles.has(variant.key) ? await Promise.all(variant.layers.map((layer) => listingOf(layer, loadFiles))) : [];
    const none = listings.every((listing) => listing === null);
    const files = imageFilesOf(
      listings,
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
async function listingOf(layer: ComparisonRow["variants"][number]["layers"][number], loadFiles: LoadFiles): Promise<LayerFiles | null> {
  if (layer.digest) return loadFiles(layer.digest);
  return layer.sizeBytes === BigInt(0) ? { entries: [], truncated: false } : null;
}

function cachedLoader(db: Db): LoadFiles {
  const store = databaseLayerFiles(db);
  const cache = new Map<string, Promise<LayerFiles | null>>();
  return (digest) => {
    let listing = cache.get(digest);
    if (!listing) cache.set(digest, (listing = store.getFiles(digest).catch(() => null)));
    return listing;
  };
}

function parseAnalysis(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
