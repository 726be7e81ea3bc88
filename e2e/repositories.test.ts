// The JSON API with real git repositories: a loopback git server holds the article's
// monorepo; the production server clones it, builds every variant and runs each. Bad
// submissions get a specific 4xx, or a failed comparison that says what to change.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGitServer, type GitServer } from "@/lib/testing/git-server";
import { articleMonorepo, twoMains } from "@/lib/testing/go-fixtures";
import type { ComparisonView } from "@/lib/comparisons/types";
import { startAppServer, type AppServer } from "./app-server";

let app: AppServer;
let git: GitServer;
let monorepo: string;
let severalMains: string;

beforeAll(async () => {
  git = await startGitServer();
  monorepo = (await git.createRepo("article", articleMonorepo)).url;
  severalMains = (await git.createRepo("twomains", twoMains)).url;
  app = await startAppServer({ SLIMSTAGE_ALLOW_PRIVATE_HOSTS: "1", SLIMSTAGE_RUN_TIMEOUT: "5" });
});
afterAll(async () => {
  await app?.stop();
  await git?.stop();
});

const post = async (body: unknown) => {
  const response = await fetch(`${app.url}/api/comparisons`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as { id: string; error?: { code: string; message: string; field?: string } } };
};

async function finished(id: string): Promise<ComparisonView> {
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    const comparison = (await (await fetch(`${app.url}/api/comparisons/${id}`)).json()) as ComparisonView;
    if (["succeeded", "failed", "canceled"].includes(comparison.status)) return comparison;
    if (Date.now() > deadline) throw new Error(`comparison ${id} still ${comparison.status}`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

describe("a git repository on loopback", () => {
  it("compares the article's loadlocation program with every field of the contract filled", async () => {
    const created = await post({ repo: monorepo, subdir: "loadlocation" });
    expect(created.status).toBe(201);
    const c = await finished(created.json.id);
    expect(c).toMatchObject({
      status: "succeeded",
      repo: monorepo,
      subdir: "loadlocation",
      mainPackage: ".",
      module: "example.com/fixtures/monorepo/loadlocation",
      goVersion: "1.21",
      needs: { tzdata: true, caRoots: false, cgo: false },
    });
    expect(c.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(c.finishedAt).not.toBeNull();
    const built = c.variants.filter((v) => v.status === "built");
    expect(built.map((v) => v.key)).toEqual(["single", "scratch", "scratch-naive", "distroless"]);
    for (const v of built) {
      expect(v).toMatchObject({ imageId: expect.stringMatching(/^sha256:/), dockerfile: expect.stringContaining("FROM") });
      expect(v.sizeBytes).toBeGreaterThan(0);
      expect(v.compressedBytes).toBeGreaterThan(0);
      expect(v.buildSeconds).toBeGreaterThan(0);
      expect(v.baseImages.length).toBeGreaterThan(0);
      expect(v.layers.length).toBeGreaterThan(0);
      expect(v.runCheck?.verdict).toMatch(/^(works|fails)$/);
    }
    const naive = c.variants.find((v) => v.key === "scratch-naive");
    expect(naive?.naive).toBe(true);
    expect(naive?.runCheck?.diagnosis).toMatchObject({ code: "MISSING_ZONEINFO", fix: expect.stringContaining("zoneinfo") });
  });
});

describe("bad submissions", () => {
  it.each([
    ["not a git URL", { repo: "not a url" }, "repo"],
    ["an ssh URL", { repo: "ssh://git@example.com/x/y.git" }, "repo"],
    ["a transport helper", { repo: "ext::sh -c touch% /tmp/pwned" }, "repo"],
    ["option injection", { repo: "--upload-pack=touch /tmp/pwned" }, "repo"],
    ["a host that does not resolve", { repo: "https://no-such-host.invalid/x/y.git" }, "repo"],
    ["a subdir with ..", { repo: "https://example.com/x/y.git", subdir: "../etc" }, "subdir"],
    ["a ref with a newline", { repo: "https://example.com/x/y.git", ref: "main\nRUN curl evil" }, "ref"],
  ])("rejects %s with a 422 naming the field", async (_name, body, field) => {
    const { status, json } = await post(body);
    expect(status).toBe(422);
    expect(json.error?.field).toBe(field);
    expect(json.error?.message.length).toBeGreaterThan(10);
  });

  it.each([
    ["an unknown ref", () => ({ repo: monorepo, subdir: "hello", ref: "no-such-branch", variants: ["scratch"] }), "UNKNOWN_REF"],
    ["several main packages without a choice", () => ({ repo: severalMains, variants: ["scratch"] }), "SEVERAL_MAIN_PACKAGES"],
    ["a monorepo root", () => ({ repo: monorepo, variants: ["scratch"] }), "NO_GO_MOD"],
  ])("fails %s with a message saying what to change", async (_name, body, code) => {
    const created = await post(body());
    expect(created.status).toBe(201);
    const c = await finished(created.json.id);
    expect(c.status).toBe("failed");
    expect(c.error?.code).toBe(code);
  });
});
