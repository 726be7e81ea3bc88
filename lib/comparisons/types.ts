// The shapes the API returns and the pages render (PRODUCT.md's API contract). The
// database rows are mapped to these in queries.ts; nothing else leaves the server.
import type { BinaryReport } from "@/lib/binary/analyze-binary";
import type { Efficiency } from "@/lib/measure/efficiency";
import type { BuildOnlySummary, FileTreeNode } from "@/lib/measure/file-tree";

export const COMPARISON_STATUSES = ["queued", "running", "succeeded", "failed", "canceled"] as const;
export type ComparisonStatus = (typeof COMPARISON_STATUSES)[number];

export const VARIANT_STATUSES = ["queued", "building", "built", "failed", "skipped"] as const;
export type VariantStatus = (typeof VARIANT_STATUSES)[number];

/** "same": behaves as the single-stage image, which itself exits non-zero (a CLI printing its usage). */
export type RunVerdict = "works" | "same" | "fails" | "skipped";

export const DIAGNOSIS_CODES = [
  "MISSING_ZONEINFO",
  "MISSING_CA_ROOTS",
  "DYNAMIC_LINKING",
  "MISSING_FILE",
  "PERMISSION_DENIED",
  "UNKNOWN",
] as const;
export type DiagnosisCode = (typeof DIAGNOSIS_CODES)[number];

export interface LayerView {
  index: number;
  instruction: string;
  sizeBytes: number;
  compressedBytes: number | null;
  fromBase: boolean;
}

export interface RunCheckView {
  verdict: RunVerdict;
  exitCode: number | null;
  output: string;
  diagnosis?: { code: DiagnosisCode; message: string; fix: string };
}

export interface VariantView {
  key: string;
  naive: boolean;
  status: VariantStatus;
  reason?: string;
  dockerfile: string;
  baseImages: string[];
  imageId: string | null;
  sizeBytes: number | null;
  compressedBytes: number | null;
  buildSeconds: number | null;
  buildLog: string;
  layers: LayerView[];
  runCheck: RunCheckView | null;
  /** A few figures of the variant's analysis (the whole of it: GET …/variants/<key>/analysis); null when none was stored. */
  analysisSummary?: AnalysisSummary | null;
}

export interface ComparisonView {
  id: string;
  status: ComparisonStatus;
  phase: string | null;
  repo: string;
  ref: string | null;
  commit: string | null;
  subdir: string | null;
  mainPackage: string | null;
  /** The module's main packages, once it has been analysed (each can be compared on its own). */
  mainPackages: string[];
  module: string | null;
  goVersion: string | null;
  needs: { tzdata: boolean; caRoots: boolean; cgo: boolean };
  /** Remarks for the user: a builder fallback, why static variants cannot work... */
  notes: string[];
  error?: { code: string; message: string };
  /** The earlier comparison of the same build whose results this one shows (not built again). */
  reusedFrom: string | null;
  createdAt: string;
  finishedAt: string | null;
  variants: VariantView[];
}

/** What a badge and a link preview read of a comparison: no layers, logs, Dockerfiles or analyses. */
export interface ComparisonGlance {
  id: string;
  status: ComparisonStatus;
  repo: string;
  error?: { code: string; message: string };
  variants: Array<
    Pick<VariantView, "key" | "naive" | "status" | "sizeBytes"> & { runCheck: Pick<NonNullable<VariantView["runCheck"]>, "verdict"> | null }
  >;
}

/** One row of the recent-comparisons list. */
export interface ComparisonSummary {
  id: string;
  status: ComparisonStatus;
  repo: string;
  createdAt: string;
  finishedAt: string | null;
  /** Largest and smallest built image, when at least two variants were built. */
  largest: { key: string; sizeBytes: number } | null;
  smallest: { key: string; sizeBytes: number } | null;
}

export const isTerminal = (status: ComparisonStatus): boolean =>
  status === "succeeded" || status === "failed" || status === "canceled";

/** Why a built image is the size it is, as GET /api/comparisons/<id>/variants/<key>/analysis returns it. */
export interface VariantAnalysisView {
  tree: FileTreeNode;
  efficiency: Efficiency;
  buildOnly: BuildOnlySummary;
  binary: (BinaryReport & { path: string }) | null;
  analysisMs: number;
}

/** The figures of a variant's analysis that the comparison's own JSON carries (it must not grow with the tree). */
export interface AnalysisSummary {
  efficiency: number;
  wastedBytes: number;
  redundantBytes: number;
  /** False when a layer's file list was missing or cut short: the figures cover what was listed. */
  complete: boolean;
  buildOnly: BuildOnlySummary;
  binary: {
    path: string;
    goVersion: string | null;
    fileBytes: number;
    textBytes: number;
    /** Modules with code in the binary: the standard library, the main module, each dependency. */
    moduleCount: number;
    topModules: Array<{ path: string; version: string; bytes: number }>;
  } | null;
}
