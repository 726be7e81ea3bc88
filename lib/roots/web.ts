// The web process's composition root: the configuration, the database client, the
// submission rate limit, the live-progress slots and the one snapshot reader per
// comparison, the logger and the metrics registry (the one scripts/web.ts made), made
// once per process and handed to route handlers and pages. The web
// process never talks to a Docker Engine: it writes rows, and the build workers
// (lib/roots/worker.ts) react; it learns about engines from the Worker table.
import { loadConfig, type Config } from "@/lib/config";
import { openDatabase, type Database, type Db } from "@/lib/db";
import { createSnapshotHub, type SnapshotHub } from "@/lib/progress/snapshot-hub";
import { createRateLimiter, type RateLimiter } from "@/lib/rate-limit";
import { createStreamSlots, type StreamSlots } from "@/lib/progress/stream-slots";
import { createLogger, knownSecrets, type Logger } from "@/lib/log";
import { countedSlots, processWebMetrics, type WebMetrics } from "@/lib/metrics/web-metrics";

export interface WebRoot {
  config: Config;
  /** The one client (SQLite allows one writer per process without stalls) and the read connection. */
  database: Database;
  db: Db;
  submissions: RateLimiter;
  streams: StreamSlots;
  progress: SnapshotHub;
  /** JSON lines on stdout (lib/log.ts); route handlers log unexpected errors here. */
  log: Logger;
  /** This process's live metrics (request durations, open streams), shared with scripts/web.ts; /metrics adds the database's. */
  metrics: WebMetrics;
}

let root: WebRoot | undefined;

export function web(): WebRoot {
  root ??= createWebRoot(loadConfig());
  return root;
}

export function createWebRoot(config: Config, given?: Database): WebRoot {
  const log = createLogger({ role: "web", level: config.logLevel, secrets: knownSecrets(config) });
  const database = given ?? openDatabase(config.databaseUrl, (error) => log.warn({ err: error }, "read connection dropped"));
  const db = database.client;
  const metrics = processWebMetrics();
  return {
    config,
    database,
    db,
    submissions: createRateLimiter({ limit: config.submissionsPerMinute, windowMs: 60_000 }),
    streams: countedSlots(createStreamSlots(config.streams.perClient), metrics.progressStreams),
    progress: createSnapshotHub(db),
    log,
    metrics,
  };
}
