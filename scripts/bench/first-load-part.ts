// P9: the first-load JavaScript of the comparison page and of the home page, in Chromium.
// A real comparison (example:loadlocation, every variant with its analysis, run in this
// process as a worker runs it) is served by the web process, and each page is opened at a
// desktop and a phone size, touching nothing (scripts/bench/first-load.ts). The charts'
// plots load when they come into view, the file tree, the treemaps and the compare view
// when opened: only what the first screen needs is in these figures.
import { newComparisonId } from "@/lib/comparisons/ids";
import type { Engine } from "@/lib/engine/engine";
import { createTestDb } from "@/lib/testing/test-db";
import { startWebProcess } from "@/e2e/processes";
import type { BenchContext } from "./context";
import { measureFirstLoad, type FirstLoad } from "./first-load";
import { removeImagesOf } from "./images";
import { runInProcess, startBenchRegistry, workerDeps } from "./in-process";
import { kibibytes, ratio, seconds, verdict, type Row } from "./report";
import { EXAMPLE } from "./engine-part";

/** Measured before the charts loaded on view (issue "Lean pages"), at either size. */
const BEFORE = { comparison: 908 * 1024, home: 469 * 1024 } as const;
/** The issue's targets. */
const TARGET = { comparison: 450 * 1024, home: 300 * 1024 } as const;
const VIEWPORTS = [
  { name: "1280×900", width: 1280, height: 900 },
  { name: "390×844", width: 390, height: 844 },
] as const;

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
  const built = ran.view.variants.filter((v) => v.status === "built").length;
  const pages = [
    { kind: "comparison", path: `/c/${id}`, figure: "/c/<id>", what: `a finished comparison of ${EXAMPLE} (${built} variants built, with their analyses)` },
    { kind: "home", path: "/", figure: "/", what: "the home page" },
  ] as const;
  const measured: FirstLoad[] = [];
  for (const page of pages) {
    for (const viewport of VIEWPORTS) {
      log(`P9: ${page.figure} at ${viewport.name} in Chromium`);
      const load = await measureFirstLoad(`${web.url}${page.path}`, viewport);
      measured.push(load);
      rows.push(firstLoadRow(page.figure, viewport.name, load, BEFORE[page.kind], TARGET[page.kind], page.what));
    }
  }
  // What every page loads whatever it shows: React, the Next.js runtime, the layout.
  const everywhere = measured[0].scripts.filter((script) => measured.every((load) => load.scripts.some((other) => other.path === script.path)));
  rows.at(-1)?.notes?.push(
    `loaded by every page measured (React, the Next.js App Router runtime, the layout): ${kibibytes(everywhere.reduce((sum, script) => sum + script.bytes, 0))} in ${everywhere.length} files`,
  );
}

function firstLoadRow(figure: string, viewport: string, load: FirstLoad, before: number, target: number, what: string): Row {
  return {
    id: "P9",
    figure: `first-load JavaScript of ${figure}, ${viewport}`,
    value: kibibytes(load.bytes),
    baseline: `before ${kibibytes(before)}`,
    ratio: ratio(load.bytes, before),
    target: `≤ ${kibibytes(target)}`,
    verdict: verdict(load.bytes <= target),
    notes: [
      `${figure} at ${viewport}: ${what}; ${load.files} script files loaded in Chromium before any scroll or input, uncompressed ` +
        `(${kibibytes(load.gzipBytes)} gzipped), plus ${kibibytes(load.inlineBytes)} of inline scripts (the page's data); ` +
        `largest: ${load.largest.map((file) => `${file.path} ${kibibytes(file.bytes)}`).join(", ")}`,
    ],
  };
}
