// Owns two questions about a Go function symbol: which package is it in, and where does
// that package come from (the standard library, the main module, which dependency module).
//
// Symbol names (as the linker writes them into .gopclntab): "net/http.(*Client).Do",
// "main.main", "github.com/a/b.Func.func1" (a closure), "pkg.F[...]" (a generic
// instantiation: anything in brackets may hold dots and slashes of other packages),
// "gopkg.in/yaml%2ev3.Marshal" (the linker escapes dots and a few other bytes in the
// last path element as %xx), and compiler-made names with no package: "type:.eq.[2]int",
// "go:buildid" (Go 1.18-1.19 spelt these "type." and "go."). The rule is debug/gosym's
// Sym.PackageName: drop the brackets, then the package is everything up to the first "."
// after the last "/".
import type { GoBuildInfo } from "@/lib/binary/buildinfo";

export type PackageGroup = "std" | "main" | "dependency" | "other";

export interface PackageOrigin {
  group: PackageGroup;
  /** The module the package is in (for "main" and "dependency" when the binary says). */
  module?: string;
  version?: string;
}

const NO_PACKAGE_PREFIXES = ["go:", "type:", "go.", "type."];

function withoutInstantiation(name: string): string {
  const open = name.indexOf("[");
  if (open < 0) return name;
  const close = name.lastIndexOf("]");
  return close < open ? name : name.slice(0, open) + name.slice(close + 1);
}

function unescapePath(p: string): string {
  return p.includes("%") ? p.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))) : p;
}

/** The import path of the package a symbol belongs to, or "" when it has none. */
export function symbolPackage(symbol: string): string {
  const name = withoutInstantiation(symbol);
  if (NO_PACKAGE_PREFIXES.some((p) => name.startsWith(p))) return "";
  const pathEnd = Math.max(name.lastIndexOf("/"), 0);
  const dot = name.indexOf(".", pathEnd);
  return dot <= 0 ? "" : unescapePath(name.slice(0, dot));
}

function withinModule(pkg: string, module: string): boolean {
  return module !== "" && (pkg === module || pkg.startsWith(`${module}/`));
}

/** The modules a binary was built from, in the shape the classifier wants. */
export type ModuleSet = Pick<GoBuildInfo, "mainModule" | "deps">;

/**
 * Where a package comes from. The main package is always "main" in symbol names; other
 * packages go to the module with the longest path prefix (a module may nest inside
 * another's path); a package in no module whose first path element has no dot is the
 * standard library's (including its vendored "vendor/golang.org/x/..." packages).
 */
export function classifyPackage(pkg: string, modules: ModuleSet | null): PackageOrigin {
  if (pkg === "") return { group: "other" };
  const main = modules?.mainModule;
  if (pkg === "main") return main && main.path ? { group: "main", module: main.path, version: main.version } : { group: "main" };
  let best: PackageOrigin | null = null;
  let bestLength = -1;
  if (main && withinModule(pkg, main.path)) {
    best = { group: "main", module: main.path, version: main.version };
    bestLength = main.path.length;
  }
  for (const dep of modules?.deps ?? []) {
    if (dep.path.length > bestLength && withinModule(pkg, dep.path)) {
      best = { group: "dependency", module: dep.path, version: dep.replace?.version || dep.version };
      bestLength = dep.path.length;
    }
  }
  if (best) return best;
  const first = pkg.split("/")[0];
  // A dotted path in no listed module: third-party code from a build without module info.
  return first.includes(".") ? { group: "dependency" } : { group: "std" };
}
