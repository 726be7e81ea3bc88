// Samples this process's resident set size at a fixed interval and keeps the peak.
export class RssSampler {
  private peakBytes = process.memoryUsage.rss();
  private readonly timer: NodeJS.Timeout;

  constructor(intervalMs: number) {
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  sample(): void {
    this.peakBytes = Math.max(this.peakBytes, process.memoryUsage.rss());
  }

  /** Stops sampling; the peak seen, in bytes. */
  stop(): number {
    this.sample();
    clearInterval(this.timer);
    return this.peakBytes;
  }
}
