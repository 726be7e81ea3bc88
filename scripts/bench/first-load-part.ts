// P9: the comparison page's first-load JavaScript. A real comparison (example:loadlocation,
// every variant with its analysis, run in this process as a worker runs it) is served by
// the web process, and the scripts its page names are fetched and counted uncompressed
// (scripts/bench/first-load.ts). The file tree, the treemaps and the compare view load
// their code when opened, so they must not be in this figure.
import { newComparisonId } from "@/lib/comparisons/ids";
import type { Engine } from "@/lib/engine/engine";
import { createTestDb } from "@/lib/testing/test-db";
import { startWebProcess } from "@/e2e/processes";
import type { BenchContext } from "./context";
import { measureFirstLoad } from "./first-load";
import { removeImagesOf } from "./images";
import { runInProcess, startBenchRegistry, workerDeps } from "./in-process";
import { kibibytes, ratio, seconds, verdict } from "./report";
import { EXAMPLE } from "./engine-part";

/** /c/<id> before issue 12 (its analysis views), measured then: the page must not grow past it. */
const BEFORE_BYTES = 908 * 1024;

export async function firstLoadBench(ctx: BenchContext, engine: Engine, buildArgs: Record<string, string>): Promise<void> {
  const { config, cleanup, log, rows } = ctx;
  const testDb = await createTestDb();
  cleanup.add("the P9 database", () => testDb.dispose());
  const registry = await startBenchRegistry(testDb.db);
  cleanup.add("the P9 size registry", () => registry.close());
  // A page-shaped id: the response cache and the analysis links only know those.
  const id = newComparisonId();
  cleanup.add(`the images of ${id}`, () => removeImagesOf(engine, id));
  log(`P9: a comparison of ${EXAMPLE} to show`);
  const ran = await runInProcess(id, EXAMPLE, workerDeps(config, testDb.db, engine, registry, buildArgs));
  log(`P9: compared in ${seconds(ran.wall)}; starting the web process`);
  const web = await startWebProcess({ DATABASE_URL: testDb.url, SLIMSTAGE_BASE_PROFILE: config.baseProfile });
  cleanup.add("the P9 web process", () => web.stop());
  const page = await measureFirstLoad(`${web.url}/c/${id}`);
  const home = await measureFirstLoad(`${web.url}/`);
  const built = ran.view.variants.filter((v) => v.status === "built").length;
  rows.push({
    id: "P9",
    figure: "first-load JavaScript of /c/<id>",
    value: kibibytes(page.bytes),
    baseline: `before issue 12 ${kibibytes(BEFORE_BYTES)}`,
    ratio: ratio(page.bytes, BEFORE_BYTES),
    target: `≤ ${kibibytes(BEFORE_BYTES)}`,
    verdict: verdict(page.bytes <= BEFORE_BYTES),
    notes: [
      `${page.files} script files named by the page of a finished comparison of ${EXAMPLE} (${built} variants built, with their analyses), ` +
        `uncompressed; ${kibibytes(page.gzipBytes)} gzipped; plus ${kibibytes(page.inlineBytes)} of inline scripts (the page's data); ` +
        `largest: ${page.largest.map((file) => `${file.path} ${kibibytes(file.bytes)}`).join(", ")}`,
      `the home page in the same run: ${kibibytes(home.bytes)} in ${home.files} files`,
    ],
  });
}
