// Pure: what changed inside the Go binary of one variant between two comparisons, from
// the stored binary reports (lib/binary/analyze-binary.ts): modules and packages added,
// removed, grown or shrunk, with their versions on both sides (a module at another
// version of the same size is "changed"). A report lists its largest packages only (past
// MAX_PACKAGES the rest is a count): a package missing from such a report that is smaller
// than its smallest listed one may be among the omitted, so it is not called added or removed.
import type { BinaryModule, BinaryPackage, BinaryReport } from "@/lib/binary/analyze-binary";
import { classifyPairs, DEFAULT_LIST_LIMIT, pairByName, type ChangeList } from "@/lib/views/compare-lists";

export type BinarySummary = Pick<BinaryReport, "goVersion" | "mainModule" | "fileBytes" | "textBytes" | "functionCount">;

export interface BinaryDiff {
  before: BinarySummary;
  after: BinarySummary;
  modules: ChangeList<BinaryModule>;
  packages: ChangeList<BinaryPackage>;
}

type Report = Pick<BinaryReport, keyof BinarySummary | "modules" | "packages" | "omittedPackages">;

export function diffBinaries(before: Report, after: Report, limit = DEFAULT_LIST_LIMIT): BinaryDiff {
  const modules = classifyPairs(
    pairByName(before.modules, after.modules, (m) => m.path),
    { name: (m) => m.path, bytes: (m) => m.bytes, differs: (a, b) => a.version !== b.version },
    limit,
  );
  const packagePairs = pairByName(before.packages, after.packages, (p) => p.path).filter(
    ([old, now]) => !(old === null && mayBeOmitted(before, now)) && !(now === null && mayBeOmitted(after, old)),
  );
  const packages = classifyPairs(
    packagePairs,
    { name: (p) => p.path, bytes: (p) => p.bytes, differs: (a, b) => a.version !== b.version || a.module !== b.module },
    limit,
  );
  return { before: summaryOf(before), after: summaryOf(after), modules, packages };
}

function mayBeOmitted(report: Report, other: BinaryPackage | null): boolean {
  if (other === null || report.omittedPackages.count === 0) return false;
  const smallest = report.packages.reduce((min, p) => Math.min(min, p.bytes), Number.POSITIVE_INFINITY);
  return other.bytes <= smallest;
}

const summaryOf = (report: Report): BinarySummary => ({
  goVersion: report.goVersion,
  mainModule: report.mainModule,
  fileBytes: report.fileBytes,
  textBytes: report.textBytes,
  functionCount: report.functionCount,
});

/** The binary report stored in a variant's analysis JSON, when it has the fields this diff reads. */
export function binaryReportOf(analysis: unknown): Report | null {
  if (typeof analysis !== "object" || analysis === null) return null;
  const binary = (analysis as { binary?: unknown }).binary;
  if (typeof binary !== "object" || binary === null) return null;
  const report = binary as Partial<Report>;
  if (!Array.isArray(report.modules) || !Array.isArray(report.packages) || typeof report.fileBytes !== "number") return null;
  return {
    goVersion: report.goVersion ?? null,
    mainModule: report.mainModule ?? null,
    fileBytes: report.fileBytes,
    textBytes: report.textBytes ?? 0,
    functionCount: report.functionCount ?? 0,
    modules: report.modules,
    packages: report.packages,
    omittedPackages: report.omittedPackages ?? { count: 0, bytes: 0 },
  };
}
