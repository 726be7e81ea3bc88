// P8's load: many live-progress connections to one running comparison, and a stand-in
// for the worker that builds it, writing the rows a build writes (a growing build log,
// a phase now and then) through the same state module a worker uses.
import http from "node:http";
import type { Db } from "@/lib/db";
import { changeVariant, setPhase } from "@/lib/jobs/state";

export interface OpenStreams {
  /** Streams that have answered 200 and sent at least one event. */
  live(): number;
  /** Events received by all streams together. */
  events(): number;
  /** Streams that ended or failed before close(). */
  dropped(): number;
  close(): void;
}

/** Opens `count` event streams of `url`, each on its own connection, as that many browser tabs would. */
export function openStreams(url: string, count: number): OpenStreams {
  const requests: http.ClientRequest[] = [];
  const eventsPer = new Array<number>(count).fill(0);
  let dropped = 0;
  let closing = false;
  for (let n = 0; n < count; n++) {
    const request = http.get(url, { agent: false, headers: { accept: "text/event-stream" } }, (response) => {
      if (response.statusCode !== 200) {
        dropped++;
        response.resume();
        return;
      }
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        eventsPer[n] += chunk.match(/^event: /gm)?.length ?? 0;
      });
      response.on("end", () => {
        if (!closing) dropped++;
      });
      response.on("error", () => {});
    });
    request.on("error", () => {
      if (!closing) dropped++;
    });
    requests.push(request);
  }
  return {
    live: () => eventsPer.filter((events) => events > 0).length,
    events: () => eventsPer.reduce((sum, events) => sum + events, 0),
    dropped: () => dropped,
    close() {
      closing = true;
      for (const request of requests) request.destroy();
    },
  };
}

/** Writes a build's progress to the rows every `everyMs` until stopped: log lines, and a new phase every tenth time. */
export function fakeBuildProgress(db: Db, comparisonId: string, key: string, initialLog: string, everyMs = 500): { stop(): Promise<number> } {
  let lines = initialLog.split("\n");
  let writes = 0;
  let stopped = false;
  const ref = { comparisonId, key };
  const loop = (async () => {
    while (!stopped) {
      writes++;
      lines = [...lines, ` ---> Running in ${writes.toString(16).padStart(12, "0")}`, `#${writes} compiling package ${writes % 40} of 40`].slice(-2000);
      await changeVariant(db, ref, { status: "log", buildLog: lines.join("\n") });
      if (writes % 10 === 0) await setPhase(db, comparisonId, `building ${key} (2 of 4), step ${writes / 10}`);
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      return writes;
    },
  };
}
