// The queue, kept in the database: queued comparisons are rows, and the runner claims
// them one by one (a conditional update, so two workers never take the same row) and
// runs at most `concurrency` at a time. Rows a crash left "running" are queued again
// once, then failed as INTERRUPTED, so none is stuck and none is lost. While the engine
// is unavailable nothing is claimed: submissions wait, and say why.
import type { Db } from "@/lib/db";
import { formatSeconds } from "@/lib/format";

export interface RunnerOptions {
  db: Db;
  concurrency: number;
  run: (id: string, signal: AbortSignal) => Promise<void>;
  /** A comparison still running after this long is stopped (a TimeLimitError). */
  timeLimitMs?: number;
  /** Null when comparisons can run now, else the reason they wait (engine down...). */
  ready?: () => Promise<string | null>;
  /** How often the queue is looked at without a wake-up. */
  pollMs?: number;
  onError?: (error: unknown) => void;
}

export interface Runner {
  start(): Promise<void>;
  /** Looks at the queue now (after a submission). */
  wake(): void;
  /** Stops a running comparison; false when this runner is not running it. */
  cancel(id: string): boolean;
  stop(): void;
  /** Resolves when nothing is running and nothing is queued. For tests. */
  idle(): Promise<void>;
}

export const MAX_ATTEMPTS = 2;

export function createRunner(options: RunnerOptions): Runner {
  const { db, concurrency, run } = options;
  const onError = options.onError ?? ((error) => console.error("[slimstage] runner:", error));
  let active = 0;
  let stopped = false;
  let pumping = false;
  let pumpAgain = false;
  let timer: NodeJS.Timeout | undefined;
  let idleWaiters: Array<() => void> = [];
  const running = new Map<string, AbortController>();
  let waitingReason: string | null = null;

  async function claimNext(): Promise<string | null> {
    for (;;) {
      const next = await db.comparison.findFirst({
        where: { status: "queued" },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        select: { id: true },
      });
      if (!next) return null;
      const claimed = await db.comparison.updateMany({
        where: { id: next.id, status: "queued" },
        data: { status: "running", startedAt: new Date(), attempts: { increment: 1 } },
      });
      if (claimed.count === 1) return next.id;
    }
  }

  async function pump(): Promise<void> {
    if (pumping) {
      pumpAgain = true;
      return;
    }
    pumping = true;
    try {
      do {
        pumpAgain = false;
        while (!stopped && active < concurrency) {
          if (!(await engineReady())) break;
          const id = await claimNext();
          if (!id) break;
          active++;
          const controller = new AbortController();
          running.set(id, controller);
          const limit = options.timeLimitMs
            ? setTimeout(() => controller.abort(new TimeLimitError(options.timeLimitMs!)), options.timeLimitMs)
            : undefined;
          run(id, controller.signal)
            .catch(onError)
            .finally(() => {
              clearTimeout(limit);
              running.delete(id);
              active--;
              void pump();
            });
        }
      } while (pumpAgain && !stopped);
    } catch (error) {
      onError(error);
    } finally {
      pumping = false;
    }
    if (active === 0) await notifyIfIdle();
  }

  // Queued rows show why they wait; the message goes away when the engine is back.
  async function engineReady(): Promise<boolean> {
    const reason = options.ready ? await options.ready() : null;
    if (reason) {
      const phase = `waiting for the Docker Engine: ${reason}`;
      await db.comparison.updateMany({
        where: { status: "queued", OR: [{ phase: null }, { phase: { not: phase } }] },
        data: { phase },
      });
    } else if (waitingReason) {
      await db.comparison.updateMany({ where: { status: "queued" }, data: { phase: null } });
    }
    waitingReason = reason;
    return reason === null;
  }

  async function notifyIfIdle() {
    if (idleWaiters.length === 0) return;
    const queued = await db.comparison.count({ where: { status: { in: ["queued", "running"] } } });
    if (queued === 0 && active === 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      waiters.forEach((resolve) => resolve());
    }
  }

  async function recover(): Promise<void> {
    const interrupted = await db.comparison.findMany({ where: { status: "running" }, select: { id: true, attempts: true } });
    for (const row of interrupted) {
      if (row.attempts < MAX_ATTEMPTS) {
        await db.comparison.update({ where: { id: row.id }, data: { status: "queued", phase: "queued again after a restart" } });
      } else {
        await db.comparison.update({
          where: { id: row.id },
          data: {
            status: "failed",
            phase: null,
            finishedAt: new Date(),
            errorCode: "INTERRUPTED",
            errorMessage: "The server stopped during this comparison twice; submit it again to retry.",
          },
        });
      }
    }
  }

  return {
    async start() {
      await recover();
      void pump();
      timer = setInterval(() => void pump(), options.pollMs ?? 5000);
      timer.unref();
    },
    wake() {
      void pump();
    },
    cancel(id: string) {
      const controller = running.get(id);
      controller?.abort(new CancelledError());
      return controller !== undefined;
    },
    stop() {
      stopped = true;
      clearInterval(timer);
    },
    idle() {
      return new Promise((resolve) => {
        idleWaiters.push(resolve);
        void pump();
      });
    },
  };
}

export class CancelledError extends Error {
  constructor() {
    super("The comparison was canceled.");
    this.name = "CancelledError";
  }
}

export class TimeLimitError extends Error {
  constructor(readonly limitMs: number) {
    super(`The comparison took longer than ${formatSeconds(limitMs / 1000)} and was stopped.`);
    this.name = "TimeLimitError";
  }
}
