// Pure: which layers of one variant's image changed between two comparisons. A layer is
// the same layer when its digest is (a base layer, a cached step); otherwise a layer made
// by the same instruction is that step again, with other content (grown, shrunk, or the
// same size with another digest); what is left was added or removed. Pairing runs in
// layer order, so a step that appears twice pairs first with first.
import { classifyPairs, DEFAULT_LIST_LIMIT, type ChangeList } from "@/lib/views/compare-lists";

export interface CompareLayer {
  index: number;
  instruction: string;
  sizeBytes: number;
  compressedBytes: number | null;
  fromBase: boolean;
  /** The compressed digest, or null when the measurement did not learn it. */
  digest: string | null;
}

/** Instructions match with their spacing normalised: history and Dockerfiles wrap differently. */
export const normalizeInstruction = (text: string): string => text.trim().replace(/\s+/g, " ");

export function pairLayers(before: readonly CompareLayer[], after: readonly CompareLayer[]): Array<[CompareLayer | null, CompareLayer | null]> {
  const pairs: Array<[CompareLayer | null, CompareLayer | null]> = [];
  const leftBefore = new Set(before);
  const leftAfter: CompareLayer[] = [];
  for (const layer of after) {
    const same = layer.digest === null ? undefined : before.find((old) => leftBefore.has(old) && old.digest === layer.digest);
    if (same) {
      pairs.push([same, layer]);
      leftBefore.delete(same);
    } else leftAfter.push(layer);
  }
  for (const layer of leftAfter) {
    const step = normalizeInstruction(layer.instruction);
    const again = before.find((old) => leftBefore.has(old) && normalizeInstruction(old.instruction) === step);
    if (again) leftBefore.delete(again);
    pairs.push([again ?? null, layer]);
  }
  for (const layer of before) if (leftBefore.has(layer)) pairs.push([layer, null]);
  return pairs;
}

export function diffLayers(before: readonly CompareLayer[], after: readonly CompareLayer[], limit = DEFAULT_LIST_LIMIT): ChangeList<CompareLayer> {
  return classifyPairs(
    pairLayers(before, after),
    {
      name: (layer) => normalizeInstruction(layer.instruction),
      bytes: (layer) => layer.sizeBytes,
      differs: (a, b) => (a.digest !== null && b.digest !== null && a.digest !== b.digest) || a.compressedBytes !== b.compressedBytes,
    },
    limit,
  );
}
