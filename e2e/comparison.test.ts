// In a real browser: start the loadlocation sample from the home page, wait for the
// comparison to finish on the real engine, see the headline, the recommendation, a chart
// with an on-disk and a compressed bar per built variant, the layer breakdown and the
// naive image's failure explained. Then what a reader does with it: switch to a log
// scale, sort a layer table, copy a Dockerfile and the link, and open the link in a
// fresh browser, which shows the same numbers. Screenshots at desktop and phone widths.
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { APP_COLORS, BASE_COLORS } from "@/lib/views/layer-breakdown";
import { formatBytes, formatUtcTimestamp } from "@/lib/format";
import { startAppServer, type AppServer } from "./app-server";
import { launchBrowser, OUTPUT_DIR } from "./browser";
import { reachFor, showCharts } from "./charts";

interface ApiLayer {
  index: number;
  instruction: string;
  sizeBytes: number;
  compressedBytes: number | null;
  fromBase: boolean;
}

interface ApiComparison {
  createdAt: string;
  variants: Array<{
    key: string;
    status: string;
    dockerfile: string;
    sizeBytes: number;
    compressedBytes: number | null;
    layers: ApiLayer[];
    runCheck: { verdict: string } | null;
  }>;
}

/** What must read the same in any browser: the headline, the recommendation, each variant's sizes. */
async function numbersOn(page: Page, keys: string[]): Promise<Record<string, string>> {
  const text = async (testId: string) => ((await page.getByTestId(testId).textContent()) ?? "").trim();
  const numbers: Record<string, string> = { headline: await text("headline"), recommendation: await text("recommendation") };
  for (const key of keys) {
    numbers[key] = ((await page.getByTestId(`variant-${key}`).locator("dl.facts").textContent()) ?? "").trim();
  }
  numbers.chart = (await page.getByTestId("size-chart").getAttribute("aria-label")) ?? "";
  return numbers;
}

/** Production React reports a hydration mismatch as minified errors #418, #423 or #425. */
const isHydrationError = (text: string) => /hydrat|#418|#423|#425/i.test(text);

let app: AppServer;
let browser: BrowserContext;

beforeAll(async () => {
  await mkdir(OUTPUT_DIR, { recursive: true });
  app = await startAppServer();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe("comparing the loadlocation sample", () => {
  it("shows the headline, the charts and why the naive image fails; the copied link shows the same numbers", async () => {
    const page = await browser.newPage();
    const consoleErrors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    });
    page.on("pageerror", (error) => consoleErrors.push(String(error)));
    await page.goto(app.url);
    await page.screenshot({ path: path.join(OUTPUT_DIR, "home.png"), fullPage: true });

    await page.getByRole("button", { name: /loadlocation/ }).click();
    await page.waitForURL(/\/c\/[A-Za-z0-9]{10}$/);
    const id = page.url().split("/").pop()!;

    await expect.poll(async () => (await page.getByTestId("status").textContent())?.trim(), {
      timeout: 10 * 60_000,
      interval: 1000,
    }).toMatch(/^(succeeded|failed|canceled)$/);
    expect((await page.getByTestId("status").textContent())?.trim()).toBe("succeeded");

    const headline = (await page.getByTestId("headline").textContent()) ?? "";
    expect(headline).toMatch(/\d+ MB → [\d.]+ MB/);
    expect(headline).toMatch(/9\d(\.\d)?% smaller/);

    // The page shows what the API says.
    const api = (await (await fetch(`${app.url}/api/comparisons/${id}`)).json()) as ApiComparison;
    const built = api.variants.filter((v) => v.status === "built");
    expect(built.map((v) => v.key)).toEqual(["single", "scratch", "scratch-naive", "distroless"]);
    expect(built[0].sizeBytes).toBeGreaterThan(100e6);
    expect(api.variants.find((v) => v.key === "scratch-naive")?.runCheck?.verdict).toBe("fails");

    const chart = page.getByTestId("size-chart");
    // Drawn still until the reader reaches for it; then its plot (recharts) loads.
    await reachFor(chart);
    // One on-disk bar per built variant, and next to it a compressed bar where one was measured.
    await expect.poll(() => chart.locator(".bar-on-disk .recharts-bar-rectangle").count(), { timeout: 10_000 }).toBe(built.length);
    const compressed = built.filter((v) => v.compressedBytes !== null);
    expect(compressed.length).toBeGreaterThan(0);
    expect(await chart.locator(".bar-compressed .recharts-bar-rectangle").count()).toBe(compressed.length);
    // The failing image is hatched and says so under its name.
    expect(await chart.locator('.bar-on-disk .recharts-rectangle[fill^="url(#"]').count()).toBe(1);
    expect(await chart.locator(".recharts-xAxis-tick-labels").textContent()).toContain("scratch-naive✗ fails");
    const label = (await chart.getAttribute("aria-label")) ?? "";
    for (const variant of built) {
      expect(label).toContain(`${variant.key} ${formatBytes(variant.sizeBytes)} on disk, ${formatBytes(variant.compressedBytes)} compressed`);
    }

    // The recommendation: the smallest image that runs, and why the even smaller one is not it.
    const pick = built
      .filter((v) => v.runCheck?.verdict === "works")
      .reduce((best, v) => (v.sizeBytes < best.sizeBytes ? v : best));
    const recommendation = (await page.getByTestId("recommendation").textContent()) ?? "";
    expect(recommendation).toContain(`Use ${pick.key}: ${formatBytes(pick.sizeBytes)}, runs.`);
    expect(recommendation).toContain("scratch-naive is smaller but fails: MISSING_ZONEINFO");

    // The layer breakdown: a stacked bar per built variant, base layers grey and app layers blue.
    const breakdown = page.getByTestId("layer-breakdown");
    await breakdown.scrollIntoViewIfNeeded();
    const segments = built.flatMap((v) => v.layers.filter((layer) => layer.sizeBytes > 0));
    await expect.poll(() => breakdown.locator(".recharts-bar-rectangle").count(), { timeout: 10_000 }).toBe(segments.length);
    const rows = await breakdown.locator(".recharts-yAxis-tick-labels").textContent();
    for (const variant of built) expect(rows).toContain(`${variant.key}${formatBytes(variant.sizeBytes)}`);
    const fills = await breakdown.locator(".recharts-rectangle").evaluateAll((paths) => paths.map((p) => p.getAttribute("fill")));
    const family = (fill: string | null) =>
      (BASE_COLORS as readonly string[]).includes(fill ?? "") ? "base" : (APP_COLORS as readonly string[]).includes(fill ?? "") ? "app" : fill;
    expect(fills.map(family).filter((f) => f === "base").length).toBe(segments.filter((l) => l.fromBase).length);
    expect(fills.map(family).filter((f) => f === "app").length).toBe(segments.filter((l) => !l.fromBase).length);
    // Hovering a segment names its layer: the single-stage image's oldest one comes first.
    const oldest = built[0].layers.filter((layer) => layer.sizeBytes > 0).sort((a, b) => a.index - b.index)[0];
    await breakdown.locator(".recharts-bar-rectangle").first().hover();
    const tooltip = breakdown.locator(".chart-tooltip");
    await expect.poll(() => tooltip.textContent()).toContain(
      `single, layer #${oldest.index} (${oldest.fromBase ? "base image" : "app"})`,
    );
    expect(await tooltip.textContent()).toContain(formatBytes(oldest.sizeBytes));

    // Log scale: the same bars on another axis, so the axis' ticks change.
    const yTicks = () => chart.locator(".recharts-yAxis-tick-labels text").allTextContents();
    const linearTicks = await yTicks();
    expect(linearTicks[0]).toBe("0 B");
    const logButton = chart.getByRole("button", { name: "Log scale" });
    expect(await logButton.getAttribute("aria-pressed")).toBe("false");
    await logButton.click();
    expect(await logButton.getAttribute("aria-pressed")).toBe("true");
    await expect.poll(yTicks).not.toEqual(linearTicks);
    const logTicks = await yTicks();
    expect(logTicks).not.toContain("0 B");
    expect(logTicks.join(" ")).toMatch(/(^| )[1-9](\.\d)? MB( |$)|KB/);
    expect(await chart.locator(".bar-on-disk .recharts-bar-rectangle").count()).toBe(built.length);

    // The layer table sorts by size, both ways, and back by position.
    const single = page.getByTestId("variant-single");
    const table = single.getByTestId("layer-table");
    const sizeColumn = () => table.locator("tbody td:nth-child(3)").allTextContents();
    const sizeHeader = table.locator("th", { has: page.getByRole("button", { name: "Size", exact: true }) });
    await sizeHeader.getByRole("button").click();
    expect(await sizeHeader.getAttribute("aria-sort")).toBe("descending");
    const biggest = Math.max(...built[0].layers.map((layer) => layer.sizeBytes));
    expect((await sizeColumn())[0]).toBe(formatBytes(biggest));
    await sizeHeader.getByRole("button").click();
    expect(await sizeHeader.getAttribute("aria-sort")).toBe("ascending");
    expect((await sizeColumn()).at(-1)).toBe(formatBytes(biggest));
    await table.getByRole("button", { name: "#", exact: true }).click();
    expect(await table.locator("tbody td:first-child").allTextContents()).toEqual(
      built[0].layers.map((layer) => String(layer.index)),
    );

    // Times: the server's UTC text in the HTML, the reader's locale once the page runs.
    const started = page.locator("time").first();
    expect(await started.getAttribute("datetime")).toBe(api.createdAt);
    expect(await (await fetch(`${app.url}/c/${id}`)).text()).toContain(formatUtcTimestamp(api.createdAt));
    const local = await page.evaluate(
      (iso) => new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" }),
      api.createdAt,
    );
    await expect.poll(() => started.textContent()).toBe(local);

    const naive = page.getByTestId("variant-scratch-naive");
    await expect.poll(() => naive.textContent()).toContain("MISSING_ZONEINFO");
    expect(await naive.textContent()).toContain("COPY --from=builder /usr/share/zoneinfo /usr/share/zoneinfo");
    await showCharts(page);
    await page.screenshot({ path: path.join(OUTPUT_DIR, "comparison.png"), fullPage: true });

    // Copy a Dockerfile, then the link.
    await browser.grantPermissions(["clipboard-read", "clipboard-write"], { origin: app.url });
    const clipboard = () => page.evaluate(() => navigator.clipboard.readText());
    const scratch = api.variants.find((v) => v.key === "scratch")!;
    await page.getByTestId("variant-scratch").getByRole("button", { name: /Copy Dockerfile/ }).click();
    await expect.poll(clipboard).toBe(scratch.dockerfile);
    expect(await page.getByTestId("variant-scratch").getByRole("status").textContent()).toBe("Dockerfile copied");
    await page.getByTestId("share").getByRole("button", { name: "Copy link" }).click();
    await expect.poll(clipboard).toBe(`${app.url}/c/${id}`);
    const link = await clipboard();

    const keys = built.map((v) => v.key);
    const here = await numbersOn(page, keys);
    for (const variant of built) {
      expect(here[variant.key]).toContain(`Size on disk${formatBytes(variant.sizeBytes)}`);
      expect(here[variant.key]).toContain(`Compressed${formatBytes(variant.compressedBytes)}`);
    }
    expect(consoleErrors.filter(isHydrationError)).toEqual([]);
    await page.close();

    // Without the clipboard API (plain HTTP, a refused permission) the Dockerfile is selected instead.
    const bare = await browser.newPage();
    await bare.addInitScript(() => Object.defineProperty(navigator, "clipboard", { value: undefined }));
    await bare.goto(link);
    await bare.getByTestId("variant-scratch").getByRole("button", { name: /Copy Dockerfile/ }).click();
    await expect.poll(() => bare.evaluate(() => window.getSelection()?.toString().trim())).toBe(scratch.dockerfile.trim());
    expect(await bare.getByTestId("variant-scratch").getByRole("status").textContent()).toMatch(/^(Dockerfile copied|Selected: press Ctrl\+C)/);
    await bare.close();

    // The link in a fresh browser (its own profile: no cache, no state): the same numbers.
    const fresh = await launchBrowser();
    try {
      const other = await fresh.newPage();
      const otherErrors: string[] = [];
      other.on("console", (message) => {
        if (message.type() === "error") otherErrors.push(message.text());
      });
      other.on("pageerror", (error) => otherErrors.push(String(error)));
      await other.goto(link);
      expect((await other.getByTestId("status").textContent())?.trim()).toBe("succeeded");
      // The plots load as the reader reaches for the charts or scrolls to them.
      await reachFor(other.getByTestId("size-chart"));
      await other.getByTestId("size-chart").locator(".recharts-bar-rectangle").first().waitFor();
      expect(await numbersOn(other, keys)).toEqual(here);

      await other.setViewportSize({ width: 1280, height: 900 });
      await other.getByTestId("layer-breakdown").scrollIntoViewIfNeeded();
      await other.getByTestId("layer-breakdown").locator(".recharts-bar-rectangle").first().waitFor();
      await showCharts(other);
      expect(await other.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
      await other.screenshot({ path: path.join(OUTPUT_DIR, "comparison-desktop.png"), fullPage: true });
      await other.setViewportSize({ width: 390, height: 844 });
      // Nothing sticks out sideways on a phone, once the charts have followed the new width.
      await expect.poll(() => other.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      expect(await other.getByTestId("size-chart").locator(".bar-on-disk .recharts-bar-rectangle").count()).toBe(built.length);
      await other.screenshot({ path: path.join(OUTPUT_DIR, "comparison-phone.png"), fullPage: true });
      expect(otherErrors.filter(isHydrationError)).toEqual([]);
    } finally {
      await fresh.close();
    }
  });
});
