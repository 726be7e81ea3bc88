// One reader per comparison, however many people watch it. Every live-progress
// connection asks for a snapshot every half second; the hub answers all of them in a
// web process from one database read per comparison at a time (a read in flight is
// shared, a fresh one is reused), and keeps the build logs of finished variants, which
// no longer change, so they are read once. Entries nobody asked for lately are dropped.
import type { Db } from "@/lib/db";
import type { ComparisonSnapshot } from "@/lib/progress/events";
import { snapshotReader, type SnapshotReader } from "@/lib/progress/event-stream";

export interface SnapshotHub {
  /** The reader the event stream of comparison `id` polls. */
  reader(id: string): SnapshotReader;
  /** Comparisons with an entry now (for tests and the bench). */
  size(): number;
}

interface Entry {
  read: SnapshotReader;
  pending: Promise<ComparisonSnapshot | null> | null;
  latest: ComparisonSnapshot | null;
  at: number;
  usedAt: number;
  /** Logs of finished variants, by variant row. */
  settledLogs: Map<number, string>;
}

const FINISHED = new Set(["built", "failed", "skipped"]);

export function createSnapshotHub(db: Db, options: { maxAgeMs?: number; idleMs?: number; now?: () => number } = {}): SnapshotHub {
  return createHub((id) => snapshotReader(db, id), options);
}

export function createHub(readerFor: (id: string) => SnapshotReader, options: { maxAgeMs?: number; idleMs?: number; now?: () => number } = {}): SnapshotHub {
  const maxAgeMs = options.maxAgeMs ?? 250;
  const idleMs = options.idleMs ?? 30_000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();

  function sweep(time: number) {
    for (const [id, entry] of entries) if (time - entry.usedAt > idleMs && !entry.pending) entries.delete(id);
  }

  function refresh(entry: Entry): Promise<ComparisonSnapshot | null> {
    entry.pending = entry
      .read((row) => !entry.settledLogs.has(row))
      .then((snapshot) => {
        if (snapshot) {
          for (const variant of snapshot.variants) {
            const kept = entry.settledLogs.get(variant.row);
            if (kept !== undefined) variant.buildLog = kept;
            else if (variant.buildLog !== null && FINISHED.has(variant.status)) entry.settledLogs.set(variant.row, variant.buildLog);
          }
        }
        entry.latest = snapshot;
        entry.at = now();
        return snapshot;
      })
      .finally(() => {
        entry.pending = null;
      });
    return entry.pending;
  }

  return {
    reader(id) {
      return async () => {
        const time = now();
        sweep(time);
        let entry = entries.get(id);
        if (!entry) {
          entry = { read: readerFor(id), pending: null, latest: null, at: Number.NEGATIVE_INFINITY, usedAt: time, settledLogs: new Map() };
          entries.set(id, entry);
        }
        entry.usedAt = time;
        if (entry.pending) return entry.pending;
        if (time - entry.at < maxAgeMs) return entry.latest;
        return refresh(entry);
      };
    },
    size: () => entries.size,
  };
}
