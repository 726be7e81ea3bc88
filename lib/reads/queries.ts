// Reads comparisons for the pages and the API, and maps database rows to the shapes
// of types.ts (sizes as numbers of bytes, dates as ISO strings, JSON columns parsed).
import { plainText } from "@/lib/plain-text";
import type { Db, ReadDb } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { encodeCursor, type ComparisonCursor } from "@/lib/reads/cursor";
import { bigintColumn, isoOf, olderThanSql, sqlParams, timeColumn } from "@/lib/reads/read-sql";
import { parseAnalysisSummary, parseVariantAnalysis } from "@/lib/comparisons/analysis-schema";
import { computeHeadline, type HeadlineInput } from "@/lib/views/headline";
import type {
  ComparisonGlance,
  ComparisonStatus,
  ComparisonSummary,
  ComparisonView,
  DiagnosisCode,
  RunVerdict,
  VariantAnalysisView,
  VariantStatus,
  VariantView,
} from "@/lib/comparisons/types";

// Not the analysis itself (a file tree, often hundreds of kilobytes): its summary column.
const withVariants = {
  variants: { orderBy: { position: "asc" }, omit: { analysis: true }, include: { layers: { orderBy: { index: "asc" } } } },
} satisfies Prisma.ComparisonInclude;

type ComparisonRow = Prisma.ComparisonGetPayload<{ include: typeof withVariants }>;
type LayerRow = ComparisonRow["variants"][number]["layers"][number];

/** A 64-bit size as a driver hands it over: Prisma a bigint, better-sqlite3 a number, pg text. */
type Size = bigint | number | string;
/** A time as Prisma (a Date) or the read connection (ISO text, lib/reads/read-sql.ts) hands it over. */
type Time = Date | string;

/** What a view is made of: Prisma's row, or the same columns read on the read connection (lib/reads/comparison-read.ts). */
export type ComparisonViewRow = Pick<
  ComparisonRow,
  | "id" | "status" | "phase" | "repo" | "ref" | "commit" | "subdir" | "mainPackage" | "mainPackages" | "module" | "goVersion"
  | "needsTzdata" | "needsCaRoots" | "needsCgo" | "notes" | "errorCode" | "errorMessage" | "reusedFrom"
> & { createdAt: Time; finishedAt: Time | null; variants: VariantViewRow[] };

export type VariantViewRow = Pick<
  ComparisonRow["variants"][number],
  | "key" | "naive" | "status" | "reason" | "dockerfile" | "baseImages" | "imageId" | "buildSeconds" | "buildLog"
  | "runVerdict" | "runExitCode" | "runOutput" | "runDiagnosis" | "analysisSummary"
> & { sizeBytes: Size | null; compressedBytes: Size | null; layers: LayerViewRow[] };

export type LayerViewRow = Pick<LayerRow, "index" | "instruction" | "fromBase"> & { sizeBytes: Size; compressedBytes: Size | null };

export async function getComparison(database: Db, id: string): Promise<ComparisonView | null> {
  const row = await database.comparison.findUnique({ where: { id }, include: withVariants });
  return row ? toComparisonView(row) : null;
}

/** A comparison's status and its variants' sizes and verdicts, for a badge or a link preview. */
export async function getComparisonGlance(database: Db, id: string): Promise<ComparisonGlance | null> {
  const row = await database.comparison.findUnique({
    where: { id },
    select: {
      id: true,
      status: true,
      repo: true,
      errorCode: true,
      errorMessage: true,
      variants: { orderBy: { position: "asc" }, select: { key: true, naive: true, status: true, sizeBytes: true, runVerdict: true } },
    },
  });
  if (!row) return null;
  return {
    id: row.id,
    status: row.status as ComparisonStatus,
    repo: row.repo,
    ...(row.errorCode ? { error: { code: row.errorCode, message: plainText(row.errorMessage) ?? "" } } : {}),
    variants: row.variants.map((v) => ({
      key: v.key,
      naive: v.naive,
      status: v.status as VariantStatus,
      sizeBytes: toNumber(v.sizeBytes),
      runCheck: v.runVerdict ? { verdict: v.runVerdict as RunVerdict } : null,
    })),
  };
}

/** The stored hash of a comparison's management token (never part of a view). */
export async function ownerTokenHashOf(database: Db, id: string): Promise<string | null> {
  const row = await database.comparison.findUnique({ where: { id }, select: { ownerTokenHash: true } });
  return row?.ownerTokenHash ?? null;
}

export interface ComparisonPage {
  items: ComparisonSummary[];
  /** Where the next (older) page starts; null on the last page. */
  nextCursor: string | null;
}

/**
 * Newest first, `limit` at a time, optionally of one repository, from after `cursor`: one
 * statement on the read connection (the home page and the API list; Prisma's mapping of
 * the rows cost more than the query).
 */
export async function listComparisonsPage(
  read: ReadDb,
  { limit, cursor, repo }: { limit: number; cursor?: ComparisonCursor; repo?: string },
): Promise<ComparisonPage> {
  const { dialect } = read;
  const sql = sqlParams(dialect);
  const where = [repo !== undefined ? ` AND "repo" = ${sql.param(repo)}` : "", cursor ? olderThanSql(dialect, cursor, sql) : ""].join("");
  // One more than asked tells whether an older page exists; only built variants have sizes for the headline.
  const rows = await read.all<SummaryRow>(
    `SELECT c."id", c."status", c."repo", ${timeColumn(dialect, 'c."createdAt"')} AS "createdAt", ${timeColumn(dialect, 'c."finishedAt"')} AS "finishedAt", ` +
      `v."key", ${bigintColumn(dialect, 'v."sizeBytes"')} AS "sizeBytes", v."runVerdict" ` +
      `FROM (SELECT "id", "status", "repo", "createdAt", "finishedAt" FROM "Comparison" WHERE 1 = 1${where} ` +
      `ORDER BY "createdAt" DESC, "id" DESC LIMIT ${sql.param(limit + 1)}) c ` +
      `LEFT JOIN "Variant" v ON v."comparisonId" = c."id" AND v."status" = 'built' ` +
      `ORDER BY c."createdAt" DESC, c."id" DESC, v."id" ASC`,
    sql.params,
  );
  const comparisons: Array<{ row: SummaryRow; variants: HeadlineInput[] }> = [];
  for (const row of rows) {
    if (comparisons[comparisons.length - 1]?.row.id !== row.id) comparisons.push({ row, variants: [] });
    if (row.key === null) continue;
    comparisons[comparisons.length - 1].variants.push({
      key: row.key,
      status: "built",
      sizeBytes: row.sizeBytes === null ? null : Number(row.sizeBytes),
      runCheck: row.runVerdict ? { verdict: row.runVerdict as RunVerdict } : null,
    });
  }
  const page = comparisons.slice(0, limit);
  const last = page[page.length - 1]?.row;
  return {
    items: page.map(({ row, variants }) => toSummary(row, variants)),
    nextCursor: comparisons.length > limit && last ? encodeCursor({ createdAt: new Date(isoOf(last.createdAt)), id: last.id }) : null,
  };
}

/** One comparison of a list and one of its built variants (none: the variant's columns are null). */
interface SummaryRow {
  id: string;
  status: string;
  repo: string;
  createdAt: string;
  finishedAt: string | null;
  key: string | null;
  sizeBytes: number | string | null;
  runVerdict: string | null;
}

// The list says what the page's headline says: the largest image against the smallest
// that works (never a smaller one that fails its run check).
function toSummary(row: SummaryRow, variants: HeadlineInput[]): ComparisonSummary {
  const headline = computeHeadline(variants);
  return {
    id: row.id,
    status: row.status as ComparisonStatus,
    repo: row.repo,
    createdAt: isoOf(row.createdAt),
    finishedAt: row.finishedAt === null ? null : isoOf(row.finishedAt),
    largest: headline?.largest ?? null,
    smallest: headline?.smallest ?? null,
  };
}

export function toComparisonView(row: ComparisonViewRow): ComparisonView {
  return {
    id: row.id,
    status: row.status as ComparisonStatus,
    phase: row.phase,
    repo: row.repo,
    ref: row.ref,
    commit: row.commit,
    subdir: row.subdir,
    mainPackage: row.mainPackage,
    mainPackages: parseList(row.mainPackages ?? "[]"),
    module: row.module,
    goVersion: row.goVersion,
    needs: { tzdata: row.needsTzdata, caRoots: row.needsCaRoots, cgo: row.needsCgo },
    notes: parseList(row.notes),
    ...(row.errorCode ? { error: { code: row.errorCode, message: plainText(row.errorMessage) ?? "" } } : {}),
    reusedFrom: row.reusedFrom,
    createdAt: isoTime(row.createdAt),
    finishedAt: row.finishedAt === null ? null : isoTime(row.finishedAt),
    variants: row.variants.map(toVariantView),
  };
}

function toVariantView(row: VariantViewRow): VariantView {
  return {
    key: row.key,
    naive: row.naive,
    status: row.status as VariantStatus,
    ...(row.reason ? { reason: plainText(row.reason) } : {}),
    dockerfile: row.dockerfile,
    baseImages: parseList(row.baseImages),
    imageId: row.imageId,
    sizeBytes: toNumber(row.sizeBytes),
    compressedBytes: toNumber(row.compressedBytes),
    buildSeconds: row.buildSeconds,
    buildLog: plainText(row.buildLog),
    layers: row.layers.map((layer) => ({
      index: layer.index,
      instruction: layer.instruction,
      sizeBytes: Number(layer.sizeBytes),
      compressedBytes: toNumber(layer.compressedBytes),
      fromBase: layer.fromBase,
    })),
    runCheck: row.runVerdict
      ? {
          verdict: row.runVerdict as RunVerdict,
          exitCode: row.runExitCode,
          output: plainText(row.runOutput) ?? "",
          ...(row.runDiagnosis ? { diagnosis: parseDiagnosis(row.runDiagnosis) } : {}),
        }
      : null,
    analysisSummary: parseAnalysisSummary(row.analysisSummary),
  };
}

// The diagnosis column holds {code, message, fix} as JSON.
function parseDiagnosis(text: string): { code: DiagnosisCode; message: string; fix: string } {
  try {
    return JSON.parse(text) as { code: DiagnosisCode; message: string; fix: string };
  } catch {
    return { code: "UNKNOWN", message: text, fix: "" };
  }
}

function parseList(text: string): string[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.map(String) : [];
  } catch {
    return [];
  }
}

const toNumber = (value: Size | null): number | null => (value === null ? null : Number(value));
const isoTime = (value: Time): string => (typeof value === "string" ? isoOf(value) : value.toISOString());

export type VariantAnalysisLookup =
  | { found: "analysis"; analysis: VariantAnalysisView }
  /** No such comparison, no such variant in it, or the variant has no analysis in this version's shape. */
  | { found: "no-comparison" | "no-variant" | "no-analysis" };

/** One variant's whole analysis (the file tree, dive's figures, the Go binary), checked by zod. */
export async function getVariantAnalysis(database: Db, id: string, key: string): Promise<VariantAnalysisLookup> {
  const row = await database.variant.findUnique({
    where: { comparisonId_key: { comparisonId: id, key } },
    select: { analysis: true },
  });
  if (!row) return { found: (await database.comparison.count({ where: { id } })) > 0 ? "no-variant" : "no-comparison" };
  const analysis = parseVariantAnalysis(row.analysis);
  return analysis ? { found: "analysis", analysis } : { found: "no-analysis" };
}
