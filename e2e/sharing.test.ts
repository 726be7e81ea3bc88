// Sharing a comparison, against the production build with finished comparisons written
// straight into its database (no engine needed): the README badge, the Open Graph
// preview a chat app fetches, "Copy link", and a repository's history page with its chart.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newComparisonId } from "@/lib/comparisons/ids";
import type { Db } from "@/lib/db";
import { startAppServer, type AppServer } from "./app-server";
import { launchBrowser, OUTPUT_DIR } from "./browser";
import { showCharts } from "./charts";

let app: AppServer;
let browser: BrowserContext;

const REPO = "https://github.com/slimstage/loadlocation";
const HISTORY_PATH = "/r/github.com/slimstage/loadlocation";

interface SeedVariant {
  key: string;
  sizeBytes: number | null;
  verdict?: "works" | "fails";
}

async function insertComparison(
  db: Db,
  options: { repo: string; status: string; createdAt: Date; commit?: string; variants: SeedVariant[]; error?: string },
): Promise<string> {
  const id = newComparisonId();
  const finished = options.status === "succeeded" || options.status === "failed";
  await db.comparison.create({
    data: {
      id,
      repo: options.repo,
      status: options.status,
      phase: options.status === "running" ? "building" : null,
      commit: options.commit ?? null,
      module: "example.com/loadlocation",
      goVersion: "1.23",
      needsTzdata: true,
      createdAt: options.createdAt,
      startedAt: options.createdAt,
      finishedAt: finished ? new Date(options.createdAt.getTime() + 95_000) : null,
      ...(options.error ? { errorCode: "NOT_GO", errorMessage: options.error } : {}),
      variants: {
        create: options.variants.map((variant, position) => ({
          key: variant.key,
          position,
          naive: variant.key.endsWith("-naive"),
          status: variant.sizeBytes === null ? "building" : "built",
          dockerfile: `FROM scratch\n# ${variant.key}\n`,
          baseImages: JSON.stringify(variant.key === "single" ? ["slimstage/golang:1.23-local"] : ["scratch"]),
          imageId: variant.sizeBytes === null ? null : `sha256:${variant.key}${id}`,
          sizeBytes: variant.sizeBytes === null ? null : BigInt(variant.sizeBytes),
          compressedBytes: variant.sizeBytes === null ? null : BigInt(Math.round(variant.sizeBytes * 0.4)),
          buildSeconds: 12.5,
          runVerdict: variant.verdict ?? null,
          runExitCode: variant.verdict === "fails" ? 1 : variant.verdict === "works" ? 0 : null,
          runOutput: variant.verdict === "fails" ? "panic: unknown time zone Europe/Berlin" : variant.verdict ? "Berlin: 12:00" : null,
          runDiagnosis:
            variant.verdict === "fails"
              ? JSON.stringify({
                  code: "MISSING_ZONEINFO",
                  message: "The image has no time zone database.",
                  fix: "COPY --from=builder /usr/share/zoneinfo /usr/share/zoneinfo",
                })
              : null,
          layers:
            variant.sizeBytes === null
              ? undefined
              : { create: [{ index: 0, instruction: "COPY /out/app /app", sizeBytes: BigInt(variant.sizeBytes), fromBase: false }] },
        })),
      },
    },
  });
  return id;
}

const article = (single: number, naive: number, scratch: number, distroless: number): SeedVariant[] => [
  { key: "single", sizeBytes: single, verdict: "works" },
  { key: "scratch", sizeBytes: scratch, verdict: "works" },
  { key: "scratch-naive", sizeBytes: naive, verdict: "fails" },
  { key: "distroless", sizeBytes: distroless, verdict: "works" },
];

const ids = { oldest: "", middle: "", newest: "", running: "", failed: "", other: "", example: "" };

beforeAll(async () => {
  await mkdir(OUTPUT_DIR, { recursive: true });
  app = await startAppServer({ SLIMSTAGE_WORKER: "off" });
  browser = await launchBrowser();
  const db = app.testDb.db;
  const day = (n: number) => new Date(Date.UTC(2026, 10, n, 9, 30));
  ids.oldest = await insertComparison(db, { repo: REPO, status: "succeeded", createdAt: day(20), commit: "1a2b3c4d5e6f7a8b9c0d", variants: article(738e6, 1.52e6, 1.55e6, 3.2e6) });
  // Another spelling of the same repository: the history page lists it too.
  ids.middle = await insertComparison(db, { repo: `${REPO}.git`, status: "succeeded", createdAt: day(23), commit: "2b3c4d5e6f7a8b9c0d1e", variants: article(731e6, 1.47e6, 1.5e6, 3.1e6) });
  ids.newest = await insertComparison(db, { repo: REPO, status: "succeeded", createdAt: day(26), commit: "3c4d5e6f7a8b9c0d1e2f", variants: article(726e6, 1.45e6, 1.5e6, 3.05e6) });
  ids.running = await insertComparison(db, { repo: REPO, status: "running", createdAt: day(27), variants: [{ key: "single", sizeBytes: 726e6 }, { key: "scratch", sizeBytes: null }] });
  ids.failed = await insertComparison(db, { repo: "https://github.com/slimstage/not-go", status: "failed", createdAt: day(25), variants: [], error: "The repository has no go.mod." });
  ids.other = await insertComparison(db, { repo: "https://github.com/slimstage/other", status: "succeeded", createdAt: day(24), variants: article(700e6, 2e6, 2.1e6, 4e6) });
  ids.example = await insertComparison(db, { repo: "example:loadlocation", status: "succeeded", createdAt: day(22), variants: article(726e6, 1.45e6, 1.48e6, 3.05e6) });
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function openPage(url: string, width = 1280): Promise<Page> {
  const page = await browser.newPage();
  await page.setViewportSize({ width, height: width < 600 ? 844 : 900 });
  await page.goto(url);
  return page;
}

async function parsesAsSvg(svg: string): Promise<{ root: string; error: string | null }> {
  const page = await browser.newPage();
  try {
    return await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, "image/svg+xml");
      return { root: doc.documentElement.tagName, error: doc.querySelector("parsererror")?.textContent ?? null };
    }, svg);
  } finally {
    await page.close();
  }
}

describe("GET /c/<id>/badge.svg", () => {
  it.each([
    ["a finished comparison", () => ids.newest, 200, "1.5 MB · −99.8%", "public, max-age=300"],
    ["a running comparison", () => ids.running, 200, "building…", "public, max-age=10, must-revalidate"],
    ["a failed comparison", () => ids.failed, 200, "failed", "public, max-age=300"],
    ["an unknown id", () => "doesnotexist", 404, "not found", "no-cache"],
  ])("draws %s", async (_name, id, status, text, cacheControl) => {
    const response = await fetch(`${app.url}/c/${id()}/badge.svg`);
    expect(response.status).toBe(status);
    expect(response.headers.get("content-type")).toBe("image/svg+xml; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe(cacheControl);
    const svg = await response.text();
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toContain(`>${text}</text>`);
    expect(await parsesAsSvg(svg)).toEqual({ root: "svg", error: null });
    if (id() === ids.newest) await writeFile(path.join(OUTPUT_DIR, "badge.svg"), svg);
  });
});

describe("the Open Graph preview", () => {
  const meta = (html: string, attribute: "property" | "name", key: string) =>
    new RegExp(`<meta ${attribute}="${key}" content="([^"]*)"`).exec(html)?.[1]?.replace(/&amp;/g, "&");

  it("is a 1200x630 PNG named in the page's og:image, titled with the headline", async () => {
    const html = await (await fetch(`${app.url}/c/${ids.newest}`)).text();
    expect(meta(html, "property", "og:title")).toBe("726 MB → 1.5 MB, 99.8% smaller (484× smaller)");
    expect(meta(html, "name", "twitter:card")).toBe("summary_large_image");
    expect(meta(html, "name", "twitter:title")).toBe("726 MB → 1.5 MB, 99.8% smaller (484× smaller)");
    expect(meta(html, "property", "og:image:width")).toBe("1200");
    expect(meta(html, "property", "og:image:height")).toBe("630");
    const image = meta(html, "property", "og:image");
    // Absolute, on the address the page was asked for (not Next.js's localhost:3000 default).
    expect(image).toMatch(new RegExp(`^${app.url.replace(/\./g, "\\.")}/c/${ids.newest}/opengraph-image`));
    expect(meta(html, "name", "twitter:image")).toBe(image);

    const response = await fetch(image!);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/png");
    expect(response.headers.get("cache-control")).toBe("public, max-age=300");
    const png = Buffer.from(await response.arrayBuffer());
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.toString("ascii", 12, 16)).toBe("IHDR");
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1200, 630]);
    await writeFile(path.join(OUTPUT_DIR, "og-image.png"), png);
  });

  it("is drawn for a running comparison too, and not cached for long", async () => {
    const html = await (await fetch(`${app.url}/c/${ids.running}`)).text();
    expect(meta(html, "property", "og:title")).toBe("Building… (1 of 2 images built)");
    const response = await fetch(meta(html, "property", "og:image")!);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("public, max-age=10, must-revalidate");
    const png = Buffer.from(await response.arrayBuffer());
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1200, 630]);
    await writeFile(path.join(OUTPUT_DIR, "og-image-running.png"), png);
  });
});

describe("the comparison page's sharing row", () => {
  it("copies the link with the clipboard API", async () => {
    await browser.grantPermissions(["clipboard-read", "clipboard-write"], { origin: app.url });
    const page = await openPage(`${app.url}/c/${ids.newest}`);
    await page.getByRole("button", { name: "Copy link" }).click();
    await expect.poll(() => page.getByRole("status").filter({ hasText: "copied" }).textContent()).toBe("Link copied");
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${app.url}/c/${ids.newest}`);

    await page.getByRole("button", { name: "Copy badge Markdown" }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(
      `[![image size](${app.url}/c/${ids.newest}/badge.svg)](${app.url}/c/${ids.newest})`,
    );
    await showCharts(page);
    await page.screenshot({ path: path.join(OUTPUT_DIR, "sharing-comparison-1280.png"), fullPage: true });
    await page.close();
  });

  it("shows the link selected where there is no clipboard API", async () => {
    const page = await browser.newPage();
    await page.addInitScript(() => Object.defineProperty(navigator, "clipboard", { value: undefined }));
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${app.url}/c/${ids.newest}`);
    await page.getByRole("button", { name: "Copy link" }).click();
    const field = page.getByTestId("share-fallback");
    await expect.poll(() => field.inputValue()).toBe(`${app.url}/c/${ids.newest}`);
    const selection = await field.evaluate((input: HTMLInputElement) => [input.selectionStart, input.selectionEnd, input.value.length]);
    expect(selection).toEqual([0, selection[2], selection[2]]);
    expect(await field.evaluate((input) => input === document.activeElement)).toBe(true);
    await showCharts(page);
    await page.screenshot({ path: path.join(OUTPUT_DIR, "sharing-comparison-390.png"), fullPage: true });
    await page.close();
  });
});

describe("a repository's history, /r/<repo>", () => {
  it("is linked from the comparison page and charts one line per variant", async () => {
    const page = await openPage(`${app.url}/c/${ids.newest}`);
    await page.getByTestId("history-link").click();
    await page.waitForURL(`${app.url}${HISTORY_PATH}`);
    expect(await page.getByTestId("history-repo").textContent()).toBe(REPO);

    const chart = page.getByTestId("history-chart");
    await chart.scrollIntoViewIfNeeded();
    await expect.poll(() => chart.locator("path.recharts-line-curve").count(), { timeout: 10_000 }).toBe(4);
    const legend = await chart.locator(".recharts-legend-item-text").allTextContents();
    expect(legend).toEqual(["single", "scratch", "scratch-naive", "distroless"]);
    // Three finished comparisons with four sizes each, plus the running one's single size:
    // the lines' dots (the cursor, still where the link was clicked, may be over the chart,
    // whose plot came after the page, and a point under it has an active dot too).
    expect(await chart.locator(".recharts-line-dots").getByTestId("history-point").count()).toBe(13);

    // Newest first, every comparison of the repository (both spellings), no other repository's.
    const links = await page.getByTestId("history-list").locator('a[href^="/c/"]').evaluateAll((anchors) =>
      anchors.map((a) => a.getAttribute("href")),
    );
    expect(links).toEqual([ids.running, ids.newest, ids.middle, ids.oldest].map((id) => `/c/${id}`));
    expect(await page.getByTestId("history-list").textContent()).toContain("726 MB → 1.5 MB, 99.8% smaller");

    // The cursor away from the chart (its plot came after the page, under the cursor
    // left where the link was clicked), so the picture has no tooltip.
    await page.mouse.move(0, 0);
    await page.screenshot({ path: path.join(OUTPUT_DIR, "history-1280.png"), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    // Nothing sticks out sideways on a phone (once the chart has followed the new width).
    await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await chart.locator("path.recharts-line-curve").count()).toBe(4);
    await page.screenshot({ path: path.join(OUTPUT_DIR, "history-390.png"), fullPage: true });

    // A point is a link to its comparison.
    await page.setViewportSize({ width: 1280, height: 900 });
    const oldestPoint = chart.locator(`a[href="/c/${ids.oldest}"]`).first();
    // recharts draws the point under the pointer again, on top (its active dot, the same
    // link): the pointer arrives, then clicks what is under it.
    await oldestPoint.hover({ force: true });
    await chart.locator(`.recharts-active-dot a[href="/c/${ids.oldest}"]`).first().click();
    await page.waitForURL(`${app.url}/c/${ids.oldest}`);
    await page.close();
  });

  it("takes the example form of a repository", async () => {
    const page = await openPage(`${app.url}/c/${ids.example}`);
    expect(await page.getByTestId("history-link").getAttribute("href")).toBe("/r/example:loadlocation");
    await page.goto(`${app.url}/r/example:loadlocation`);
    expect(await page.getByTestId("history-list").locator("a").first().getAttribute("href")).toBe(`/c/${ids.example}`);
    await page.close();
  });

  it("fetches the chart's points with its plot, not in the page", async () => {
    const html = await (await fetch(`${app.url}${HISTORY_PATH}`)).text();
    expect(html).toContain("Image size per variant over 4 comparisons, oldest first: single, scratch, scratch-naive, distroless");
    // The points (each with its sizes) are not in the page's payload.
    expect(html).not.toMatch(/sizes\\*":\{/);

    const response = await fetch(`${app.url}/api/repositories/history?repo=${encodeURIComponent(`${REPO}.git`)}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const series = (await response.json()) as { points: { id: string }[]; lines: { key: string }[] };
    expect(series.points.map((point) => point.id)).toEqual([ids.oldest, ids.middle, ids.newest, ids.running]);
    expect(series.lines.map((line) => line.key)).toEqual(["single", "scratch", "scratch-naive", "distroless"]);
  });

  it.each([
    ["an unknown repository", "repo=https%3A%2F%2Fgithub.com%2Fnobody%2Fnothing", 404, "NOT_FOUND"],
    ["no repository", "", 400, "INVALID_QUERY"],
    ["a value that names no repository", "repo=github.com%2Fowner", 400, "INVALID_QUERY"],
  ])("answers %s for the chart's points with its error", async (_name, query, status, code) => {
    const response = await fetch(`${app.url}/api/repositories/history?${query}`);
    expect(response.status).toBe(status);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(code);
  });

  it("keeps the plot's place and says so when the points cannot be fetched", async () => {
    const page = await browser.newPage();
    await page.route(/\/api\/repositories\/history\?/, (route) => route.fulfill({ status: 503, body: "" }));
    await page.goto(`${app.url}${HISTORY_PATH}`);
    const chart = page.getByTestId("history-chart");
    const box = chart.locator("[data-plot]");
    const before = await box.boundingBox();
    await chart.scrollIntoViewIfNeeded();
    await chart.locator("button").hover();
    await expect.poll(() => chart.getByTestId("history-chart-failed").count(), { timeout: 10_000 }).toBe(1);
    expect((await box.boundingBox())?.height).toBe(before?.height);
    await page.close();
  });

  it("says so when a repository has no comparisons", async () => {
    const response = await fetch(`${app.url}/r/github.com/nobody/nothing`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('data-testid="history-empty"');
  });
});

describe("addresses that name nothing", () => {
  it.each([["/c/doesnotexist"], ["/c/doesnotexist/opengraph-image"], ["/r/not-a-repository"]])("%s is a 404", async (url) => {
    expect((await fetch(`${app.url}${url}`)).status).toBe(404);
  });
});

describe("screenshots of the comparison page", () => {
  it.each([[1280], [390]])("at %i px", async (width) => {
    const page = await openPage(`${app.url}/c/${ids.newest}`, width);
    // The plots load as they come into view (below the first screen on a phone).
    await showCharts(page);
    await page.getByTestId("size-chart").locator(".recharts-bar-rectangle").first().waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    await page.screenshot({ path: path.join(OUTPUT_DIR, `comparison-shared-${width}.png`), fullPage: true });
    await page.close();
  });
});
