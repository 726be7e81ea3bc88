// The web process (the production build) over a fresh database seeded with many
// comparisons, the compared pair's diff stored as a worker stores it: what P3 (pages) and
// P8 (live-progress streams) both measure against.
import { openReadDb, type Dialect } from "@/lib/db";
import { storeDiffWithPrevious } from "@/lib/jobs/finish-diff";
import { createTestDb, type TestDb } from "@/lib/testing/test-db";
import { startWebProcess, type WebProcess } from "@/e2e/processes";
import type { BenchContext } from "./context";
import { seconds } from "./report";
import { seedComparisons, type Seeded } from "./seed";

export const SEEDED_COMPARISONS = 10_000;
export const NAME: Record<Dialect, string> = { sqlite: "SQLite", postgresql: "PostgreSQL" };

export interface SeededServer {
  testDb: TestDb;
  seeded: Seeded;
  web: WebProcess;
}

/** A fresh database of `dialect` with the seeded comparisons, and a web process over it (both removed by the cleanup). */
export async function seededServer(ctx: BenchContext, dialect: Dialect): Promise<SeededServer> {
  const { cleanup, log } = ctx;
  const testDb = await createTestDb({ dialect });
  cleanup.add(`the ${NAME[dialect]} database`, () => testDb.dispose());
  log(`${NAME[dialect]}: seeding ${SEEDED_COMPARISONS} comparisons`);
  const begun = performance.now();
  const seeded = await seedComparisons(testDb.db, SEEDED_COMPARISONS, dialect);
  // The compared pair's diff, stored by the function a worker calls when the later one finishes.
  const read = openReadDb(testDb.url);
  const diff = await storeDiffWithPrevious(testDb.db, read, seeded.targetId).finally(() => read.close());
  if (!("stored" in diff) || diff.stored !== seeded.previousId) throw new Error(`the compared pair's diff was not stored: ${JSON.stringify(diff)}`);
  log(`${NAME[dialect]}: seeded ${seeded.comparisons} comparisons, ${seeded.variants} variants, ${seeded.layers} layers in ${seconds((performance.now() - begun) / 1000)}; starting the web process`);
  const web = await startWebProcess({
    DATABASE_URL: testDb.url,
    SLIMSTAGE_BASE_PROFILE: ctx.config.baseProfile,
    // P8 opens hundreds of streams from one client (this process).
    SLIMSTAGE_MAX_STREAMS_PER_CLIENT: "1000",
  });
  cleanup.add(`the ${NAME[dialect]} web process`, () => web.stop());
  return { testDb, seeded, web };
}
