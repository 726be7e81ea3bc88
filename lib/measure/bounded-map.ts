// A map that forgets its oldest values once their total weight passes a limit: the size
// registry's memory of recent listings and captured files.
/** A map that forgets its oldest values past a total weight; reading a value makes it newest. */
export class BoundedMap<T> {
  private readonly values = new Map<string, { value: T; weight: number }>();
  private total = 0;
  constructor(private readonly maxWeight: number, private readonly weigh: (value: T) => number) {}

  get(key: string): T | undefined {
    const kept = this.values.get(key);
    if (!kept) return undefined;
    this.values.delete(key);
    this.values.set(key, kept);
    return kept.value;
  }

  take(key: string): T | undefined {
    const kept = this.values.get(key);
    if (kept) this.delete(key);
    return kept?.value;
  }

  set(key: string, value: T): void {
    this.delete(key);
    const weight = this.weigh(value);
    this.values.set(key, { value, weight });
    this.total += weight;
    for (const [oldest, kept] of this.values) {
      if (this.total <= this.maxWeight || oldest === key) break;
      this.delete(oldest);
    }
  }

  private delete(key: string): void {
    const kept = this.values.get(key);
    if (!kept) return;
    this.values.delete(key);
    this.total -= kept.weight;
  }
}
