// P2: the compressed sizes of every layer of a new single-stage image, against
// `docker save | gzip -1 | wc -c` of the same image. Each round builds the image anew (a
// new build argument: new app layers on the same base), then measures it both ways; the
// base layers are known by then, as after the first comparison on these base images.
import type { Engine } from "@/lib/engine/engine";
import type { ArchiveImage } from "@/lib/measure/image-archive";
import type { SizeRegistry } from "@/lib/measure/size-registry";
import { measureByPush } from "@/lib/jobs/variant-build";
import { timed, type BenchContext } from "./context";
import { savedGzipBytes } from "./docker-cli";
import { removeImagesOf } from "./images";
import { megabytes, ratio, seconds, verdict, type Row } from "./report";

const ROUNDS = 2;
const TARGET = 1.0;

interface P2Inputs {
  /** The first measurement ever (no layer known), taken before P1. */
  first: { seconds: number; value: ArchiveImage };
  firstPlain: { seconds: number };
  plainBuild(comparisonId: string, buildArgs: Record<string, string>): Promise<{ imageId: string }>;
}

export async function p2Rows(ctx: BenchContext, engine: Engine, registry: SizeRegistry, { first, firstPlain, plainBuild }: P2Inputs): Promise<Row[]> {
  const { config, cleanup, log, stamp } = ctx;
  const p2Id = `${stamp}-p2`;
  cleanup.add(`the images of ${p2Id}`, () => removeImagesOf(engine, p2Id));
  const ours: number[] = [];
  const plain: number[] = [];
  let oursBytes = 0;
  let plainBytes = 0;
  let layerCount = 0;
  for (let round = 1; round <= ROUNDS; round++) {
    log(`P2 round ${round}: building a new single-stage image`);
    const image = await plainBuild(p2Id, { ...config.moduleBuildArgs, GOPRIVATE: `${p2Id}-${round}` });
    log(`P2 round ${round}: docker save | gzip -1 | wc -c`);
    const baseline = await timed(() => savedGzipBytes(image.imageId));
    plain.push(baseline.seconds);
    plainBytes = baseline.value;
    log(`P2 round ${round}: push to the size registry`);
    const measured = await timed(() => measureByPush(engine, registry, image.imageId, `${p2Id}-${round}`));
    ours.push(measured.seconds);
    oursBytes = measured.value.compressedBytes;
    layerCount = measured.value.layers.length;
  }
  const best = Math.min(...ours);
  const bestPlain = Math.min(...plain);
  return [
    {
      id: "P2",
      figure: "compressed sizes of all layers, single",
      value: seconds(best),
      baseline: `docker save | gzip -1 ${seconds(bestPlain)}`,
      ratio: ratio(best, bestPlain),
      target: `≤ ${TARGET.toFixed(1)}`,
      verdict: verdict(best / bestPlain <= TARGET),
      notes: [
        `a new single-stage image each round (new app layers on known base layers); best of ${ROUNDS} rounds each ` +
          `(ours ${ours.map(seconds).join(", ")}; baseline ${plain.map(seconds).join(", ")}); ` +
          `${layerCount} layers, ${megabytes(oursBytes)} as the engine compresses them for a push vs ${megabytes(plainBytes)} for the whole archive at gzip -1`,
      ],
    },
    {
      id: "P2",
      figure: "the same, first time (no layer known)",
      value: seconds(first.seconds),
      baseline: `docker save | gzip -1 ${seconds(firstPlain.seconds)}`,
      ratio: ratio(first.seconds, firstPlain.seconds),
      target: "(none)",
      verdict: "—",
      notes: [
        `the first image measured on an empty size store: every base layer is compressed and its files listed (${first.value.layers.length} layers, ` +
          `${megabytes(first.value.compressedBytes)}); once per base image, then kept by digest (a new worker does it at start: P7)`,
      ],
    },
  ];
}
