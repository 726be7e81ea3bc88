// The charts' plots (recharts) load when the reader reaches for a chart or scrolls it into
// view (components/in-view.tsx); until then the size chart is drawn still, the others keep
// their place empty. A test that reads a plot, or takes a full-page screenshot, does what
// a reader does first, so the picture shows every chart as the reader sees it.
import type { Locator, Page } from "playwright-core";

/** A plot that has loaded and drawn its SVG. */
const DRAWN = '[data-plot="shown"]:has(svg.recharts-surface)';

/** Scrolls `chart` (a figure) into view and points at its caption, away from its bars. */
export async function reachFor(chart: Locator, timeout?: number): Promise<void> {
  await chart.scrollIntoViewIfNeeded({ timeout });
  await chart.locator("figcaption, .chart-head, button").first().hover({ timeout });
}

/** Reaches for each chart whose plot is not drawn yet, waits until every one is, then back to the top. */
export async function showCharts(page: Page, timeout = 15_000): Promise<void> {
  const deadline = Date.now() + timeout;
  const plots = page.locator("[data-plot]");
  for (;;) {
    const waiting = page.locator('figure:has([data-plot="pending"]), figure:has([data-plot="still"])');
    // A chart can start loading between the count and the reach (the last reach brought it
    // into view): then there is nothing left to point at, and the loop looks again.
    if ((await waiting.count()) > 0) await reachFor(waiting.first(), 2_000).catch(() => {});
    if ((await page.locator(DRAWN).count()) === (await plots.count())) break;
    if (Date.now() > deadline) throw new Error(`charts not drawn within ${timeout} ms`);
    await page.waitForTimeout(100);
  }
  await page.mouse.move(0, 0);
  await page.evaluate(() => window.scrollTo(0, 0));
}
