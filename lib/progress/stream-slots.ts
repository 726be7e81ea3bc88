// Live-progress connections per client, in one web process: a client may hold a few
// (a page per comparison it watches), not hundreds. Each connection takes a slot and
// gives it back when it ends.
export interface StreamSlots {
  /** A release function, or null when the client already holds its share. */
  take(clientKey: string): (() => void) | null;
  count(clientKey: string): number;
}

export function createStreamSlots(perClient: number): StreamSlots {
  const open = new Map<string, number>();
  return {
    take(clientKey) {
      const now = open.get(clientKey) ?? 0;
      if (now >= perClient) return null;
      open.set(clientKey, now + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const left = (open.get(clientKey) ?? 1) - 1;
        if (left <= 0) open.delete(clientKey);
        else open.set(clientKey, left);
      };
    },
    count(clientKey) {
      return open.get(clientKey) ?? 0;
    },
  };
}
