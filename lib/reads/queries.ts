// Reads comparisons for the pages and the API, and maps database rows to the shapes
// of types.ts (sizes as numbers of bytes, dates as ISO strings, JSON columns parsed).
import { plainText } from "@/lib/plain-text";
import type { Db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { encodeCursor, olderThan, type ComparisonCursor } from "@/lib/reads/cursor";
import { parseAnalysisSummary, parseVariantAnalysis } from "@/lib/comparisons/analysis-schema";
import { computeHeadline } from "@/lib/views/headline";
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
type VariantRow = ComparisonRow["variants"][number];

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

/** Newest first, `limit` at a time, optionally of one repository, from after `cursor`. */
export async function listComparisonsPage(
  database: Db,
  { limit, cursor, repo }: { limit: number; cursor?: ComparisonCursor; repo?: string },
): Promise<ComparisonPage> {
  const where: Prisma.ComparisonWhereInput = {
    ...(repo !== undefined ? { repo } : {}),
    // Strictly older than the cursor row in (createdAt, id) order, so no row repeats or is skipped.
    ...(cursor ? { AND: [olderThan(cursor)] } : {}),
  };
  const rows = await database.comparison.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    // One more than asked tells whether an older page exists.
    take: limit + 1,
    include: summaryInclude,
  });
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map(toSummary),
    nextCursor: rows.length > limit && last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null,
  };
}

const summaryInclude = {
  variants: { where: { status: "built" }, select: { key: true, sizeBytes: true, runVerdict: true } },
} satisfies Prisma.ComparisonInclude;

// The list says what the page's headline says: the largest image against the smallest
// that works (never a smaller one that fails its run check).
function toSummary(row: Prisma.ComparisonGetPayload<{ include: typeof summaryInclude }>): ComparisonSummary {
  const headline = computeHeadline(
    row.variants.map((v) => ({
      key: v.key,
      status: "built" as const,
      sizeBytes: v.sizeBytes === null ? null : Number(v.sizeBytes),
      runCheck: v.runVerdict ? { verdict: v.runVerdict as RunVerdict } : null,
    })),
  );
  return {
    id: row.id,
    status: row.status as ComparisonStatus,
    repo: row.repo,
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
    largest: headline?.largest ?? null,
    smallest: headline?.smallest ?? null,
  };
}

export function toComparisonView(row: ComparisonRow): ComparisonView {
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
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
    variants: row.variants.map(toVariantView),
  };
}

function toVariantView(row: VariantRow): VariantView {
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

const toNumber = (value: bigint | null): number | null => (value === null ? null : Number(value));

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
