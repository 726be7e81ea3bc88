// The shape of scripts/testing/*-engine.ts: start something as root, print how to reach
// it, keep it until Ctrl-C (or SIGTERM), then remove it; a failure is one line, exit 1.
import { isRoot } from "@/lib/testing/daemon";

export interface Started {
  /** What the user sets to use it, e.g. "DOCKER_HOST=…". */
  settings: string;
  /** Said on standard error while it runs. */
  running: string;
  dispose(): Promise<void>;
}

export function runUntilStopped(whyRoot: string, start: () => Promise<Started>): void {
  const main = async () => {
    if (!isRoot()) throw new Error(`needs root (${whyRoot})`);
    const started = await start();
    console.log(started.settings);
    console.error(`[slimstage] ${started.running}; Ctrl-C stops it`);
    let stopping = false;
    const stop = async () => {
      if (stopping) return;
      stopping = true;
      await started.dispose();
      process.exit(0);
    };
    process.on("SIGINT", () => void stop());
    process.on("SIGTERM", () => void stop());
  };
  main().catch((error: unknown) => {
    console.error(`[slimstage] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
