// "Make it smaller, proven" through the app: a loadlocation comparison submitted to the
// web process, built by its worker, then its advice — GET /api/comparisons/<id>/advice
// with every step, the budget that names the proven steps that would bring an image under
// it, and the page /c/<id>/smaller in Chromium: the waterfall, a patch to copy, at 1280
// and 390 px. A second submission, from the home page's form with its advice box unticked,
// gets none; and the browser that submitted a comparison stops its advice from that page.
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newComparisonId } from "@/lib/comparisons/ids";
import { newManagementToken, ownerCookieName } from "@/lib/comparisons/owners";
import { startAppServer, type AppServer } from "./app-server";
import { launchBrowser, OUTPUT_DIR } from "./browser";

interface AdviceAnswer {
  comparisonStatus: string;
  status: string | null;
  error: string | null;
  smallest: { key: string; sizeBytes: number } | null;
  summary: { limitBytes: number | null } | null;
  steps: Array<{
    key: string;
    status: string;
    works: boolean | null;
    sizeBytes: number | null;
    compressedBytes: number | null;
    patch: string | null;
    diagnosis: { code: string } | null;
    reason: string | null;
    cost?: { startMs: number | null; memoryBytes: number | null; without: { key: string; memoryBytes: number | null } };
  }>;
}

let app: AppServer;
let browser: BrowserContext;
let id = "";

const getJson = async <T,>(url: string): Promise<{ status: number; json: T }> => {
  const response = await fetch(`${app.url}${url}`);
  return { status: response.status, json: (await response.json()) as T };
};

async function submit(body: object): Promise<string> {
  const response = await fetch(`${app.url}/api/comparisons`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

async function adviceOf(comparisonId: string, until: (answer: AdviceAnswer) => boolean): Promise<AdviceAnswer> {
  for (let i = 0; i < 600; i++) {
    const { json } = await getJson<AdviceAnswer>(`/api/comparisons/${comparisonId}/advice`);
    if (until(json)) return json;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  throw new Error(`the advice of ${comparisonId} did not finish`);
}

beforeAll(async () => {
  await mkdir(OUTPUT_DIR, { recursive: true });
  app = await startAppServer();
  browser = await launchBrowser();
  id = await submit({ repo: "example:loadlocation", variants: ["single", "scratch"] });
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe("advice", () => {
  it("GET /advice: every step with its bytes, whether it works and its patch", async () => {
    const advice = await adviceOf(id, (a) => a.status !== null && !["queued", "running"].includes(a.status));
    expect(advice.error).toBeNull();
    expect(advice.status).toBe("done");
    const byKey = Object.fromEntries(advice.steps.map((s) => [s.key, s]));
    expect(byKey.timetzdata).toMatchObject({ status: "works", works: true });
    expect(byKey.timetzdata.compressedBytes).toBeGreaterThan(0);
    expect(byKey.timetzdata.patch).toContain("+++ b/Dockerfile");
    expect(byKey["no-zoneinfo"]).toMatchObject({ status: "breaks", works: false, diagnosis: { code: "MISSING_ZONEINFO" } });
    expect(advice.smallest!.sizeBytes).toBeLessThanOrEqual(advice.summary!.limitBytes!);
    // UPX's cost beside its saving, measured: both run checks' peak memory.
    if (byKey.upx.status === "works") {
      expect(byKey.upx.cost, byKey.upx.reason ?? "").toMatchObject({ memoryBytes: expect.any(Number), without: { memoryBytes: expect.any(Number) } });
      expect(byKey.upx.cost!.memoryBytes).toBeGreaterThan(0);
    }

    const missing = await getJson<{ error: { code: string } }>("/api/comparisons/nosuchid00/advice");
    expect([missing.status, missing.json.error.code]).toEqual([404, "NOT_FOUND"]);
  });

  it("the budget names the proven steps that would bring the image under it", async () => {
    const advice = await adviceOf(id, (a) => a.status === "done");
    const limit = advice.smallest!.sizeBytes + 1;
    const { status, json } = await getJson<{ ok: boolean; advice?: { fits: boolean; steps: Array<{ key: string }> }; error: { message: string } }>(
      `/api/comparisons/${id}/budget?maxBytes=${limit}&variant=scratch`,
    );
    expect(status).toBe(422);
    expect(json.advice?.fits).toBe(true);
    expect(json.advice?.steps.at(-1)?.key).toBe(advice.smallest!.key);
    expect(json.error.message).toContain("would bring it under");
  });

  it("the page shows the waterfall and a copyable patch, and fits 390 px", async () => {
    const page = await browser.newPage();
    await page.goto(`${app.url}/c/${id}`);
    await page.getByTestId("advice-link").getByRole("link").click();
    await page.waitForURL(`**/c/${id}/smaller`);
    await page.getByTestId("waterfall").locator("svg .recharts-bar-rectangle").first().waitFor();
    expect(await page.getByTestId("advice-headline").textContent()).toMatch(/smaller, proven/);
    const step = page.getByTestId("advice-step-timetzdata");
    expect(await step.getByTestId("step-verdict").textContent()).toBe("works — kept");
    const patch = step.getByTestId("step-patch");
    expect(await patch.getByTestId("patch-text").textContent()).toContain("-COPY --from=builder /usr/share/zoneinfo");
    expect(await page.getByTestId("advice-step-no-zoneinfo").getByTestId("step-diagnosis").textContent()).toContain("MISSING_ZONEINFO");
    const upx = page.getByTestId("advice-step-upx");
    if ((await upx.getByTestId("step-verdict").textContent()) === "works — kept") {
      expect(await upx.getByTestId("step-memory").textContent()).toMatch(/^peak memory [\d.]+ [kM]B \(without: [\d.]+ [kM]B\)$/);
    }
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: app.url });
    await patch.getByTestId("copy-patch").click();
    await expect.poll(() => patch.getByRole("status").textContent()).toMatch(/Copied|Selected/);
    await page.screenshot({ path: path.join(OUTPUT_DIR, "advice-1280.png"), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    // The charts take the new width when their resize observer fires.
    await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: path.join(OUTPUT_DIR, "advice-390.png"), fullPage: true });
    await page.close();
  });

  it("the form's checkbox turns the advice off for that submission: none runs, and the page says so", async () => {
    const page = await browser.newPage();
    await page.goto(app.url);
    const box = page.getByTestId("submit-advice");
    expect(await box.isChecked()).toBe(true);
    await page.getByLabel("Repository URL").fill("example:hello");
    await page.getByLabel("Make it smaller, proven — after the comparison").uncheck();
    await expect.poll(() => box.isChecked()).toBe(false);
    await page.screenshot({ path: path.join(OUTPUT_DIR, "advice-off-form-1280.png") });
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: path.join(OUTPUT_DIR, "advice-off-form-390.png"), fullPage: true });
    const sent = page.waitForRequest((request) => request.method() === "POST" && request.url().endsWith("/api/comparisons"));
    await page.getByTestId("submit-button").click();
    expect(JSON.parse((await sent).postData() ?? "{}")).toMatchObject({ repo: "example:hello", advice: false });
    await page.waitForURL(/\/c\/[A-Za-z0-9]{10}$/);
    const off = page.url().split("/").pop()!;
    // Still off once the comparison has finished: no advice ran after it.
    const advice = await adviceOf(off, (a) => a.comparisonStatus === "succeeded");
    expect([advice.status, advice.steps]).toEqual(["off", []]);
    await page.getByTestId("advice-link").getByRole("link").click();
    await page.waitForURL(`**/c/${off}/smaller`);
    expect(await page.getByTestId("advice-status").textContent()).toContain("turned off for this comparison");
    await page.screenshot({ path: path.join(OUTPUT_DIR, "advice-off-390.png"), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: path.join(OUTPUT_DIR, "advice-off-1280.png"), fullPage: true });
    await page.close();
  });

  it("the browser that submitted a succeeded comparison can stop its advice; others see no button", async () => {
    const seeded = newComparisonId();
    const { token, hash } = newManagementToken();
    await app.testDb.db.comparison.create({ data: { id: seeded, repo: "example:hello", status: "succeeded", adviceStatus: "queued", ownerTokenHash: hash } });
    const stranger = await browser.newPage();
    await stranger.goto(`${app.url}/c/${seeded}/smaller`);
    expect(await stranger.getByTestId("advice-status").textContent()).toContain("Waiting for the worker");
    expect(await stranger.getByTestId("stop-advice").count()).toBe(0);
    await stranger.close();

    await browser.addCookies([{ name: ownerCookieName(seeded), value: token, url: app.url }]);
    const page = await browser.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${app.url}/c/${seeded}/smaller`);
    const stop = page.getByTestId("stop-advice");
    await expect.poll(() => stop.isEnabled()).toBe(true);
    await page.screenshot({ path: path.join(OUTPUT_DIR, "advice-stop-390.png"), fullPage: true });
    await stop.click();
    await expect.poll(() => page.getByTestId("advice-status").textContent()).toContain("canceled by the comparison's owner");
    expect(await page.getByTestId("stop-advice").count()).toBe(0);
    expect(await app.testDb.db.comparison.findUniqueOrThrow({ where: { id: seeded } })).toMatchObject({ status: "succeeded", adviceStatus: "canceled" });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: path.join(OUTPUT_DIR, "advice-stopped-1280.png"), fullPage: true });
    await page.close();
  });
});
