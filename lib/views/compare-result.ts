// Pure: "what changed" between two comparisons of one repository, per variant key present
// in either: sizes before and after (on disk and compressed), and, for a variant built in
// both, its layers, files and Go binary (modules and packages) changed. What cannot be
// compared says why (a comparison made before files or binaries were recorded, a variant
// built on one side only). The JSON of GET /api/compare/<a>/<b>; the page renders it.
import type { ComparisonView, RunVerdict, VariantStatus, VariantView } from "@/lib/comparisons/types";
import { diffBinaries, type BinaryDiff } from "@/lib/views/compare-binary";
import { diffFiles, type FilesDiff, type ImageFiles } from "@/lib/views/compare-files";
import { diffLayers, type CompareLayer } from "@/lib/views/compare-layers";
import type { ChangeList } from "@/lib/views/compare-lists";

export interface CompareVariantInput {
  view: VariantView;
  layers: CompareLayer[];
  files: ImageFiles;
  /** The Go binary's report, or why there is none. */
  binary: Parameters<typeof diffBinaries>[0] | { missing: string };
}

export interface CompareSideInput {
  comparison: ComparisonView;
  variants: ReadonlyMap<string, CompareVariantInput>;
}

export type ComparisonBrief = Pick<ComparisonView, "id" | "status" | "repo" | "ref" | "commit" | "subdir" | "mainPackage" | "createdAt" | "finishedAt">;

export interface SizeChange {
  before: number | null;
  after: number | null;
  deltaBytes: number | null;
  /** Relative to before, one decimal; null when either size is unknown. */
  deltaPercent: number | null;
}

export interface VariantState {
  status: VariantStatus;
  runVerdict: RunVerdict | null;
  reason?: string;
}

export interface VariantDiff {
  key: string;
  before: VariantState | null;
  after: VariantState | null;
  sizes: { disk: SizeChange; compressed: SizeChange };
  layers: ChangeList<CompareLayer> | null;
  files: (FilesDiff & { truncated: boolean; fileCount: { before: number; after: number } }) | null;
  binary: BinaryDiff | null;
  /** Why layers, files or binary are null, for a person. */
  unavailable: { layers?: string; files?: string; binary?: string };
}

export interface CompareResult {
  before: ComparisonBrief;
  after: ComparisonBrief;
  variants: VariantDiff[];
}

/**
 * The version of CompareResult's shape (with everything in it: VariantDiff, the files,
 * layers and binary diffs). Results are stored as JSON when a comparison finishes
 * (ComparisonDiff, lib/jobs/finish-diff.ts) and a stored one is used only while its version
 * is this one: bump it with any change to the shape or to what compareSides computes.
 */
export const COMPARE_RESULT_VERSION = 1;

export function compareSides(before: CompareSideInput, after: CompareSideInput): CompareResult {
  const keys = [...new Set([...after.comparison.variants.map((v) => v.key), ...before.comparison.variants.map((v) => v.key)])];
  return {
    before: briefOf(before.comparison),
    after: briefOf(after.comparison),
    variants: keys.map((key) => diffVariant(key, before, after)),
  };
}

function diffVariant(key: string, beforeSide: CompareSideInput, afterSide: CompareSideInput): VariantDiff {
  const before = beforeSide.variants.get(key) ?? null;
  const after = afterSide.variants.get(key) ?? null;
  const sizes = {
    disk: sizeChange(before?.view.sizeBytes, after?.view.sizeBytes),
    compressed: sizeChange(before?.view.compressedBytes, after?.view.compressedBytes),
  };
  const diff: VariantDiff = { key, before: stateOf(before?.view), after: stateOf(after?.view), sizes, layers: null, files: null, binary: null, unavailable: {} };
  if (!before || !after || before.view.status !== "built" || after.view.status !== "built") {
    const [side, variant] = !before || before.view.status !== "built" ? [beforeSide, before] : [afterSide, after];
    const why = variant ? `was ${variant.view.status} in ${side.comparison.id}` : `is not among the variants of ${side.comparison.id}`;
    const text = `${key} ${why}, so there is nothing to compare inside it.`;
    return { ...diff, unavailable: { layers: text, files: text, binary: text } };
  }
  diff.layers = diffLayers(before.layers, after.layers);
  if (before.files.known && after.files.known) {
    diff.files = {
      ...diffFiles(before.files.files, after.files.files),
      truncated: before.files.truncated || after.files.truncated,
      fileCount: { before: before.files.fileCount, after: after.files.fileCount },
    };
  } else diff.unavailable.files = !before.files.known ? before.files.reason : (after.files as { reason: string }).reason;
  if ("missing" in before.binary) diff.unavailable.binary = before.binary.missing;
  else if ("missing" in after.binary) diff.unavailable.binary = after.binary.missing;
  else diff.binary = diffBinaries(before.binary, after.binary);
  return diff;
}

export function sizeChange(before: number | null | undefined, after: number | null | undefined): SizeChange {
  const b = before ?? null;
  const a = after ?? null;
  if (b === null || a === null) return { before: b, after: a, deltaBytes: null, deltaPercent: null };
  return { before: b, after: a, deltaBytes: a - b, deltaPercent: b > 0 ? Math.round(((a - b) / b) * 1000) / 10 : null };
}

const stateOf = (view: VariantView | undefined): VariantState | null =>
  view ? { status: view.status, runVerdict: view.runCheck?.verdict ?? null, ...(view.reason ? { reason: view.reason } : {}) } : null;

const briefOf = ({ id, status, repo, ref, commit, subdir, mainPackage, createdAt, finishedAt }: ComparisonView): ComparisonBrief =>
  ({ id, status, repo, ref, commit, subdir, mainPackage, createdAt, finishedAt });
