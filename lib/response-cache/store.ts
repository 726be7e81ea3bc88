// The kept answers: a map bounded in entries and in bytes, least recently used out
// first, and at most one render of the same key at a time (concurrent misses wait for
// the first one).

export interface KeptResponse {
  status: number;
  headers: Array<[string, string]>;
  body: ArrayBuffer;
  storedAt: number;
  /** The change counter's version when the answer was rendered (home page only). */
  dataVersion: number;
}

export class ResponseStore {
  private readonly entries = new Map<string, KeptResponse>();
  private readonly pending = new Map<string, Promise<unknown>>();
  private bytes = 0;

  /** An answer bigger than maxEntryBytes (a page with long build logs) is not kept. */
  constructor(
    private readonly maxEntries: number,
    private readonly maxBytes = 64 * 1024 * 1024,
    private readonly maxEntryBytes = maxBytes / 16,
  ) {}

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
    this.delete(key);
    if (entry.body.byteLength > this.maxEntryBytes) return;
    this.entries.set(key, entry);
    this.bytes += entry.body.byteLength;
    while (this.entries.size > this.maxEntries || this.bytes > this.maxBytes) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.delete(oldest);
    }
  }

  delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= entry.body.byteLength;
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
