// Pure: why an image is the size it is, from what the measurement already read — the
// file listing of every layer (bottom first) and the files captured on the way (the Go
// binary of the app's layers). What a variant stores in its `analysis` column:
// - `tree`: the filesystem a container sees, as a pruned directory tree with sizes;
// - `efficiency`: dive's figures (bytes a later layer overwrites or deletes);
// - `buildOnly`: what a single-stage image carries for the build only (toolchain, caches);
// - `binary`: the Go binary's sections, packages and modules (lib/binary).
import { analyzeGoBinary, isElf, type BinaryReport } from "@/lib/binary/analyze-binary";
import { efficiencyOf, type Efficiency } from "./efficiency";
import { mergeLayers, pruneTree, summarizeBuildOnly, type BuildOnlySummary, type FileTreeNode } from "./file-tree";
import { GO_BUILDINFO_MAGIC } from "@/lib/binary/buildinfo";
import type { CapturedFile, CaptureFile, LayerEntry, LayerFiles } from "./layer-files";

export interface VariantAnalysis {
  tree: FileTreeNode;
  efficiency: Efficiency;
  buildOnly: BuildOnlySummary;
  binary: (BinaryReport & { path: string }) | null;
  /** How long this analysis took, for the bench. */
  analysisMs: number;
}

export interface AnalysedLayer {
  files: LayerFiles | null;
  captured: CapturedFile[] | null;
  fromBase: boolean;
}

/**
 * The Go binary is an executable ELF file outside the Go toolchain's own folders (the
 * single-stage image's base layers hold hundreds of those) that holds Go's build
 * information: the other executables are let go as soon as they are read.
 */
export const captureGoBinary: CaptureFile = Object.assign(
  (entry: LayerEntry, head: Buffer) =>
    entry.type === "file" && (entry.mode & 0o111) !== 0 && isElf(head) && !/^(usr\/(lib\/go-|local\/go\/|share\/go-)|root\/\.cache\/)/.test(entry.path),
  { holding: GO_BUILDINFO_MAGIC },
);

export function analyzeImage(layers: AnalysedLayer[], known: BinaryReport & { path: string } | null = null): VariantAnalysis {
  const started = performance.now();
  const files = layers.map((layer) => layer.files);
  const full = mergeLayers(files);
  const analysis = {
    tree: pruneTree(full),
    efficiency: efficiencyOf(files),
    buildOnly: summarizeBuildOnly(full),
    binary: findBinary(layers) ?? known,
  };
  return { ...analysis, analysisMs: Math.round(performance.now() - started) };
}

// The largest Go binary captured in the app's layers; the top layer's copy wins.
function findBinary(layers: AnalysedLayer[]): (BinaryReport & { path: string }) | null {
  let best: (BinaryReport & { path: string }) | null = null;
  for (const layer of layers) {
    if (layer.fromBase) continue;
    for (const file of layer.captured ?? []) {
      const report = analyzeGoBinary(file.bytes);
      if (report && (!best || report.fileBytes >= best.fileBytes)) best = { ...report, path: `/${file.path}` };
    }
  }
  return best;
}
