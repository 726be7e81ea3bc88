// Cancel from the page: a comparison stopped mid-build ends "canceled", with no
// container of it left on the engine.
import { execFileSync } from "node:child_process";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGitServer, type GitServer } from "@/lib/testing/git-server";
import { slowBuild } from "@/lib/testing/go-fixtures";
import { startAppServer, type AppServer } from "./app-server";
import { launchBrowser } from "./browser";

/** Whether a process whose command line matches `pattern` runs on this machine. */
function buildStepRunning(pattern: string): boolean {
  try {
    execFileSync("pgrep", ["-f", pattern]);
    return true;
  } catch {
    return false; // pgrep exits 1 when nothing matches
  }
}

let app: AppServer;
let git: GitServer;
let slowRepo: string;
let browser: BrowserContext;

beforeAll(async () => {
  git = await startGitServer();
  // Its own Dockerfile builds for five minutes, whatever the caches hold: still running when canceled.
  slowRepo = (await git.createRepo("slow", slowBuild(300, `cancel-${Date.now()}`))).url;
  app = await startAppServer({ SLIMSTAGE_ALLOW_PRIVATE_HOSTS: "1" });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await git?.stop();
});

describe("the Cancel button", () => {
  it("stops a running comparison", async () => {
    const response = await fetch(`${app.url}/api/comparisons`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ repo: slowRepo, variants: ["scratch", "repo"] }),
    });
    const { id, managementToken } = (await response.json()) as { id: string; managementToken: string };
    // This browser is the submitter: it holds the comparison's cookie, as after the form.
    await browser.addCookies([{ name: `slimstage_owner_${id}`, value: managementToken, url: app.url, httpOnly: true, sameSite: "Strict" }]);
    const page = await browser.newPage();
    await page.goto(`${app.url}/c/${id}`);
    await expect
      .poll(async () => (await (await fetch(`${app.url}/api/comparisons/${id}`)).json()).variants?.some?.((v: { key: string; status: string }) => v.key === "repo" && v.status === "building"), {
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
    // The build's own step stopped too (BuildKit runs it outside any container docker ps lists).
    await expect.poll(() => buildStepRunning("tick .* of 300"), { timeout: 30_000, interval: 500 }).toBe(false);
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
