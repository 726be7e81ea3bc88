// Pure: the leads that need the user's code — the heaviest modules and packages in the
// binary (from the binary breakdown of lib/binary), ranked by the bytes they account for,
// each with the chain of imports that pulls it in from the main package (from `go list
// -deps`, when the runner could read it), so the user knows where to cut. Not proven:
// nothing is built without them.
import type { VariantAnalysisView } from "@/lib/comparisons/types";

export interface Lead {
  key: string;
  title: string;
  why: string;
  bytes: number;
  /** main → … → the package, or null when the import graph is not known. */
  importPath: string[] | null;
}

/** `go list -deps -f '{{.ImportPath}}{{range .Imports}} {{.}}{{end}}'`: one package per line, then what it imports. */
export function parseImportGraph(text: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const line of text.split("\n")) {
    const [pkg, ...imports] = line.trim().split(/\s+/);
    if (pkg) graph.set(pkg, imports);
  }
  return graph;
}

/** The shortest import chain from `main` to `target` (or to any package of a module, for a module path). */
export function importChain(graph: Map<string, string[]>, main: string, target: (pkg: string) => boolean): string[] | null {
  const previous = new Map<string, string | null>([[main, null]]);
  const queue = [main];
  while (queue.length) {
    const pkg = queue.shift()!;
    if (pkg !== main && target(pkg)) {
      const chain = [pkg];
      for (let at = previous.get(pkg); at; at = previous.get(at)) chain.unshift(at);
      return chain;
    }
    for (const next of graph.get(pkg) ?? []) {
      if (!previous.has(next)) {
        previous.set(next, pkg);
        queue.push(next);
      }
    }
  }
  return null;
}

const inModule = (module: string) => (pkg: string) => pkg === module || pkg.startsWith(`${module}/`);

/**
 * Leads from the single-stage binary's breakdown: third-party modules first (those a user
 * chose), then the heaviest standard-library packages their own code imports. At most `limit`.
 */
export function findLeads(binary: VariantAnalysisView["binary"], graph: Map<string, string[]> | null, limit = 6): Lead[] {
  if (!binary) return [];
  const main = binary.mainPackagePath ?? binary.packages.find((p) => p.group === "main")?.path ?? "main";
  const total = binary.fileBytes || 1;
  const share = (bytes: number) => `${((bytes / total) * 100).toFixed(1)}% of the binary`;
  const chainTo = (target: (pkg: string) => boolean) => (graph ? importChain(graph, main, target) : null);
  const modules = binary.modules
    .filter((m) => m.group === "dependency")
    .sort((a, b) => b.bytes - a.bytes)
    .map(
      (m): Lead => ({
        key: `lead-module:${m.path}`,
        title: `Module ${m.path} ${m.version}`.trim(),
        why: `${m.packages} package${m.packages === 1 ? "" : "s"} of it in the binary: ${share(m.bytes)}.`,
        bytes: m.bytes,
        importPath: chainTo(inModule(m.path)),
      }),
    );
  // Standard-library packages the program's own code imports directly carry the most weight a user can choose.
  const direct = new Set(graph ? [...(graph.get(main) ?? [])] : []);
  const std = binary.packages
    .filter((p) => p.group === "std" && (direct.size === 0 || direct.has(p.path)) && !RUNTIME.has(p.path) && !/(^|\/)(internal|vendor)(\/|$)/.test(p.path))
    .sort((a, b) => b.bytes - a.bytes)
    .map(
      (p): Lead => ({
        key: `lead-package:${p.path}`,
        title: `Package ${p.path}`,
        why: `${share(p.bytes)}; each import also brings what it imports.`,
        bytes: p.bytes,
        importPath: chainTo((pkg) => pkg === p.path),
      }),
    );
  return [...modules, ...std].slice(0, limit);
}

// Every Go program has these; no import of the user's brings them in.
const RUNTIME = new Set(["runtime", "internal/abi", "internal/bytealg", "internal/cpu", "internal/runtime/atomic", "internal/runtime/sys", "reflect", "sync", "syscall", "unsafe", "internal/godebug"]);
