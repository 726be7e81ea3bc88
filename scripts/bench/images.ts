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

/** Whether the classic builder ran the `go build` step rather than taking it from its cache. */
export function compiledAgain(log: string[]): boolean {
  const step = log.findIndex((line) => /^Step \d+\/\d+ : RUN go build/.test(line));
  return step >= 0 && !/Using cache/.test(log[step + 1] ?? "");
}
