// What the next-steps browser test needs: the app without a worker (new comparisons stay
// queued) and Debian's Chromium, comparisons written straight into its database, pages
// opened at a width, screenshots at desktop and phone widths, and the row a click created.
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { expect } from "vitest";
import { newComparisonId } from "@/lib/comparisons/ids";
import { startAppServer, type AppServer } from "./app-server";
import { launchBrowser, OUTPUT_DIR } from "./browser";

let app: AppServer;
let browser: BrowserContext;

export async function start(): Promise<void> {
  await mkdir(OUTPUT_DIR, { recursive: true });
  app = await startAppServer({ SLIMSTAGE_WORKER: "off", SLIMSTAGE_MAX_QUEUED_PER_CLIENT: "50" });
  browser = await launchBrowser();
}

export async function stop(): Promise<void> {
  await browser?.close();
  await app?.stop();
}

export interface Seed {
  repo: string;
  status?: string;
  ref?: string;
  subdir?: string;
  mainPackage?: string;
  mainPackages?: string[];
  variantKeys?: string[];
  notes?: string[];
  errorCode?: string;
  errorMessage?: string;
}

export async function seed(row: Seed): Promise<string> {
  const id = newComparisonId();
  const { mainPackages, variantKeys = [], notes = [], status = "failed", ...rest } = row;
  const finishedAt = new Date();
  await app.testDb.db.comparison.create({
    data: {
      id,
      status,
      ...rest,
      mainPackages: mainPackages ? JSON.stringify(mainPackages) : null,
      notes: JSON.stringify(notes),
      createdAt: new Date(finishedAt.getTime() - 30_000),
      finishedAt,
      variants: {
        create: variantKeys.map((key, position) => ({ key, position, naive: key.endsWith("-naive"), status: "failed", dockerfile: "", baseImages: "[]" })),
      },
    },
  });
  return id;
}

export async function open(url: string, width = 1280): Promise<Page> {
  const page = await browser.newPage();
  await page.setViewportSize({ width, height: width < 600 ? 844 : 900 });
  await page.goto(`${app.url}${url}`);
  return page;
}

export async function screenshots(url: string, name: string): Promise<void> {
  for (const width of [1280, 390]) {
    const page = await open(url, width);
    await page.screenshot({ path: path.join(OUTPUT_DIR, `${name}-${width}.png`), fullPage: true });
    // Nothing sticks out sideways on a phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth), `${name} at ${width}`).toBeLessThanOrEqual(width);
    await page.close();
  }
}

/** Clicks `testId` and returns the new comparison's row once its page has opened. */
export async function clickToNewComparison(page: Page, testId: string, from: string) {
  await page.getByTestId(testId).click();
  await page.waitForURL((url) => /^\/c\/[A-Za-z0-9]{10}$/.test(url.pathname) && url.pathname !== `/c/${from}`);
  const id = new URL(page.url()).pathname.slice("/c/".length);
  await page.getByTestId("status").waitFor();
  expect(await page.getByTestId("status").textContent()).toBe("queued");
  const row = await app.testDb.db.comparison.findUnique({ where: { id } });
  expect(row).not.toBeNull();
  return row!;
}
