// The benchmark's own images: removed by the comparison ID they are labelled with, on
// the engine that has them, children before parents.
import type { Engine } from "@/lib/engine/engine";
import { benchLog } from "./context";
import { imagesLabelled } from "./docker-cli";

/** Deletes every image of a comparison on `engine` (`dockerHost` names the same engine for the docker CLI). */
export async function removeImagesOf(engine: Engine, comparisonId: string, dockerHost?: string): Promise<void> {
  await removeImages(engine, await imagesLabelled(comparisonId, dockerHost));
}

export async function removeImages(engine: Engine, ids: string[]): Promise<void> {
  let remaining = ids;
  for (let pass = 0; pass < 4 && remaining.length; pass++) {
    const failed: string[] = [];
    for (const id of remaining) await engine.removeImage(id).catch(() => failed.push(id));
    remaining = failed;
  }
  if (remaining.length) benchLog(`could not remove ${remaining.length} images: ${remaining.join(" ")}`);
}

/**
 * Whether the build ran the `go build` step rather than taking it from its cache: the
 * classic builder's "Step n/m : RUN go build" not followed by "Using cache", or BuildKit's
 * "[builder n/m] RUN … go build" (a cache hit is "CACHED: [builder n/m] RUN …" instead).
 */
export function compiledAgain(log: string[]): boolean {
  if (log.some((line) => /^\[[\w.-]+ \d+\/\d+\] RUN (--mount\S+ )*go build/.test(line))) return true;
  const step = log.findIndex((line) => /^Step \d+\/\d+ : RUN go build/.test(line));
  return step >= 0 && !/Using cache/.test(log[step + 1] ?? "");
}
