// What every part of the benchmark is handed by scripts/bench.ts (the bench's composition
// root): the one Config, the rows and facts it prints, a log on stderr, and the cleanup
// steps that run at the end whatever happened.
import type { Config } from "@/lib/config";
import type { Row } from "./report";
import { seconds } from "./report";

export interface BenchContext {
  config: Config;
  /** What this run's comparison IDs, image labels and build arguments start with ("bench-…"). */
  stamp: string;
  rows: Row[];
  /** Lines printed above the table: the machine, the software. */
  facts: string[];
  log(message: string): void;
  cleanup: Cleanup;
}

const started = performance.now();

export function benchLog(message: string): void {
  process.stderr.write(`[bench ${seconds((performance.now() - started) / 1000).padStart(7)}] ${message}\n`);
}

export const elapsedSeconds = (): number => (performance.now() - started) / 1000;

/** Cleanup steps, run newest first, each whatever the others do. */
export class Cleanup {
  private steps: Array<{ what: string; run: () => Promise<unknown> }> = [];
  private running: Promise<void> | null = null;

  add(what: string, run: () => Promise<unknown>): void {
    this.steps.push({ what, run });
  }

  /** Runs the steps added since `mark` (newest first) and forgets them. */
  async runSince(mark: number): Promise<void> {
    const steps = this.steps.splice(mark);
    for (const step of steps.reverse()) await this.runStep(step);
  }

  mark(): number {
    return this.steps.length;
  }

  run(): Promise<void> {
    this.running ??= (async () => {
      const steps = this.steps.splice(0);
      for (const step of steps.reverse()) await this.runStep(step);
    })();
    return this.running;
  }

  private async runStep(step: { what: string; run: () => Promise<unknown> }): Promise<void> {
    try {
      await step.run();
    } catch (error) {
      benchLog(`cleanup of ${step.what} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/** Runs `work` and what it added to the cleanup, in that order (a part that tidies up after itself). */
export async function scoped<T>(cleanup: Cleanup, work: () => Promise<T>): Promise<T> {
  const mark = cleanup.mark();
  try {
    return await work();
  } finally {
    await cleanup.runSince(mark);
  }
}

export async function timed<T>(work: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  const begun = performance.now();
  const value = await work();
  return { seconds: (performance.now() - begun) / 1000, value };
}
