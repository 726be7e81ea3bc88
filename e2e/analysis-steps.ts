// Steps of e2e/analysis.test.ts: submit a comparison through the API and wait for it,
// with two variants made to look like what older or odd builds leave (no analysis; an
// analysis without a Go binary) before any page is rendered and kept by the response
// cache; open a variant's "Why is it this big?"; the phone-width checks; deleting the
// comparison afterwards, so that the worker removes its images from the engine.
import path from "node:path";
import type { Locator, Page } from "playwright-core";
import { expect } from "vitest";
import { isTerminal, type ComparisonView } from "@/lib/comparisons/types";
import type { AppServer } from "./app-server";
import { horizontalOverflow } from "./script-loads";

export interface Submitted {
  id: string;
  managementToken: string;
  view: ComparisonView;
}

export async function submitAndWait(app: AppServer, repo: string): Promise<Submitted> {
  const created = await fetch(`${app.url}/api/comparisons`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ repo }),
  });
  expect(created.status, await created.clone().text()).toBe(201);
  const { id, managementToken } = (await created.json()) as { id: string; managementToken: string };
  // A query string skips the response cache, so the last answer is the database's.
  const read = async () => (await (await fetch(`${app.url}/api/comparisons/${id}?t=${Date.now()}`)).json()) as ComparisonView;
  const deadline = Date.now() + 12 * 60_000;
  let view = await read();
  while (!isTerminal(view.status)) {
    if (Date.now() > deadline) throw new Error(`comparison ${id} still ${view.status}:\n${app.output().slice(-3000)}`);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    view = await read();
  }
  expect(view.status, JSON.stringify(view.error)).toBe("succeeded");
  const built = view.variants.filter((v) => v.status === "built").map((v) => v.key);
  expect(built).toEqual(expect.arrayContaining(["single", "scratch", "scratch-naive", "distroless"]));

  const { db } = app.testDb;
  const row = (key: string) => db.variant.findUniqueOrThrow({ where: { comparisonId_key: { comparisonId: id, key } } });
  // The analysis and its summary column go together, as the worker writes them.
  await db.variant.update({ where: { id: (await row("distroless")).id }, data: { analysis: null, analysisSummary: null } });
  const naive = await row("scratch-naive");
  const analysis: unknown = JSON.parse(naive.analysis ?? "null");
  const summary: unknown = JSON.parse(naive.analysisSummary ?? "null");
  expect(analysis).toMatchObject({ binary: { path: expect.any(String) } });
  expect(summary).toMatchObject({ binary: { path: expect.any(String) } });
  await db.variant.update({
    where: { id: naive.id },
    data: {
      analysis: JSON.stringify({ ...(analysis as object), binary: null }),
      analysisSummary: JSON.stringify({ ...(summary as object), binary: null }),
    },
  });
  return { id, managementToken, view: await read() };
}

/** DELETE with the management token; resolves once the worker has removed the images (or after 60 s). */
export async function deleteAndWait(app: AppServer, id: string, managementToken: string): Promise<void> {
  const response = await fetch(`${app.url}/api/comparisons/${id}`, { method: "DELETE", headers: { authorization: `Bearer ${managementToken}` } });
  expect(response.status).toBe(204);
  const deadline = Date.now() + 60_000;
  while ((await app.testDb.db.imageRemoval.count()) > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 1000));
}

/** Opens the variant's disclosure and waits for what it shows: the analysis, or `loaded` false: the empty state. */
export async function openAnalysis(page: Page, key: string, loaded = true): Promise<Locator> {
  const why = page.getByTestId(`why-big-${key}`);
  await why.locator("summary").click();
  const shown = loaded ? page.getByTestId(`analysis-${key}`) : why.locator(".empty");
  await shown.waitFor({ timeout: 30_000 });
  return shown;
}

/** Both analyses open on a phone: nothing wider than the screen, screenshots of each variant. */
export async function phoneChecks(page: Page, keys: string[], outputDir: string): Promise<void> {
  for (const key of keys) {
    const panel = await openAnalysis(page, key);
    await panel.locator("[data-tile]").first().waitFor();
  }
  await expect.poll(() => horizontalOverflow(page)).toBeLessThanOrEqual(0);
  for (const key of keys) {
    await page.getByTestId(`variant-${key}`).screenshot({ path: path.join(outputDir, `analysis-${key}-390.png`) });
  }
}
