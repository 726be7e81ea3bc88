// What changed, end to end: a repository on a loopback git server (./compare-fixture.ts)
// whose second commit vendors a third-party module and embeds a 600 KB file; both commits
// compared for real (single and scratch on the offline stand-ins), then the JSON diff,
// the CI size budget (through curl, as a CI job calls it), the links to the compare page
// and the page in Chromium at 1280 and 390 px, with an older comparison without file lists,
// and a pair with more changed files than a list shows at first.
import { execFile } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newComparisonId } from "@/lib/comparisons/ids";
import { databaseLayerFiles } from "@/lib/db/blob-stores";
import { repoHistoryPath } from "@/lib/share/repo-path";
import { startGitServer, type GitServer } from "@/lib/testing/git-server";
import type { ComparisonView } from "@/lib/comparisons/types";
import type { CompareResult } from "@/lib/views/compare-result";
import { startAppServer, type AppServer } from "./app-server";
import { deleteAndWait } from "./analysis-steps";
import { commit1, commit2 } from "./compare-fixture";
import { launchBrowser, OUTPUT_DIR } from "./browser";

let app: AppServer;
let git: GitServer;
let browser: BrowserContext;
let repo: string;
let first: ComparisonView;
let second: ComparisonView;
const [OLD_ID, OTHER_ID, RUNNING_ID] = [newComparisonId(), newComparisonId(), newComparisonId()];

const tokens = new Map<string, string>();

async function compare(ref: string): Promise<ComparisonView> {
  const response = await fetch(`${app.url}/api/comparisons`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ repo, ref, variants: ["single", "scratch"] }) });
  expect(response.status).toBe(201);
  const { id, managementToken } = (await response.json()) as { id: string; managementToken: string };
  tokens.set(id, managementToken);
  for (const deadline = Date.now() + 10 * 60_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 1000))) {
    const view = (await (await fetch(`${app.url}/api/comparisons/${id}`)).json()) as ComparisonView;
    if (!["queued", "running"].includes(view.status)) return view;
  }
  throw new Error(`comparison ${id} did not finish`);
}

beforeAll(async () => {
  await mkdir(OUTPUT_DIR, { recursive: true });
  git = await startGitServer();
  const created = await git.createRepo("growing", commit1, { extraCommits: [commit2] });
  repo = created.url;
  app = await startAppServer({ SLIMSTAGE_BASE_PROFILE: "offline", SLIMSTAGE_ALLOW_PRIVATE_HOSTS: "1" });
  browser = await launchBrowser();
  // A comparison from before files and binaries were recorded: sizes only.
  await app.testDb.db.comparison.create({
    data: { id: OLD_ID, repo, status: "succeeded", createdAt: new Date(Date.now() - 3_600_000), finishedAt: new Date(Date.now() - 3_500_000),
      variants: { create: [{ key: "scratch", position: 0, status: "built", dockerfile: "", sizeBytes: BigInt(1_000_000), compressedBytes: BigInt(500_000), runVerdict: "works", layers: { create: [{ index: 0, instruction: "COPY --from=builder /out/app /app", sizeBytes: BigInt(1_000_000) }] } }] } },
  });
  first = await compare(created.commits[0]);
  second = await compare(created.commits[1]);
  for (const c of [first, second]) expect(c.variants.map((v) => [v.key, v.status, v.runCheck?.verdict])).toEqual([["single", "built", "works"], ["scratch", "built", "works"]]);
});
afterAll(async () => {
  // Deleted with their tokens, so that the worker removes their images from the engine.
  for (const [id, token] of tokens) await deleteAndWait(app, id, token);
  await browser?.close();
  await app?.stop();
  await git?.stop();
});

const getJson = async <T>(url: string) => {
  const response = await fetch(`${app.url}${url}`);
  return { status: response.status, headers: response.headers, json: (await response.json()) as T };
};

describe("GET /api/compare/<a>/<b>", () => {
  it("shows the embedded file, the vendored module and the bigger binary", async () => {
    const { status, json } = await getJson<CompareResult>(`/api/compare/${first.id}/${second.id}`);
    expect(status).toBe(200);
    await writeFile(path.join(OUTPUT_DIR, "compare-diff.json"), JSON.stringify(json, null, 1));
    const [single, scratch] = ["single", "scratch"].map((key) => json.variants.find((v) => v.key === key));
    expect(scratch?.sizes.disk.deltaBytes).toBeGreaterThan(600_000);
    expect(scratch?.files?.grown.map((c) => c.name)).toContain("/app");
    // The layers' instructions as the engine's history names them: the classic builder's
    // "COPY file:… in /app" or BuildKit's "COPY /out/app /app", its RUN steps with or
    // without their cache mounts.
    expect(scratch?.layers?.grown.map((c) => c.name)).toEqual([expect.stringMatching(/^COPY (file:… in \/app|\/out\/app \/app)$/)]);
    // The build step is another instruction now (-mod=vendor): the classic builder pairs it
    // with the old one as grown (its layer also holds Go's build cache), BuildKit (whose
    // caches are mounts) lists it as added.
    expect([...(single?.layers?.grown ?? []), ...(single?.layers?.added ?? [])].map((c) => c.name)).toContain('RUN go build -mod=vendor -trimpath -ldflags="-s -w" -o /out/app .');
    expect(single?.layers?.removed.map((c) => c.name)).toContain("RUN go mod download");
    const added = single?.files?.added.map((c) => [c.name, c.deltaBytes]);
    expect(added).toContainEqual(["/src/assets/big.txt", 600_000]);
    expect(added?.map(([name]) => name)).toContain("/src/vendor/example.com/banner/banner.go");
    for (const diff of [single, scratch]) {
      expect(diff?.binary?.modules.added.map((c) => [c.name, c.after?.version])).toContainEqual(["example.com/banner", "v1.2.0"]);
      expect(diff?.binary?.packages.added.map((c) => c.name)).toContain("example.com/banner");
    }
  });

  it("refuses an unknown id and two repositories", async () => {
    expect((await getJson<{ error: { code: string } }>(`/api/compare/${first.id}/zzzzzzzzzz`)).status).toBe(404);
    const other = await app.testDb.db.comparison.create({ data: { id: OTHER_ID, repo: "https://example.com/other/repo", status: "failed" } });
    const { status, json } = await getJson<{ error: { code: string } }>(`/api/compare/${first.id}/${other.id}`);
    expect([status, json.error.code]).toEqual([422, "DIFFERENT_REPOSITORIES"]);
  });
});

describe("the size budget", () => {
  const curl = async (query: string, id = second.id) => {
    const url = `${app.url}/api/comparisons/${id}/budget?${query}`;
    const result = await promisify(execFile)("curl", ["--fail-with-body", "-sS", url]).then((r) => ({ code: 0, out: r.stdout }), (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }));
    return { code: result.code, json: JSON.parse(result.out) as { ok: boolean; variant: string; sizeBytes: number; limitBytes: number | null; previous?: { id: string }; error?: { code: string } } };
  };
  const scratchSize = () => second.variants.find((v) => v.key === "scratch")!.sizeBytes!;

  it.each<[string, () => string, number, () => Record<string, unknown>]>([
    ["within maxBytes", () => `maxBytes=${scratchSize()}`, 0, () => ({ ok: true, variant: "scratch" })],
    ["over maxBytes", () => `maxBytes=${scratchSize() - 1}`, 22, () => ({ ok: false, error: { code: "BUDGET_EXCEEDED", message: expect.stringContaining("1 byte over the budget of") } })],
    ["over 5% growth", () => "maxGrowthPercent=5", 22, () => ({ ok: false, previous: { id: first.id, sizeBytes: first.variants[1].sizeBytes } })],
    ["within 1000% growth", () => "maxGrowthPercent=1000", 0, () => ({ ok: true, previous: { id: first.id, sizeBytes: first.variants[1].sizeBytes } })],
    ["a bad parameter", () => "maxBytes=5MB", 22, () => ({ error: { code: "INVALID_MAX_BYTES", field: "maxBytes", message: expect.any(String) } })],
  ])("%s", async (_name, query, code, expected) => {
    const result = await curl(query());
    expect(result.code).toBe(code);
    expect(result.json).toMatchObject(expected());
  });

  it("the first comparison has no previous one; a running one answers 409 with Retry-After", async () => {
    expect((await curl("maxGrowthPercent=5", OLD_ID)).json).toMatchObject({ ok: true, limitBytes: null });
    await app.testDb.db.comparison.create({ data: { id: RUNNING_ID, repo, status: "running" } });
    const { status, headers, json } = await getJson<{ error: { code: string } }>(`/api/comparisons/${RUNNING_ID}/budget?maxBytes=1`);
    expect([status, json.error.code, headers.get("retry-after")]).toEqual([409, "NOT_FINISHED", "15"]);
    await app.testDb.db.comparison.delete({ where: { id: RUNNING_ID } });
  });
});

describe("the compare page", () => {
  it("is linked from the comparison and the history, and fits 1280 and 390 px", async () => {
    const page = await browser.newPage();
    await page.goto(`${app.url}/c/${second.id}`);
    await page.getByTestId("compare-previous").click();
    await page.waitForURL(`**/compare/${first.id}/${second.id}`);
    await expect.poll(() => page.getByTestId("files-single-added").textContent()).toContain("/src/assets/big.txt");
    expect(await page.getByTestId("modules-scratch-added").textContent()).toContain("v1.2.0");
    expect(await page.getByTestId("summary-scratch").textContent()).toMatch(/\+\d/);
    await page.screenshot({ path: path.join(OUTPUT_DIR, "compare-1280.png"), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: path.join(OUTPUT_DIR, "compare-390.png"), fullPage: true });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    await page.goto(`${app.url}/compare/${OLD_ID}/${first.id}`);
    expect(await page.getByTestId("diff-scratch").textContent()).toContain(`Comparison ${OLD_ID} was made before`);
    await page.screenshot({ path: path.join(OUTPUT_DIR, "compare-old-390.png"), fullPage: true });
    await page.goto(`${app.url}/compare/${first.id}/${OTHER_ID}`);
    expect(await page.getByTestId("compare-error").textContent()).toContain("DIFFERENT_REPOSITORIES");
    await page.goto(`${app.url}${repoHistoryPath(repo)}`);
    expect(await page.getByTestId("history-compare").first().getAttribute("href")).toBe(`/compare/${first.id}/${second.id}`);
    await page.close();
  });

  it("shows a list's five largest changes and every one on ?rows=all, at 390 px", async () => {
    const listing = (base: number) => ({ entries: Array.from({ length: 12 }, (_, n) => ({ path: `data/f${n}.bin`, size: base + n, type: "file" as const, mode: 0o644 })), truncated: false });
    const files = databaseLayerFiles(app.testDb.db);
    const ids = [newComparisonId(), newComparisonId()];
    for (const [n, id] of ids.entries()) {
      await files.putFiles(`sha256:many-${n}`, listing(1_000 * (n + 1)));
      await app.testDb.db.comparison.create({
        data: { id, repo: "https://example.com/many/files", status: "succeeded", createdAt: new Date(Date.now() - 60_000 + n * 1_000), finishedAt: new Date(),
          variants: { create: [{ key: "scratch", position: 0, status: "built", dockerfile: "", sizeBytes: BigInt(12_000 * (n + 1)), compressedBytes: BigInt(6_000), runVerdict: "works",
            layers: { create: [{ index: 0, instruction: "COPY data /data", sizeBytes: BigInt(12_000 * (n + 1)), digest: `sha256:many-${n}` }] } }] } },
      });
    }
    const page = await browser.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${app.url}/compare/${ids[0]}/${ids[1]}`);
    const grown = page.getByTestId("files-scratch-grown");
    expect(await grown.locator("tbody tr").count()).toBe(5);
    await page.getByTestId("files-scratch-grown-more").click();
    await page.waitForURL("**?rows=all#files-scratch-grown");
    expect(await grown.locator("tbody tr").count()).toBe(12);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.close();
  });
});
