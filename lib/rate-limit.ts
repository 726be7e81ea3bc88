// A simple fixed-window limit on submissions per client, kept in memory: enough to stop
// one client from filling the queue, and reset by a restart (the queue itself is durable).

export interface RateLimiter {
  /** Counts one request for the key; says whether it is allowed and when to retry. */
  take(key: string): { ok: true } | { ok: false; retryAfterSeconds: number };
}

export function createRateLimiter(options: { limit: number; windowMs: number; now?: () => number }): RateLimiter {
  const now = options.now ?? Date.now;
  const windows = new Map<string, { start: number; count: number }>();
  return {
    take(key) {
      const time = now();
      let window = windows.get(key);
      if (!window || time - window.start >= options.windowMs) {
        window = { start: time, count: 0 };
        windows.set(key, window);
        if (windows.size > 10_000) for (const [k, w] of windows) if (time - w.start >= options.windowMs) windows.delete(k);
      }
      if (window.count >= options.limit) {
        return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((window.start + options.windowMs - time) / 1000)) };
      }
      window.count++;
      return { ok: true };
    },
  };
}

