// The kept answers: a bounded map, least recently used out first, and at most one
// render of the same key at a time (concurrent misses wait for the first one).

export interface KeptResponse {
  status: number;
  headers: Array<[string, string]>;
  body: ArrayBuffer;
  storedAt: number;
  /** The database's data version when the answer was rendered (home page only). */
  dataVersion: number;
}

export class ResponseStore {
  private readonly entries = new Map<string, KeptResponse>();
  private readonly pending = new Map<string, Promise<unknown>>();

  constructor(private readonly maxEntries: number) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: string): KeptResponse | undefined {
    const entry = this.entries.get(key);
    if (entry) {
      // Most recently used last.
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry;
  }

  set(key: string, entry: KeptResponse): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  /** Runs `render` once per key at a time; callers that arrive meanwhile share its result. */
  once<T>(key: string, render: () => Promise<T>): Promise<T> {
    const running = this.pending.get(key) as Promise<T> | undefined;
    if (running) return running;
    const started = render().finally(() => this.pending.delete(key));
    this.pending.set(key, started);
    return started;
  }
}
