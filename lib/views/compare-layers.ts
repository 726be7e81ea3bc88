// Pure: which layers of one variant's image changed between two comparisons. A layer is
// the same layer when its digest is (a base layer, a cached step); otherwise a layer made
// by the same instruction is that step again, with other content (grown, shrunk, or the
// same size with another digest) — the classic builder's history names a COPY by its
// content ("COPY file:<sha256> in /app"), so that hash is left out of the comparison;
// then a layer whose step starts alike ("RUN go build" with other flags) is that step
// changed; what is left was added or removed. Each pass pairs in layer order, so a step
// that appears twice pairs first with first.
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

/** An instruction with its spacing normalised and content hashes elided: "COPY file:… in /app". */
export const normalizeInstruction = (text: string): string =>
  text.trim().replace(/\s+/g, " ").replace(/\b(file|dir|multi):[0-9a-f]{64}\b/g, "$1:…");

/**
 * The step's first three words ("RUN go build"): the same step when its flags changed. A
 * COPY named by its content has no such step ("COPY file:… in" would match any other).
 */
export function stepOf(instruction: string): string {
  const text = normalizeInstruction(instruction);
  return text.includes(":…") ? text : text.split(" ").slice(0, 3).join(" ");
}

export function pairLayers(before: readonly CompareLayer[], after: readonly CompareLayer[]): Array<[CompareLayer | null, CompareLayer | null]> {
  const pairs: Array<[CompareLayer | null, CompareLayer | null]> = [];
  const leftBefore = new Set(before);
  let leftAfter: CompareLayer[] = [...after];
  const pass = (same: (old: CompareLayer, now: CompareLayer) => boolean) => {
    leftAfter = leftAfter.filter((layer) => {
      const match = before.find((old) => leftBefore.has(old) && same(old, layer));
      if (!match) return true;
      leftBefore.delete(match);
      pairs.push([match, layer]);
      return false;
    });
  };
  pass((old, now) => now.digest !== null && old.digest === now.digest);
  pass((old, now) => normalizeInstruction(old.instruction) === normalizeInstruction(now.instruction));
  pass((old, now) => stepOf(old.instruction) === stepOf(now.instruction));
  for (const layer of leftAfter) pairs.push([null, layer]);
  for (const layer of before) if (leftBefore.has(layer)) pairs.push([layer, null]);
  // In the newer image's layer order, removed layers last.
  const position = new Map(after.map((layer, index) => [layer, index]));
  return pairs.sort(([, a], [, b]) => (a ? position.get(a)! : after.length) - (b ? position.get(b)! : after.length));
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
