// "Why is it this big?" in a real browser on a real comparison (example:loadlocation on
// the offline stand-ins): the comparison's JSON carries only a summary and the analysis
// has its own endpoint; the disclosure is closed and its code (recharts' Treemap) is not
// in the page's first load; opened, the single-stage image shows its Go toolchain in the
// tree, its build-only bytes and dive's figures, a search finds a path and shows it in
// the tree; the scratch image shows its binary's modules and a sortable package table.
// Empty states for a variant measured before this version and one without a Go binary.
// Screenshots at 1280 and 390 px wide, with no sideways scroll on the phone.
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ComparisonView, VariantAnalysisView } from "@/lib/comparisons/types";
import { formatBytes } from "@/lib/format";
import { searchTree } from "@/lib/measure/file-tree";
import { formatPercent } from "@/lib/views/analysis-text";
import { packageRows, sortPackages } from "@/lib/views/package-order";
import { startAppServer, type AppServer } from "./app-server";
import { launchBrowser, OUTPUT_DIR } from "./browser";
import { deleteAndWait, openAnalysis, phoneChecks, submitAndWait } from "./analysis-steps";
import { recordScripts, totalBytes } from "./script-loads";

let app: AppServer;
let browser: BrowserContext;
let id: string;
let managementToken: string;
let view: ComparisonView;
const analysisOf = async (key: string) => (await (await fetch(`${app.url}/api/comparisons/${id}/variants/${key}/analysis`)).json()) as VariantAnalysisView;

beforeAll(async () => {
  await mkdir(OUTPUT_DIR, { recursive: true });
  app = await startAppServer({ SLIMSTAGE_BASE_PROFILE: "offline" });
  browser = await launchBrowser();
  ({ id, managementToken, view } = await submitAndWait(app, "example:loadlocation"));
});
afterAll(async () => {
  await browser?.close();
  if (app && id) await deleteAndWait(app, id, managementToken);
  await app?.stop();
});

describe("the analysis API", () => {
  it("keeps the tree out of the comparison's JSON and serves it on its own", async () => {
    const text = await (await fetch(`${app.url}/api/comparisons/${id}`)).text();
    expect(text).toContain('"analysisSummary"');
    expect(text).not.toContain('"children"');
    const single = view.variants.find((v) => v.key === "single")!;
    expect(single.analysisSummary?.buildOnly.goToolchain).toBeGreaterThan(100e6);
    const analysis = await analysisOf("single");
    expect(JSON.stringify(analysis.tree)).toMatch(/"\/usr\/(local\/go|lib\/go-1\.23)"/);
    for (const [url, code] of [
      [`/api/comparisons/${id}/variants/nosuchkey/analysis`, "VARIANT_NOT_FOUND"],
      // A variant that was skipped has no analysis either.
      [`/api/comparisons/${id}/variants/alpine/analysis`, "ANALYSIS_NOT_FOUND"],
      [`/api/comparisons/zzzzzzzzzz/variants/single/analysis`, "NOT_FOUND"],
      [`/api/comparisons/${id}/variants/distroless/analysis`, "ANALYSIS_NOT_FOUND"],
    ]) {
      const response = await fetch(`${app.url}${url}`);
      expect(response.status, url).toBe(404);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe(code);
    }
  });
});

describe("Why is it this big?", () => {
  it("loads nothing until opened, then shows the single-stage image's files", async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(String(error)));
    const scripts = recordScripts(page);
    await page.goto(`${app.url}/c/${id}`, { waitUntil: "networkidle" });
    await scripts.settled();
    const firstLoad = scripts.all();
    expect(firstLoad.length).toBeGreaterThan(0);
    expect(firstLoad.filter((s) => s.text.includes("recharts-treemap")).map((s) => s.url)).toEqual([]);
    const why = page.getByTestId("why-big-single");
    expect(await why.evaluate((el) => (el as HTMLDetailsElement).open)).toBe(false);
    expect(await page.getByTestId("analysis-single").count()).toBe(0);

    const analysis = await analysisOf("single");
    const panel = await openAnalysis(page, "single");
    await scripts.settled();
    const later = scripts.all().slice(firstLoad.length);
    expect(later.some((s) => s.text.includes("recharts-treemap"))).toBe(true);
    console.log(`first load ${firstLoad.length} scripts, ${formatBytes(totalBytes(firstLoad))}; opening loaded ${later.length}, ${formatBytes(totalBytes(later))}`);

    expect(await panel.getByTestId("build-only").textContent()).toContain(`${formatBytes(analysis.buildOnly.total)} of it is only for building: Go toolchain ${formatBytes(analysis.buildOnly.goToolchain)}`);
    expect(await panel.getByTestId("efficiency").textContent()).toContain(formatPercent(analysis.efficiency.efficiency));

    // The tree by keyboard: /usr opens, then the Go toolchain's folder is there.
    const tree = panel.getByTestId("file-tree");
    const toolchain = JSON.stringify(analysis.tree).includes('"/usr/local/go"') ? ["/usr/local", "/usr/local/go"] : ["/usr/lib", "/usr/lib/go-1.23"];
    const row = (p: string) => tree.locator(`[data-path="${p}"]`);
    await row("/usr").click();
    expect(await row("/usr").getAttribute("aria-expanded")).toBe("true");
    await row(toolchain[0]).focus();
    await page.keyboard.press("ArrowRight");
    await row(toolchain[1]).waitFor();
    expect(await row(toolchain[1]).textContent()).toMatch(/\d+(\.\d)? MB/);
    await page.keyboard.press("ArrowLeft");
    expect(await row(toolchain[0]).getAttribute("aria-expanded")).toBe("false");

    // Search: the largest match first, as the server's rule finds it; choosing it shows it in the tree.
    const want = searchTree(analysis.tree, "bin/go").matches[0];
    expect(want).toBeDefined();
    await panel.getByTestId("file-search").fill("bin/go");
    const first = panel.getByTestId("search-results").getByRole("button").first();
    expect(await first.textContent()).toBe(`${want.path}${want.dir ? "/" : ""}${formatBytes(want.bytes)}`);
    await first.click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("data-path"))).toBe(want.path);

    const treemap = panel.getByTestId("files-treemap-single");
    expect(await treemap.locator("[data-tile]").count()).toBeGreaterThan(1);
    // A tile inside /usr opens /usr.
    await treemap.locator('[data-tile="/usr/lib"]').click();
    await expect.poll(() => treemap.locator("[aria-current=location]").textContent()).toBe("usr");
    await page.getByTestId("variant-single").screenshot({ path: path.join(OUTPUT_DIR, "analysis-single-1280.png") });
    expect(errors).toEqual([]);
    await page.close();
  });

  it("shows the scratch image's Go binary: modules with versions, a sortable package table", async () => {
    const page = await browser.newPage();
    await page.goto(`${app.url}/c/${id}`);
    const binary = (await analysisOf("scratch")).binary!;
    expect(binary).not.toBeNull();
    const panel = await openAnalysis(page, "scratch");
    const modules = await panel.getByTestId("modules").locator("tbody tr").allTextContents();
    expect(modules.length).toBe(binary.modules.length);
    for (const m of binary.modules) expect(modules.some((r) => r.startsWith(`${m.path}${m.version || "—"}`))).toBe(true);
    expect(modules.join(" ")).toContain(binary.mainModule!.path);
    // The treemap shows packages inside their modules; the legend opens a module by keyboard.
    const treemap = panel.getByTestId("binary-treemap-scratch");
    expect(await treemap.locator('[data-tile][data-depth="2"]').count()).toBeGreaterThan(1);
    await treemap.getByRole("button", { name: /^std, .*: open$/ }).focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => treemap.locator("[aria-current=location]").textContent()).toBe("std");
    expect(await treemap.locator('[data-tile="std runtime"]').count()).toBe(1);

    const table = panel.getByTestId("packages-scratch");
    const firstColumn = () => table.locator("tbody td:first-child").allTextContents();
    const rows = packageRows(binary.packages, binary.modules);
    expect((await firstColumn())[0]).toBe(rows[0].path);
    const header = table.locator("th", { has: page.getByRole("button", { name: "Package", exact: true }) });
    await header.getByRole("button").click();
    expect(await header.getAttribute("aria-sort")).toBe("ascending");
    expect((await firstColumn()).slice(0, 5)).toEqual(sortPackages(rows, { column: "path", direction: "ascending" }).slice(0, 5).map((p) => p.path));
    await header.getByRole("button").click();
    expect(await header.getAttribute("aria-sort")).toBe("descending");
    await page.getByTestId("variant-scratch").screenshot({ path: path.join(OUTPUT_DIR, "analysis-scratch-1280.png") });
    await page.close();
  });

  it("says what is missing, and fits a phone", async () => {
    const page = await browser.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${app.url}/c/${id}`);
    const old = await openAnalysis(page, "distroless", false);
    expect(await old.textContent()).toContain("measured before this version");
    const noBinary = await openAnalysis(page, "scratch-naive");
    expect(await noBinary.getByTestId("no-binary").textContent()).toBe("No Go binary found in the app's layers.");
    await phoneChecks(page, ["single", "scratch"], OUTPUT_DIR);
    await page.close();
  });
});
