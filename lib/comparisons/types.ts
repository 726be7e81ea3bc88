// The shapes the API returns and the pages render (PRODUCT.md's API contract). The
// database rows are mapped to these in queries.ts; nothing else leaves the server.

export const COMPARISON_STATUSES = ["queued", "running", "succeeded", "failed", "canceled"] as const;
export type ComparisonStatus = (typeof COMPARISON_STATUSES)[number];

export const VARIANT_STATUSES = ["queued", "building", "built", "failed", "skipped"] as const;
export type VariantStatus = (typeof VARIANT_STATUSES)[number];

export type RunVerdict = "works" | "fails" | "skipped";

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
  module: string | null;
  goVersion: string | null;
  needs: { tzdata: boolean; caRoots: boolean; cgo: boolean };
  /** Remarks for the user: a builder fallback, why static variants cannot work... */
  notes: string[];
  error?: { code: string; message: string };
  createdAt: string;
  finishedAt: string | null;
  variants: VariantView[];
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
