// Pure: the one shape every "what changed" list of the compare view has (layers, files,
// Go modules, packages): things paired before/after, sorted into added, removed, grown,
// shrunk and changed (same size, something else differs: a version, a digest), each list
// largest change first and capped, with the full counts and byte totals beside it.

export interface Change<T> {
  /** What the thing is called on both sides: a path, a module path, an instruction. */
  name: string;
  before: T | null;
  after: T | null;
  /** after − before in bytes (a removed thing's is negative). */
  deltaBytes: number;
}

export type ChangeKind = "added" | "removed" | "grown" | "shrunk" | "changed";
export const CHANGE_KINDS: readonly ChangeKind[] = ["added", "removed", "grown", "shrunk", "changed"];

export type ChangeList<T> = Record<ChangeKind, Change<T>[]> & {
  /** How many of each there are, the lists being capped; `unchanged` pairs are not listed. */
  counts: Record<ChangeKind | "unchanged", number>;
  /** Σ deltaBytes of each kind, over all of them, not only the listed ones. */
  bytes: Record<ChangeKind, number>;
};

export interface Measure<T> {
  name: (item: T) => string;
  bytes: (item: T) => number;
  /** Whether two same-sized items still differ (a version, a digest). */
  differs?: (before: T, after: T) => boolean;
}

export const DEFAULT_LIST_LIMIT = 50;

/** Pairs items by name: a name on one side only pairs with null. */
export function pairByName<T>(before: readonly T[], after: readonly T[], name: (item: T) => string): Array<[T | null, T | null]> {
  const left = new Map<string, T>();
  for (const item of before) left.set(name(item), item);
  const pairs: Array<[T | null, T | null]> = [];
  for (const item of after) {
    const key = name(item);
    pairs.push([left.get(key) ?? null, item]);
    left.delete(key);
  }
  for (const item of left.values()) pairs.push([item, null]);
  return pairs;
}

export function classifyPairs<T>(pairs: ReadonlyArray<readonly [T | null, T | null]>, measure: Measure<T>, limit = DEFAULT_LIST_LIMIT): ChangeList<T> {
  const lists: Record<ChangeKind, Change<T>[]> = { added: [], removed: [], grown: [], shrunk: [], changed: [] };
  let unchanged = 0;
  for (const [before, after] of pairs) {
    const item = after ?? before;
    if (item === null) continue;
    const beforeBytes = before === null ? 0 : measure.bytes(before);
    const afterBytes = after === null ? 0 : measure.bytes(after);
    const change: Change<T> = { name: measure.name(item), before, after, deltaBytes: afterBytes - beforeBytes };
    const kind = kindOf(before, after, change.deltaBytes, measure);
    if (kind) lists[kind].push(change);
    else unchanged++;
  }
  const counts = { unchanged } as ChangeList<T>["counts"];
  const bytes = {} as ChangeList<T>["bytes"];
  for (const kind of CHANGE_KINDS) {
    counts[kind] = lists[kind].length;
    bytes[kind] = lists[kind].reduce((total, change) => total + change.deltaBytes, 0);
    lists[kind] = lists[kind].sort(largestChangeFirst).slice(0, limit);
  }
  return { ...lists, counts, bytes };
}

function kindOf<T>(before: T | null, after: T | null, delta: number, measure: Measure<T>): ChangeKind | null {
  if (before === null) return "added";
  if (after === null) return "removed";
  if (delta > 0) return "grown";
  if (delta < 0) return "shrunk";
  return measure.differs?.(before, after) ? "changed" : null;
}

const largestChangeFirst = <T>(a: Change<T>, b: Change<T>): number =>
  Math.abs(b.deltaBytes) - Math.abs(a.deltaBytes) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Whether anything at all changed. */
export const hasChanges = (list: ChangeList<unknown>): boolean => CHANGE_KINDS.some((kind) => list.counts[kind] > 0);
