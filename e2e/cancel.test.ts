// Cancel from the page: a comparison stopped mid-build ends "canceled", with no
// container of it left on the engine.
import { execFileSync } from "node:child_process";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "./app-server";
import { launchBrowser } from "./browser";

let app: AppServer;
let browser: BrowserContext;

beforeAll(async () => {
  // A build argument no earlier build used defeats the cache, so the build takes a while.
  app = await startAppServer({ SLIMSTAGE_GOPRIVATE: `cancel-${Date.now()}` });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe("the Cancel button", () => {
  it("stops a running comparison", async () => {
    const response = await fetch(`${app.url}/api/comparisons`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ repo: "example:hello", variants: ["single", "scratch"] }),
    });
    const { id, managementToken } = (await response.json()) as { id: string; managementToken: string };
    // This browser is the submitter: it holds the comparison's cookie, as after the form.
    await browser.addCookies([{ name: `slimstage_owner_${id}`, value: managementToken, url: app.url, httpOnly: true, sameSite: "Strict" }]);
    const page = await browser.newPage();
    await page.goto(`${app.url}/c/${id}`);
    await expect
      .poll(async () => (await (await fetch(`${app.url}/api/comparisons/${id}`)).json()).variants?.some?.((v: { status: string }) => v.status === "building"), {
        timeout: 120_000,
        interval: 500,
      })
      .toBe(true);
    await page.getByTestId("cancel").click();
    await expect.poll(async () => (await page.getByTestId("status").textContent())?.trim(), { timeout: 60_000 }).toBe("canceled");
    await expect.poll(() => page.getByTestId("cancel").count()).toBe(0);
    // Finished, the owner may delete it instead.
    expect(await page.getByTestId("delete").count()).toBe(1);
    const containers = execFileSync("docker", ["ps", "-aq", "--filter", `label=org.slimstage.comparison=${id}`]).toString().trim();
    expect(containers).toBe("");
    await page.close();
  });

  it("is not shown to a visitor without the comparison's token", async () => {
    const response = await fetch(`${app.url}/api/comparisons`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ repo: "example:hello", variants: ["scratch"] }),
    });
    const { id, managementToken } = (await response.json()) as { id: string; managementToken: string };
    const visitor = await launchBrowser();
    try {
      const page = await visitor.newPage();
      await page.goto(`${app.url}/c/${id}`);
      await page.getByTestId("status").waitFor();
      expect(await page.getByTestId("cancel").count()).toBe(0);
      expect(await page.getByTestId("delete").count()).toBe(0);
    } finally {
      await visitor.close();
      await fetch(`${app.url}/api/comparisons/${id}/cancel`, { method: "POST", headers: { authorization: `Bearer ${managementToken}` } });
    }
  });
});
