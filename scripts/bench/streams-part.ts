// P8: many viewers of one running comparison (a shared link during a build). 200
// live-progress streams stay open on the seeded running comparison while a stand-in
// worker writes its build's progress; that comparison's page is loaded with 8
// connections, with no stream open and then with the 200, and the web process's node
// server is watched in /proc (VmRSS) for its growth under that load.
import type { BenchContext } from "./context";
import { load, warmUp } from "./http";
import { megabytes, ms, ratio, verdict } from "./report";
import { ProcessRssSampler, rssOf, webServerPid } from "./proc";
import { fakeBuildProgress, openStreams } from "./streams";
import type { SeededServer } from "./seeded-server";

const STREAMS = 200;
/** As P3. */
const CONNECTIONS = 8;
const LOAD_SECONDS = 10;
const TARGET = { p99: 300, growth: 50e6 } as const;

export async function streamsBench(ctx: BenchContext, { testDb, seeded, web }: SeededServer): Promise<void> {
  const { log, rows, cleanup } = ctx;
  const pid = await webServerPid(Number(new URL(web.url).port));
  if (pid === null) throw new Error(`P8: the web process's node server on ${web.url} was not found in /proc`);
  const pageUrl = `${web.url}/c/${seeded.runningId}`;
  const building = await testDb.db.variant.findUniqueOrThrow({
    where: { comparisonId_key: { comparisonId: seeded.runningId, key: seeded.buildingKey } },
    select: { buildLog: true },
  });
  const progress = fakeBuildProgress(testDb.db, seeded.runningId, seeded.buildingKey, building.buildLog);
  let progressStopped = false;
  const stopProgress = async () => {
    if (progressStopped) return 0;
    progressStopped = true;
    return progress.stop();
  };
  cleanup.add("P8's progress writer", stopProgress);

  await warmUp(pageUrl);
  log(`P8: the running comparison's page, ${CONNECTIONS} connections, ${LOAD_SECONDS} s, no stream open (its build log growing every 500 ms)`);
  // The server's memory is compared like with like: its peak under the page load with no
  // stream against its peak under the same load with the streams open.
  const quiet = new ProcessRssSampler(pid, 200);
  const alone = await load(pageUrl, CONNECTIONS, LOAD_SECONDS);
  const before = (await quiet.stop()).peak;
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const settled = (await rssOf(pid)) ?? 0;
  const sampler = new ProcessRssSampler(pid, 200);
  log(`P8: opening ${STREAMS} live-progress streams (server RSS ${megabytes(settled)}, ${megabytes(before)} at its peak under the load)`);
  const streams = openStreams(`${web.url}/api/comparisons/${seeded.runningId}/events`, STREAMS);
  cleanup.add("P8's streams", async () => streams.close());
  const deadline = Date.now() + 20_000;
  while (streams.live() + streams.dropped() < STREAMS && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
  const liveAtStart = streams.live();
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const open = (await rssOf(pid)) ?? 0;
  log(`P8: ${liveAtStart} streams live; the page again, ${CONNECTIONS} connections, ${LOAD_SECONDS} s`);
  const eventsBefore = streams.events();
  const crowded = await load(pageUrl, CONNECTIONS, LOAD_SECONDS);
  const eventsDuring = streams.events() - eventsBefore;
  const rss = await sampler.stop();
  const live = streams.live();
  const dropped = streams.dropped();
  streams.close();
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const after = (await rssOf(pid)) ?? 0;
  // The machine is shared: the page once more with no stream, to see how far it drifted.
  const aloneAfter = await load(pageUrl, CONNECTIONS, LOAD_SECONDS);
  const writes = await stopProgress();
  const growth = rss.peak - before;
  const failed = crowded.non2xx + crowded.errors;
  rows.push(
    {
      id: "P8",
      figure: `running comparison's page p50 / p99, ${STREAMS} streams open`,
      value: `${ms(crowded.p50)} / ${ms(crowded.p99)}`,
      baseline: `no stream ${ms(alone.p50)} / ${ms(alone.p99)}`,
      ratio: `${ratio(crowded.p50, alone.p50)} / ${ratio(crowded.p99, alone.p99)}`,
      target: `p99 < ${TARGET.p99} ms`,
      verdict: verdict(failed === 0 && live === STREAMS && dropped === 0 && crowded.p99 < TARGET.p99),
      notes: [
        `${liveAtStart} of ${STREAMS} streams live before the load, ${live} after, ${dropped} dropped; they received ${eventsDuring} events during the ${LOAD_SECONDS} s ` +
          `(${(eventsDuring / STREAMS).toFixed(1)} each); the stand-in worker wrote the build log ${writes} times (every 500 ms) and the phase every 5 s; ` +
          `page: ${crowded.requests} requests (${alone.requests} with no stream)${failed ? `, ${crowded.non2xx} non-2xx and ${crowded.errors} errors (FAIL)` : ""}; ` +
          `with no stream again after they closed: ${ms(aloneAfter.p50)} / ${ms(aloneAfter.p99)} (${aloneAfter.requests} requests)`,
      ],
    },
    {
      id: "P8",
      figure: `web process's RSS growth, ${STREAMS} streams open`,
      value: megabytes(growth),
      baseline: `no stream ${megabytes(before)}`,
      ratio: ratio(rss.peak, before),
      target: `< ${megabytes(TARGET.growth)}`,
      verdict: verdict(growth < TARGET.growth),
      notes: [
        `VmRSS of the node server (PID ${pid}), sampled every 200 ms: its peak under the page load with the streams open against its peak under the same load ` +
          `with no stream; at rest: ${megabytes(settled)} before the streams, ${megabytes(open)} with them open (before the load), ${megabytes(after)} 2 s after they closed`,
      ],
    },
  );
}
