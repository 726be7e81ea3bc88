// The queue, kept in the database, seen from one worker. Queued comparisons are rows; a
// worker claims one with a lease (its id, an expiry) and renews the lease while it works.
// A worker that dies stops renewing: once the lease has expired any worker queues the
// comparison again (or fails it INTERRUPTED after its second claim), so nothing is
// stuck and nothing is lost, and no worker touches a comparison a live worker holds.
// Cancel is a request written to the row (or the row deleted), seen here within a second.
// What a worker does after a comparison has ended (its advice) keeps the slot, unleased,
// and stops on the same requests. Turns are fair:
// the next comparison is the oldest of the client with the fewest running.
//
// Written here rather than taken from a job-queue library: the well-kept ones serve one
// database each (pg-boss and graphile-worker: PostgreSQL; none also SQLite), and the
// job is a row the pages already read; this module is small and tested on both.
import type { Db, Dialect } from "@/lib/db";
import { formatSeconds } from "@/lib/format";
import { createLogger } from "@/lib/log";
import {
  cancelRequests,
  claimComparison,
  handBack,
  releaseAbandoned,
  renewLease,
  setQueuedPhase,
  type Holder,
} from "./state";

export interface QueueOptions {
  db: Db;
  dialect: Dialect;
  holder: Holder;
  concurrency: number;
  /** Runs a claimed comparison to its end; the signal aborts on cancel, time limit or a lost lease. */
  run: (id: string, signal: AbortSignal) => Promise<void>;
  /**
   * Runs in the same slot once `run` has ended (not after a hand-back): the comparison is
   * finished, so there is no lease to keep and its time limit is over; the signal aborts on
   * a cancel request written to the row (a CancelledError), the row deleted (the same) or a
   * hand-back.
   */
  after?: (id: string, signal: AbortSignal) => Promise<void>;
  leaseMs: number;
  /** A comparison still running after this long is stopped (a TimeLimitError). */
  timeLimitMs?: number;
  /** Null when comparisons can run now, else the reason this worker claims nothing. */
  ready?: () => Promise<string | null>;
  /** How often the queue, cancel requests and expired leases are looked at. */
  pollMs?: number;
  /** This worker's id before a restart: what it held is released at once, not after expiry. */
  previousSelf?: string;
  now?: () => Date;
  onError?: (error: unknown) => void;
}

export interface Queue {
  start(): Promise<void>;
  /** Looks at the queue now. */
  wake(): void;
  /** Stops claiming; running comparisons go on (their leases are renewed until they end). */
  stop(): void;
  /**
   * For a worker that is stopping: aborts what it still runs (a HandBackError: the
   * pipeline writes nothing more) and queues it again at once, its claim not counted, so
   * the next free worker starts it over. Resolves with their ids.
   */
  handBack(): Promise<string[]>;
  /** Comparisons this worker is running now. */
  running(): string[];
  /** Resolves when this worker runs nothing and nothing is queued. For tests. */
  idle(): Promise<void>;
}

export const MAX_ATTEMPTS = 2;
const CANDIDATES = 50;

export function createQueue(options: QueueOptions): Queue {
  const { db, holder, concurrency, run } = options;
  const now = options.now ?? (() => new Date());
  const onError = options.onError ?? ((error) => createLogger({ role: "worker" }).error({ err: error }, "queue"));
  const pollMs = options.pollMs ?? 1000;
  const renewEveryMs = Math.max(250, Math.floor(options.leaseMs / 3));
  const running = new Map<string, { controller: AbortController; renewedAt: number; leased: boolean; ended: Promise<void> }>();
  let stopped = false;
  let ticking = false;
  let tickAgain = false;
  let timer: NodeJS.Timeout | undefined;
  let waiting: string | null = null;
  let idleWaiters: Array<() => void> = [];
  const leaseUntil = () => new Date(now().getTime() + options.leaseMs);

  // Queued comparisons in the order they get their turn (fairOrder).
  async function candidates(): Promise<string[]> {
    const queued = await db.comparison.findMany({
      where: { status: "queued" },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: CANDIDATES,
      select: { id: true, clientKey: true },
    });
    if (queued.length === 0) return [];
    const clientKeys = [...new Set(queued.map((row) => row.clientKey))];
    const [busy, served] = await Promise.all([
      db.comparison.groupBy({ by: ["clientKey"], where: { status: "running", clientKey: { in: clientKeys } }, _count: { _all: true } }),
      db.comparison.groupBy({ by: ["clientKey"], where: { clientKey: { in: clientKeys }, startedAt: { not: null } }, _max: { startedAt: true } }),
    ]);
    const clients = new Map<string, ClientTurns>();
    for (const key of clientKeys) clients.set(key, { running: 0, lastStarted: 0 });
    for (const row of busy) clients.get(row.clientKey)!.running = row._count._all;
    for (const row of served) clients.get(row.clientKey)!.lastStarted = row._max.startedAt?.getTime() ?? 0;
    return fairOrder(queued, clients);
  }

  async function claimMore(): Promise<void> {
    while (!stopped && running.size < concurrency) {
      const id = await claimComparison(db, options.dialect, await candidates(), holder, leaseUntil());
      if (!id) return;
      start(id);
    }
  }

  function start(id: string) {
    const controller = new AbortController();
    const limit = options.timeLimitMs
      ? setTimeout(() => controller.abort(new TimeLimitError(options.timeLimitMs!)), options.timeLimitMs)
      : undefined;
    const job = { controller, renewedAt: Date.now(), leased: true, ended: Promise.resolve() };
    job.ended = run(id, controller.signal)
      .catch(onError)
      .then(() => {
        clearTimeout(limit);
        if (!options.after || controller.signal.reason instanceof HandBackError) return;
        // The comparison has ended, and its lease with it: the slot stays taken until `after` ends.
        job.leased = false;
        job.controller = new AbortController();
        return options.after(id, job.controller.signal);
      })
      .catch(onError)
      .finally(() => {
        clearTimeout(limit);
        running.delete(id);
        void tick();
      });
    running.set(id, job);
  }

  async function keepLeases(): Promise<void> {
    const ids = [...running.keys()];
    for (const id of await cancelRequests(db, ids)) running.get(id)?.controller.abort(new CancelledError());
    for (const [id, job] of running) {
      if (!job.leased || Date.now() - job.renewedAt < renewEveryMs) continue;
      if (await renewLease(db, id, holder.workerId, leaseUntil())) job.renewedAt = Date.now();
      else job.controller.abort(new LeaseLostError());
    }
  }

  async function tick(): Promise<void> {
    if (ticking) {
      tickAgain = true;
      return;
    }
    ticking = true;
    try {
      do {
        tickAgain = false;
        await keepLeases();
        await releaseAbandoned(db, now(), MAX_ATTEMPTS);
        if (!stopped && running.size < concurrency && (await ready())) await claimMore();
      } while (tickAgain && !stopped);
    } catch (error) {
      onError(error);
    } finally {
      ticking = false;
    }
    // Once stopped, the timer lives only as long as leases need renewing.
    if (stopped && running.size === 0) clearInterval(timer);
    if (running.size === 0) await notifyIfIdle();
  }

  // While this worker's engine does not answer it claims nothing; queued rows say why
  // (other workers may take them meanwhile).
  async function ready(): Promise<boolean> {
    const reason = options.ready ? await options.ready() : null;
    if (reason) await setQueuedPhase(db, `waiting for the Docker Engine: ${reason}`);
    else if (waiting) await setQueuedPhase(db, null);
    waiting = reason;
    return reason === null;
  }

  async function notifyIfIdle() {
    if (idleWaiters.length === 0) return;
    const left = await db.comparison.count({ where: { status: { in: ["queued", "running"] } } });
    if (left === 0 && running.size === 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      waiters.forEach((resolve) => resolve());
    }
  }

  return {
    async start() {
      if (options.previousSelf) await releaseAbandoned(db, now(), MAX_ATTEMPTS, options.previousSelf);
      void tick();
      timer = setInterval(() => void tick(), pollMs);
      timer.unref();
    },
    wake() {
      void tick();
    },
    stop() {
      stopped = true;
      if (running.size === 0) clearInterval(timer);
    },
    async handBack() {
      stopped = true;
      const held = [...running.entries()];
      for (const [, job] of held) job.controller.abort(new HandBackError());
      // The pipeline stops at its next step; a build or a run check is stopped with it.
      await Promise.all(held.map(([, job]) => job.ended));
      const ids: string[] = [];
      for (const [id] of held) if (await handBack(db, id, holder.workerId)) ids.push(id);
      clearInterval(timer);
      return ids;
    },
    running() {
      return [...running.keys()];
    },
    idle() {
      return new Promise((resolve) => {
        idleWaiters.push(resolve);
        void tick();
      });
    },
  };
}

export interface ClientTurns {
  /** Comparisons of the client running now. */
  running: number;
  /** When the client's latest comparison started (ms; 0 for never). */
  lastStarted: number;
}

/**
 * Pure: queued comparisons (oldest first) in the order they get their turn. Round-robin:
 * a client's n-th queued comparison waits behind every client's (n-1)-th, counting what
 * it already has running; between equals, the client served longest ago goes first.
 */
export function fairOrder(queued: Array<{ id: string; clientKey: string }>, clients: Map<string, ClientTurns>): string[] {
  const seen = new Map<string, number>();
  const ranked = queued.map((row, position) => {
    const client = clients.get(row.clientKey) ?? { running: 0, lastStarted: 0 };
    const turn = client.running + (seen.get(row.clientKey) ?? 0);
    seen.set(row.clientKey, (seen.get(row.clientKey) ?? 0) + 1);
    return { id: row.id, turn, lastStarted: client.lastStarted, position };
  });
  return ranked.sort((a, b) => a.turn - b.turn || a.lastStarted - b.lastStarted || a.position - b.position).map((row) => row.id);
}

export class CancelledError extends Error {
  constructor() {
    super("The comparison was canceled.");
    this.name = "CancelledError";
  }
}

export class LeaseLostError extends Error {
  constructor() {
    super("This worker no longer holds the comparison (its lease expired and another worker took it).");
    this.name = "LeaseLostError";
  }
}

/** A stopping worker gives the comparison back (Queue.handBack): nothing is written for it. */
export class HandBackError extends Error {
  constructor() {
    super("The worker is stopping; the comparison is queued again.");
    this.name = "HandBackError";
  }
}

export class TimeLimitError extends Error {
  constructor(readonly limitMs: number) {
    super(`The comparison took longer than ${formatSeconds(limitMs / 1000)} and was stopped.`);
    this.name = "TimeLimitError";
  }
}
