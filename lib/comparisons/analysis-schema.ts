// Reads a variant's stored `analysis` column (written by lib/jobs/variant-build.ts from
// lib/measure/image-analysis.ts) back into typed values, checked by zod rather than
// trusted: the column is JSON that older versions wrote differently or not at all.
// Two readers: the whole analysis (its own endpoint), and the few figures the comparison's
// JSON carries — summarized once, when the worker stores the analysis, into a column of
// their own (`analysisSummary`), so that no page, badge or API answer reads the tree.
import { z } from "zod";
import type { AnalysisSummary, VariantAnalysisView } from "@/lib/comparisons/types";
import type { FileTreeNode } from "@/lib/measure/file-tree";

const bytes = z.number().int().nonnegative();

const treeNode: z.ZodType<FileTreeNode> = z.object({
  name: z.string(),
  path: z.string(),
  bytes,
  files: bytes,
  get children() {
    return z.array(treeNode).optional();
  },
  more: z.number().int().optional(),
});

const efficiency = z.object({
  efficiency: z.number().min(0).max(1),
  wastedBytes: bytes,
  redundantBytes: bytes,
  totalBytes: bytes,
  inefficiencies: z.array(z.object({ path: z.string(), count: z.number().int(), wastedBytes: bytes })),
  complete: z.boolean(),
});

const buildOnly = z.object({ goToolchain: bytes, moduleCache: bytes, buildCache: bytes, packageManager: bytes, total: bytes });

const group = z.enum(["std", "main", "dependency", "other"]);
const module = z.object({ path: z.string(), version: z.string(), group, bytes, packages: z.number().int() });

const binary = z.object({
  path: z.string(),
  goVersion: z.string().nullable(),
  mainPackagePath: z.string().nullable(),
  mainModule: z.object({ path: z.string(), version: z.string() }).nullable(),
  fileBytes: bytes,
  sections: z.array(z.object({ name: z.string(), bytes })),
  textBytes: bytes,
  attributedBytes: bytes,
  functionCount: z.number().int(),
  packages: z.array(
    z.object({ path: z.string(), group, module: z.string().optional(), version: z.string().optional(), bytes, functions: z.number().int() }),
  ),
  omittedPackages: z.object({ count: z.number().int(), bytes }),
  modules: z.array(module),
  largestSymbols: z.array(z.object({ name: z.string(), package: z.string(), bytes })),
});

export const variantAnalysisSchema: z.ZodType<VariantAnalysisView> = z.object({
  tree: treeNode,
  efficiency,
  buildOnly,
  binary: binary.nullable(),
  analysisMs: z.number().nonnegative(),
});

// zod drops keys a schema does not name, so the tree and the package list are skipped.
const summarySource = z.object({
  efficiency: efficiency.pick({ efficiency: true, wastedBytes: true, redundantBytes: true, complete: true }),
  buildOnly,
  binary: binary.pick({ path: true, goVersion: true, fileBytes: true, textBytes: true, modules: true }).nullable(),
});

export const TOP_MODULES = 3;

/** The whole analysis, or null when the column is empty or not in this version's shape. */
export function parseVariantAnalysis(text: string | null): VariantAnalysisView | null {
  const json = parseJson(text);
  if (json === undefined) return null;
  const parsed = variantAnalysisSchema.safeParse(json);
  return parsed.success ? parsed.data : null;
}

const summarySchema: z.ZodType<AnalysisSummary> = z.object({
  efficiency: z.number().min(0).max(1),
  wastedBytes: bytes,
  redundantBytes: bytes,
  complete: z.boolean(),
  buildOnly,
  binary: z
    .object({
      path: z.string(),
      goVersion: z.string().nullable(),
      fileBytes: bytes,
      textBytes: bytes,
      moduleCount: z.number().int().nonnegative(),
      topModules: z.array(z.object({ path: z.string(), version: z.string(), bytes })),
    })
    .nullable(),
});

/** A stored `analysisSummary` column, or null when it is empty or not in this version's shape. */
export function parseAnalysisSummary(text: string | null): AnalysisSummary | null {
  const json = parseJson(text);
  if (json === undefined) return null;
  const parsed = summarySchema.safeParse(json);
  return parsed.success ? parsed.data : null;
}

/** The comparison JSON's few figures of an analysis (a value, or its stored JSON); null as parseVariantAnalysis. */
export function summarizeAnalysis(analysis: unknown): AnalysisSummary | null {
  const json = typeof analysis === "string" || analysis === null ? parseJson(analysis) : analysis;
  if (json === undefined) return null;
  const parsed = summarySource.safeParse(json);
  if (!parsed.success) return null;
  const { efficiency, buildOnly, binary } = parsed.data;
  // Compiler-made code ("(generated)") is no module a user chose.
  const modules = binary?.modules.filter((m) => m.group !== "other") ?? [];
  return {
    ...efficiency,
    buildOnly,
    binary: binary && {
      path: binary.path,
      goVersion: binary.goVersion,
      fileBytes: binary.fileBytes,
      textBytes: binary.textBytes,
      moduleCount: modules.length,
      topModules: [...modules]
        .sort((a, b) => b.bytes - a.bytes)
        .slice(0, TOP_MODULES)
        .map(({ path, version, bytes }) => ({ path, version, bytes })),
    },
  };
}

function parseJson(text: string | null): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
