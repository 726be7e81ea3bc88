// In a real browser: start the loadlocation sample from the home page, wait for the
// comparison to finish on the real engine, see the headline, a chart with one bar per
// built variant, and the naive image's failure explained.
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "./app-server";
import { launchBrowser, OUTPUT_DIR } from "./browser";

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
  it("shows the headline, the chart and why the naive image fails", async () => {
    const page = await browser.newPage();
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
    const api = (await (await fetch(`${app.url}/api/comparisons/${id}`)).json()) as {
      variants: Array<{ key: string; status: string; sizeBytes: number; runCheck: { verdict: string } | null }>;
    };
    const built = api.variants.filter((v) => v.status === "built");
    expect(built.map((v) => v.key)).toEqual(["single", "scratch", "scratch-naive", "distroless"]);
    expect(built[0].sizeBytes).toBeGreaterThan(100e6);
    expect(api.variants.find((v) => v.key === "scratch-naive")?.runCheck?.verdict).toBe("fails");

    const chart = page.getByTestId("size-chart");
    await chart.scrollIntoViewIfNeeded();
    await expect.poll(() => chart.locator(".recharts-bar-rectangle").count(), { timeout: 10_000 }).toBe(built.length);

    const naive = page.getByTestId("variant-scratch-naive");
    await expect.poll(() => naive.textContent()).toContain("MISSING_ZONEINFO");
    expect(await naive.textContent()).toContain("COPY --from=builder /usr/share/zoneinfo /usr/share/zoneinfo");
    await page.screenshot({ path: path.join(OUTPUT_DIR, "comparison.png"), fullPage: true });
    await page.close();
  });
});
