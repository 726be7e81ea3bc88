// Reads one comparison for its page and its JSON on the read connection (lib/db.ts's
// ReadDb): three statements — the comparison, its variants (not their analyses, often
// hundreds of kilobytes: the summary column), their layers — mapped by the same
// toComparisonView as Prisma's rows. A running comparison's page is read on every view;
// Prisma's query compiler and per-row mapping cost it about twice the database's own work
// (the bench's P3). The SQL is written per dialect (lib/reads/read-sql.ts).
import type { Dialect, ReadDb } from "@/lib/db";
import type { ComparisonView } from "@/lib/comparisons/types";
import { bigintColumn, timeColumn } from "@/lib/reads/read-sql";
import { toComparisonView, type ComparisonViewRow, type LayerViewRow, type VariantViewRow } from "@/lib/reads/queries";

/** SQLite hands booleans over as 0 or 1. */
type Flag = boolean | number;

type ComparisonColumns = Omit<ComparisonViewRow, "variants" | "needsTzdata" | "needsCaRoots" | "needsCgo"> & { needsTzdata: Flag; needsCaRoots: Flag; needsCgo: Flag };
type VariantColumns = Omit<VariantViewRow, "layers" | "naive"> & { id: number; naive: Flag };
type LayerColumns = Omit<LayerViewRow, "fromBase"> & { variantId: number; fromBase: Flag };

export async function readComparison(read: ReadDb, id: string): Promise<ComparisonView | null> {
  const sql = STATEMENTS[read.dialect];
  const comparison = await read.first<ComparisonColumns>(sql.comparison, [id]);
  if (!comparison) return null;
  const [variants, layers] = await Promise.all([read.all<VariantColumns>(sql.variants, [id]), read.all<LayerColumns>(sql.layers, [id])]);
  const layersOf = new Map<number, LayerViewRow[]>();
  for (const { variantId, fromBase, ...layer } of layers) {
    const list = layersOf.get(variantId) ?? [];
    list.push({ ...layer, fromBase: Boolean(fromBase) });
    layersOf.set(variantId, list);
  }
  return toComparisonView({
    ...comparison,
    needsTzdata: Boolean(comparison.needsTzdata),
    needsCaRoots: Boolean(comparison.needsCaRoots),
    needsCgo: Boolean(comparison.needsCgo),
    variants: variants.map(({ id: variantId, naive, ...variant }) => ({ ...variant, naive: Boolean(naive), layers: layersOf.get(variantId) ?? [] })),
  });
}

// Each statement takes the comparison's id as its one parameter.
function statementsOf(dialect: Dialect) {
  const id = dialect === "postgresql" ? "$1" : "?";
  const columns = (names: string[]) => names.map((name) => `"${name}"`).join(", ");
  const bigint = (name: string) => `${bigintColumn(dialect, `"${name}"`)} AS "${name}"`;
  const time = (name: string) => `${timeColumn(dialect, `"${name}"`)} AS "${name}"`;
  return {
    comparison:
      `SELECT ${columns(["id", "status", "phase", "repo", "ref", "commit", "subdir", "mainPackage", "mainPackages", "module", "goVersion", "needsTzdata", "needsCaRoots", "needsCgo", "notes", "errorCode", "errorMessage", "reusedFrom"])}, ` +
      `${time("createdAt")}, ${time("finishedAt")} FROM "Comparison" WHERE "id" = ${id}`,
    variants:
      `SELECT ${columns(["id", "key", "naive", "status", "reason", "dockerfile", "baseImages", "imageId", "buildSeconds", "buildLog", "runVerdict", "runExitCode", "runOutput", "runDiagnosis", "analysisSummary"])}, ` +
      `${bigint("sizeBytes")}, ${bigint("compressedBytes")} FROM "Variant" WHERE "comparisonId" = ${id} ORDER BY "position" ASC`,
    layers:
      `SELECT l."variantId", l."index", l."instruction", l."fromBase", ${bigintColumn(dialect, 'l."sizeBytes"')} AS "sizeBytes", ` +
      `${bigintColumn(dialect, 'l."compressedBytes"')} AS "compressedBytes" FROM "Layer" l JOIN "Variant" v ON v."id" = l."variantId" ` +
      `WHERE v."comparisonId" = ${id} ORDER BY l."variantId" ASC, l."index" ASC`,
  };
}

const STATEMENTS: Record<Dialect, ReturnType<typeof statementsOf>> = { sqlite: statementsOf("sqlite"), postgresql: statementsOf("postgresql") };
