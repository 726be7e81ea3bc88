// Owns "what is inside this Go binary" (go-size-analyzer's view): a file's bytes in, a
// small report out, sized to be stored in a database row beside the layer it came from.
//
// BinaryReport (JSON):
//   goVersion        "go1.23.4", or null when the binary carries no build info
//   mainPackagePath  the main package's import path, or null
//   mainModule       { path, version } ("(devel)" for a local build), or null
//   fileBytes        the whole file
//   sections         [{ name, bytes }] every section that takes file bytes, largest first
//   textBytes        .text, the machine code the functions below share
//   attributedBytes  the sum of every function's bytes (= packages' bytes + omittedPackages.bytes)
//   functionCount    functions in .gopclntab
//   packages         [{ path, group, module?, version?, bytes, functions }] largest first;
//                    group "std" | "main" | "dependency" | "other"; the main package is
//                    "main"; functions with no package (type:.eq.*, go:buildid, ...) are
//                    one entry with path OTHER_PACKAGE and group "other"
//   omittedPackages  { count, bytes } past the first MAX_PACKAGES (none for most programs)
//   modules          [{ path, version, group, bytes, packages }] largest first; the standard
//                    library is one entry with path "std" and version goVersion, compiler-made
//                    code one with path OTHER_PACKAGE; `packages` counts them
//   largestSymbols   [{ name, package, bytes }] the LARGEST_SYMBOLS biggest functions
//
// A function's bytes are its own code (pclntab.ts' codeSize, what `go tool nm -size`
// says), so alignment padding between functions is in textBytes but in no package. All of
// it comes from .gopclntab and .go.buildinfo, which `-ldflags="-s -w"` keeps.
import { parseBuildInfo, type GoBuildInfo } from "@/lib/binary/buildinfo";
import { findSection, parseElf, sectionBytes, SHT_NOBITS } from "@/lib/binary/elf";
import { classifyPackage, symbolPackage, type PackageGroup } from "@/lib/binary/packages";
import { parsePclntab, type GoFunction } from "@/lib/binary/pclntab";

export { isElf } from "@/lib/binary/elf";

export const OTHER_PACKAGE = "(generated)";
export const STD_MODULE = "std";
export const MAX_PACKAGES = 400;
export const LARGEST_SYMBOLS = 30;

export interface BinaryPackage {
  path: string;
  group: PackageGroup;
  module?: string;
  version?: string;
  bytes: number;
  functions: number;
}

export interface BinaryModule {
  path: string;
  version: string;
  group: PackageGroup;
  bytes: number;
  packages: number;
}

export interface BinaryReport {
  goVersion: string | null;
  mainPackagePath: string | null;
  mainModule: { path: string; version: string } | null;
  fileBytes: number;
  sections: { name: string; bytes: number }[];
  textBytes: number;
  attributedBytes: number;
  functionCount: number;
  packages: BinaryPackage[];
  omittedPackages: { count: number; bytes: number };
  modules: BinaryModule[];
  largestSymbols: { name: string; package: string; bytes: number }[];
}

const bySizeThenName = <T extends { bytes: number }>(key: (t: T) => string) => (a: T, b: T) =>
  b.bytes - a.bytes || key(a).localeCompare(key(b));

function groupPackages(functions: GoFunction[], info: GoBuildInfo | null): BinaryPackage[] {
  const packages = new Map<string, BinaryPackage>();
  for (const fn of functions) {
    const pkg = symbolPackage(fn.name);
    const path = pkg === "" ? OTHER_PACKAGE : pkg;
    let entry = packages.get(path);
    if (!entry) {
      entry = { path, ...classifyPackage(pkg, info), bytes: 0, functions: 0 };
      packages.set(path, entry);
    }
    entry.bytes += fn.codeSize;
    entry.functions += 1;
  }
  return [...packages.values()].sort(bySizeThenName((p) => p.path));
}

// Every dependency the build information lists is a module of the binary, even one
// whose code the compiler inlined entirely (no function of its own): it shows with 0 bytes.
function groupModules(packages: BinaryPackage[], goVersion: string | null, deps: Array<{ path: string; version: string }>): BinaryModule[] {
  const modules = new Map<string, BinaryModule>();
  for (const dep of deps) modules.set(dep.path, { path: dep.path, version: dep.version, group: "dependency", bytes: 0, packages: 0 });
  for (const p of packages) {
    const path = p.group === "std" ? STD_MODULE : p.group === "other" ? OTHER_PACKAGE : p.module ?? p.path;
    const version = p.group === "std" ? goVersion ?? "" : p.version ?? "";
    const m = modules.get(path) ?? { path, version, group: p.group, bytes: 0, packages: 0 };
    m.bytes += p.bytes;
    m.packages += 1;
    modules.set(path, m);
  }
  return [...modules.values()].sort(bySizeThenName((m) => m.path));
}

/** The report for a Go ELF binary, or null when bytes are not an ELF file built by Go. */
export function analyzeGoBinary(bytes: Buffer): BinaryReport | null {
  const elf = parseElf(bytes);
  if (!elf) return null;
  const read = (name: string) => {
    const s = findSection(elf, name);
    return s ? sectionBytes(bytes, s) : null;
  };
  const buildInfoBytes = read(".go.buildinfo");
  const pclntabBytes = read(".gopclntab");
  if (!buildInfoBytes && !pclntabBytes) return null;
  const info = buildInfoBytes ? parseBuildInfo(buildInfoBytes) : null;
  const pclntab = pclntabBytes ? parsePclntab(pclntabBytes) : null;
  if (!info && !pclntab) return null;

  const functions = pclntab?.functions ?? [];
  const allPackages = groupPackages(functions, info);
  const packages = allPackages.slice(0, MAX_PACKAGES);
  const omitted = allPackages.slice(MAX_PACKAGES);
  const largestSymbols = [...functions]
    .sort((a, b) => b.codeSize - a.codeSize || a.name.localeCompare(b.name))
    .slice(0, LARGEST_SYMBOLS)
    .map((fn) => ({ name: fn.name, package: symbolPackage(fn.name) || OTHER_PACKAGE, bytes: fn.codeSize }));
  const sections = elf.sections
    .filter((s) => s.name !== "" && s.type !== SHT_NOBITS && s.size > 0)
    .map((s) => ({ name: s.name, bytes: s.size }))
    .sort(bySizeThenName((s) => s.name));

  return {
    goVersion: info?.goVersion ?? null,
    mainPackagePath: info?.mainPackagePath || null,
    mainModule: info && info.mainModule.path ? info.mainModule : null,
    fileBytes: bytes.length,
    sections,
    textBytes: findSection(elf, ".text")?.size ?? 0,
    attributedBytes: functions.reduce((sum, fn) => sum + fn.codeSize, 0),
    functionCount: functions.length,
    packages,
    omittedPackages: { count: omitted.length, bytes: omitted.reduce((sum, p) => sum + p.bytes, 0) },
    modules: groupModules(allPackages, info?.goVersion ?? null, info?.deps ?? []),
    largestSymbols,
  };
}
