// The home page in a real browser and the list API behind it: the submit form checks
// input in the browser and shows the server's errors next to the field they name, a
// valid submission opens its comparison, the list walks back page by page without
// repeating a row, and a missing Docker Engine is announced at the top.
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HISTORY_PAGE } from "@/lib/reads/history-query";
import { startAppServer, type AppServer } from "./app-server";
import { launchBrowser, OUTPUT_DIR } from "./browser";

let app: AppServer;
let browser: BrowserContext;

beforeAll(async () => {
  await mkdir(OUTPUT_DIR, { recursive: true });
  app = await startAppServer({ SLIMSTAGE_WORKER: "off" });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function openHome(width = 1280, height = 900): Promise<Page> {
  const page = await browser.newPage();
  await page.setViewportSize({ width, height });
  await page.goto(app.url);
  return page;
}

/** The error is directly under its input: same column, just below it. */
async function expectBelow(page: Page, inputSelector: string, errorSelector: string) {
  // Both boxes in one frame, once layout has settled: measured one after the other, a
  // late layout shift (the page still loading on a busy machine) moves one and not the other.
  const [input, error] = await page.evaluate(
    async ([inputSel, errorSel]) => {
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      return [inputSel, errorSel].map((selector) => {
        const box = document.querySelector(selector)!.getBoundingClientRect();
        return { x: box.x, y: box.y, height: box.height };
      });
    },
    [inputSelector, errorSelector],
  );
  expect(error.y).toBeGreaterThanOrEqual(input.y + input.height);
  expect(error.y - (input.y + input.height)).toBeLessThan(24);
  expect(Math.abs(error.x - input.x)).toBeLessThan(4);
}

describe("the submit form", () => {
  it("refuses an ssh:// URL in the browser, next to the field, keeping what was typed", async () => {
    const page = await openHome();
    const repo = page.getByLabel("Repository URL");
    await repo.fill("ssh://x/y");
    await page.getByLabel("Ref (optional)").fill("main");
    await page.getByLabel("Subdirectory (optional)").fill("cmd/app");
    await repo.press("Enter");

    const error = page.getByTestId("submit-repo-error");
    await error.waitFor();
    expect(await error.textContent()).toContain('"ssh://" URLs are not supported');
    expect(await repo.getAttribute("aria-invalid")).toBe("true");
    expect((await repo.getAttribute("aria-describedby"))?.split(" ")).toContain("submit-repo-error");
    await expectBelow(page, "#submit-repo", "#submit-repo-error");
    await page.screenshot({ path: path.join(OUTPUT_DIR, "home-form-error.png") });
    // The invalid field has the focus, shown with a visible outline.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("submit-repo");
    expect(await repo.evaluate((el) => getComputedStyle(el).outlineStyle)).toBe("solid");
    // Nothing typed is lost, and nothing was sent.
    expect(await repo.inputValue()).toBe("ssh://x/y");
    expect(await page.getByLabel("Ref (optional)").inputValue()).toBe("main");
    expect(await page.getByLabel("Subdirectory (optional)").inputValue()).toBe("cmd/app");
    expect(await app.testDb.db.comparison.count()).toBe(0);

    // Editing the field clears its message.
    await repo.fill("ssh://x/y2");
    expect(await page.getByTestId("submit-repo-error").count()).toBe(0);
    await page.close();
  });

  it("shows the server's error next to the field the API names", async () => {
    const page = await openHome();
    const mainPackage = page.getByLabel("Main package (optional)");
    await page.getByLabel("Repository URL").fill("example:nope");
    await mainPackage.fill("./cmd/x");
    await mainPackage.press("Enter");

    const error = page.getByTestId("submit-repo-error");
    await error.waitFor();
    expect(await error.textContent()).toContain('There is no bundled example called "nope"');
    await expectBelow(page, "#submit-repo", "#submit-repo-error");
    expect(await page.getByLabel("Repository URL").inputValue()).toBe("example:nope");
    expect(await mainPackage.inputValue()).toBe("./cmd/x");
    expect(await page.getByTestId("submit-button").isEnabled()).toBe(true);
    await page.close();
  });

  it("starts a valid submission and opens its comparison page", async () => {
    const page = await openHome();
    // Hold the answer back a moment to see the pending state.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    await page.route("**/api/comparisons", async (route) => {
      await released;
      await route.continue();
    });
    const repo = page.getByLabel("Repository URL");
    await repo.fill("example:hello");
    await repo.press("Enter");
    const button = page.getByTestId("submit-button");
    await expect.poll(() => button.textContent()).toBe("Starting comparison…");
    expect(await button.isDisabled()).toBe(true);
    release();
    await page.waitForURL(/\/c\/[A-Za-z0-9]{10}$/);
    const id = page.url().split("/").pop()!;
    const row = await app.testDb.db.comparison.findUnique({ where: { id } });
    expect(row).toMatchObject({ repo: "example:hello", ref: null, subdir: null, mainPackage: null, status: "queued" });
    await page.close();
  });
});

describe("paging through comparisons", () => {
  const inserted: string[] = [];

  beforeAll(async () => {
    // Groups of three share a creation time, so the order relies on the id as well.
    const base = Date.parse("2024-01-01T12:00:00.000Z");
    const rows = Array.from({ length: 25 }, (_, i) => ({
      id: `page${String(i).padStart(2, "0")}x${(i * 7919).toString(36)}`,
      repo: "example:hello",
      status: "failed",
      createdAt: new Date(base + Math.floor(i / 3) * 1000),
    }));
    await app.testDb.db.comparison.createMany({ data: rows });
    inserted.push(...rows.map((r) => r.id));
  });

  it("walks every row once through the API, newest first, 10 at a time", async () => {
    const seen: string[] = [];
    const pageSizes: number[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 10; pages++) {
      const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
      const response = await fetch(`${app.url}/api/comparisons?limit=10${query}`);
      expect(response.status).toBe(200);
      const body = (await response.json()) as { items: Array<{ id: string }>; nextCursor: string | null };
      pageSizes.push(body.items.length);
      seen.push(...body.items.map((item) => item.id));
      cursor = body.nextCursor;
      if (!cursor) break;
      expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    }
    expect(cursor).toBeNull();
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining(inserted));
    expect(inserted.filter((id) => seen.includes(id))).toHaveLength(25);
    expect(pageSizes.every((size) => size <= 10)).toBe(true);
    const all = await app.testDb.db.comparison.findMany({ orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: { id: true } });
    expect(seen).toEqual(all.map((row) => row.id));
  });

  it("pages through one repository with ?repo=", async () => {
    await app.testDb.db.comparison.create({ data: { id: "otherrepo01", repo: "https://example.com/o/r", status: "failed" } });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
      const body = (await (await fetch(`${app.url}/api/comparisons?limit=7&repo=example:hello${query}`)).json()) as {
        items: Array<{ id: string; repo: string }>;
        nextCursor: string | null;
      };
      expect(body.items.every((item) => item.repo === "example:hello")).toBe(true);
      seen.push(...body.items.map((item) => item.id));
      cursor = body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).not.toContain("otherrepo01");
    expect(seen).toEqual(expect.arrayContaining(inserted));
    await app.testDb.db.comparison.delete({ where: { id: "otherrepo01" } });
  });

  it.each([["garbage", "not-a-cursor!"], ["well-formed base64url", "AAAA"], ["a cursor without an id", Buffer.from("2024-01-01T12:00:00.000Z|").toString("base64url")]])(
    "answers %s as a cursor with 422 INVALID_CURSOR",
    async (_name, cursor) => {
      const response = await fetch(`${app.url}/api/comparisons?cursor=${encodeURIComponent(cursor)}`);
      expect(response.status).toBe(422);
      const body = (await response.json()) as { error: { code: string; message: string; field?: string } };
      expect(body.error.code).toBe("INVALID_CURSOR");
      expect(body.error.field).toBe("cursor");
      expect(body.error.message.length).toBeGreaterThan(10);
    },
  );

  it("shows 20 on the home page and the rest behind the Older comparisons link", async () => {
    const total = await app.testDb.db.comparison.count();
    expect(total).toBeGreaterThan(20);
    const page = await openHome();
    const list = page.getByTestId("recent-comparisons").locator("li");
    expect(await list.count()).toBe(20);
    const first = await list.locator(".recent-id").allTextContents();
    const older = page.getByTestId("older-comparisons");
    expect(await older.getAttribute("href")).toMatch(/^\/\?before=[A-Za-z0-9_-]+/);
    await page.screenshot({ path: path.join(OUTPUT_DIR, "home-desktop.png"), fullPage: true });

    await older.click();
    await page.waitForURL(/\?before=/);
    await page.getByRole("heading", { name: "Older comparisons" }).waitFor();
    const rest = await page.getByTestId("recent-comparisons").locator("li .recent-id").allTextContents();
    expect(rest).toHaveLength(total - 20);
    expect(rest.filter((id) => first.includes(id))).toEqual([]);
    expect(await page.getByTestId("older-comparisons").count()).toBe(0);
    expect(await page.getByTestId("newest-comparisons").count()).toBe(1);
    await page.close();
  });

  it("shows the newest page, with a note, for a broken page link", async () => {
    const page = await browser.newPage();
    const response = await page.goto(`${app.url}/?before=broken`);
    expect(response?.status()).toBe(200);
    await page.getByTestId("invalid-cursor").waitFor();
    expect(await page.getByTestId("recent-comparisons").locator("li").count()).toBe(20);
    await page.close();
  });

  it("fits a phone screen", async () => {
    for (const width of [390, 360]) {
      const page = await openHome(width, 844);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `horizontal overflow at ${width}px`).toBeLessThanOrEqual(0);
      const button = (await page.getByTestId("submit-button").boundingBox())!;
      expect(button.x + button.width).toBeLessThanOrEqual(width);
      if (width === 390) await page.screenshot({ path: path.join(OUTPUT_DIR, "home-phone.png"), fullPage: true });
      await page.close();
    }
  });
});

describe("paging through a repository's history", () => {
  const REPO = "https://example.com/paged/history";
  const ids = Array.from({ length: 57 }, (_, i) => `paged${String(i).padStart(5, "0")}`);

  beforeAll(async () => {
    const at = (i: number) => new Date(Date.UTC(2026, 9, 1, 0, i));
    await app.testDb.db.comparison.createMany({ data: ids.map((id, i) => ({ id, repo: REPO, status: i % 5 === 0 ? "failed" : "succeeded", createdAt: at(i) })) });
  });
  afterAll(async () => {
    await app.testDb.db.comparison.deleteMany({ where: { repo: REPO } });
  });

  it("lists a page of them first and the rest behind Older comparisons, page by page", async () => {
    const newestFirst = [...ids].reverse();
    const page = await browser.newPage();
    await page.goto(`${app.url}/r/example.com/paged/history`);
    const rows = () => page.getByTestId("history-list").locator('a[href^="/c/"]').allTextContents();
    expect(await rows()).toEqual(newestFirst.slice(0, HISTORY_PAGE));
    expect(await page.getByTestId("history-newest").count()).toBe(0);
    const seen = await rows();
    while ((await page.getByTestId("history-older").count()) > 0) {
      const from = page.url();
      await page.getByTestId("history-older").click();
      await page.waitForURL((url) => url.href !== from);
      await page.getByTestId("history-newest").waitFor();
      expect(await page.getByTestId("history-chart").count()).toBe(0);
      const older = await rows();
      expect(older.length).toBeGreaterThan(0);
      seen.push(...older);
    }
    // Every comparison once, in order, over as many pages as it takes.
    expect(seen).toEqual(newestFirst);
    // The last row of the first page compares with the next older finished one, on the second page.
    await page.goto(`${app.url}/r/example.com/paged/history`);
    const lastCompare = page.getByTestId("history-list").locator("li").nth(HISTORY_PAGE - 1).getByTestId("history-compare");
    const previousFinished = [...ids.entries()].filter(([i]) => i < ids.length - HISTORY_PAGE && i % 5 !== 0).at(-1)![1];
    expect(await lastCompare.getAttribute("href")).toBe(`/compare/${previousFinished}/${newestFirst[HISTORY_PAGE - 1]}`);
    await page.close();
  });

  it("shows the newest page, with a note, for a broken page link", async () => {
    const page = await browser.newPage();
    const response = await page.goto(`${app.url}/r/example.com/paged/history?before=broken`);
    expect(response?.status()).toBe(200);
    await page.getByTestId("invalid-cursor").waitFor();
    expect(await page.getByTestId("history-list").locator("li").count()).toBe(HISTORY_PAGE);
    await page.close();
  });
});

describe("the Docker Engine banner", () => {
  it("is not shown while a worker reports an engine that answers", async () => {
    // This server runs no worker (submissions stay queued for the form's tests); a live
    // worker's report is a Worker row with a fresh heartbeat, which is all the page reads.
    await app.testDb.db.worker.create({
      data: { id: "home-test-worker", engineId: "E", engineHost: "/var/run/docker.sock", engineVersion: "20.10", heartbeatAt: new Date() },
    });
    await new Promise((resolve) => setTimeout(resolve, 5100)); // the page remembers the last answer for 5 s
    const page = await openHome();
    await page.getByTestId("submit-form").waitFor();
    expect(await page.getByTestId("engine-banner").count()).toBe(0);
    await page.close();
  });

  it("says why and how to start the engine when it does not answer", async () => {
    const down = await startAppServer({ DOCKER_HOST: "unix:///nonexistent/slimstage-docker.sock" });
    try {
      const page = await browser.newPage();
      await page.goto(down.url);
      const banner = page.getByTestId("engine-banner");
      await banner.waitFor();
      const text = (await banner.textContent()) ?? "";
      expect(text).toContain("bash scripts/engine.sh");
      expect(await page.getByTestId("engine-banner-reason").textContent()).toContain("/nonexistent/slimstage-docker.sock");
      // Above everything else, and the form still works below it.
      const bannerBox = (await banner.boundingBox())!;
      const formBox = (await page.getByTestId("submit-form").boundingBox())!;
      expect(bannerBox.y).toBeLessThan(formBox.y);
      await page.setViewportSize({ width: 390, height: 844 });
      await page.screenshot({ path: path.join(OUTPUT_DIR, "home-engine-down-phone.png"), fullPage: true });
      await page.close();
    } finally {
      await down.stop();
    }
  });
});
