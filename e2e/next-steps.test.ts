// What a comparison offers next, in a real browser against the production build, with
// finished comparisons written straight into its database and no worker (new ones stay
// queued): each main package as a button that starts that comparison, "Try again" after
// an engine error, the home form filled in after a bad ref, and no sharing for a failure.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clickToNewComparison, open, screenshots, seed, start, stop } from "./next-steps-harness";

beforeAll(start);
afterAll(stop);

describe("a comparison that failed with several main packages", () => {
  it("offers each main package as a button that starts that comparison", async () => {
    const packages = ["./cmd/server", "./cmd/worker", "./tools/gen"];
    const id = await seed({
      repo: "example:hello",
      mainPackages: packages,
      errorCode: "SEVERAL_MAIN_PACKAGES",
      errorMessage: `This module has several main packages (${packages.map((p) => `"${p}"`).join(", ")}); choose the one to build.`,
    });
    const page = await open(`/c/${id}`);
    const steps = page.getByTestId("next-steps");
    await steps.waitFor();
    for (const pkg of packages) expect(await steps.getByTestId(`next-step-main-${pkg}`).textContent()).toBe(`Compare ${pkg}`);
    expect(await page.getByTestId("share").count()).toBe(0);
    await screenshots(`/c/${id}`, "next-steps-main-packages");

    const row = await clickToNewComparison(page, "next-step-main-./cmd/worker", id);
    expect(row).toMatchObject({ repo: "example:hello", mainPackage: "./cmd/worker", status: "queued", ref: null, subdir: null });
  });

  it("offers the helpers of a root built over them, and keeps sharing", async () => {
    const id = await seed({
      repo: "example:hello",
      status: "succeeded",
      mainPackage: ".",
      mainPackages: [".", "./scripts/bench"],
      notes: ['Built the module root ("."), the program this module ships; its other main packages ("./scripts/bench") are helpers under scripts/ and can be compared on their own.'],
    });
    const page = await open(`/c/${id}`);
    await page.getByTestId("next-steps").waitFor();
    expect(await page.getByTestId("next-step-main-./scripts/bench").textContent()).toBe("Compare ./scripts/bench on its own");
    expect(await page.getByTestId("next-step-main-.").count()).toBe(0);
    expect(await page.getByTestId("share").count()).toBe(1);
  });
});

describe("a comparison that failed on the server's side", () => {
  it("tries again with the same repository and variants", async () => {
    const id = await seed({
      repo: "example:loadlocation",
      variantKeys: ["single", "scratch", "scratch-naive"],
      errorCode: "ENGINE_UNAVAILABLE",
      errorMessage: "The Docker Engine is not reachable.",
    });
    const page = await open(`/c/${id}`);
    await page.getByTestId("next-steps").waitFor();
    expect(await page.getByTestId("share").count()).toBe(0);
    expect(await page.getByTestId("next-step-correct").count()).toBe(0);
    await screenshots(`/c/${id}`, "next-steps-engine-error");

    const row = await clickToNewComparison(page, "next-step-retry", id);
    expect(row.repo).toBe("example:loadlocation");
    expect(JSON.parse(row.variantKeys ?? "null")).toEqual(["single", "scratch"]);
  });

  it("shows the API's message when it refuses the new submission", async () => {
    const id = await seed({ repo: "example:gone", errorCode: "INTERRUPTED", errorMessage: "The worker stopped." });
    const page = await open(`/c/${id}`);
    await page.getByTestId("next-step-retry").click();
    const error = page.getByTestId("next-step-error");
    await error.waitFor();
    expect(await error.textContent()).toContain('There is no bundled example called "gone"');
    expect(new URL(page.url()).pathname).toBe(`/c/${id}`);
  });

  it("offers a canceled comparison again", async () => {
    const id = await seed({ repo: "example:hello", status: "canceled", errorCode: "CANCELED", errorMessage: "The comparison was canceled." });
    const page = await open(`/c/${id}`);
    expect(await page.getByTestId("next-step-again").textContent()).toBe("Submit again");
    expect(await page.getByTestId("share").count()).toBe(0);
  });
});

describe("a comparison that failed on bad input", () => {
  it("links to the home form filled in, the ref focused and explained", async () => {
    const repo = "https://github.com/slimstage/loadlocation";
    const id = await seed({ repo, ref: "no-such-branch", subdir: "cmd/app", mainPackage: "./cmd/x", errorCode: "UNKNOWN_REF", errorMessage: `${repo} has no branch, tag or commit named "no-such-branch".` });
    const page = await open(`/c/${id}`);
    expect(await page.getByTestId("next-step-retry").count()).toBe(0);
    await page.getByTestId("next-step-correct").click();
    await page.waitForURL((url) => url.pathname === "/" && url.searchParams.get("fix") === "UNKNOWN_REF");
    const ref = page.getByTestId("submit-ref");
    await page.getByTestId("submit-ref-error").waitFor();
    expect(await page.getByTestId("submit-repo").inputValue()).toBe(repo);
    expect(await ref.inputValue()).toBe("no-such-branch");
    expect(await page.getByTestId("submit-subdir").inputValue()).toBe("cmd/app");
    expect(await page.getByTestId("submit-mainPackage").inputValue()).toBe("./cmd/x");
    expect(await page.getByTestId("submit-ref-error").textContent()).toContain("no branch, tag or commit of this name");
    expect(await ref.getAttribute("aria-invalid")).toBe("true");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("submit-ref");
    await screenshots(new URL(page.url()).pathname + new URL(page.url()).search, "next-steps-correct-form");
    // Typing the right ref clears the remark.
    await ref.fill("main");
    expect(await page.getByTestId("submit-ref-error").count()).toBe(0);
  });

  it("offers each module folder of a monorepo without go.mod at its root", async () => {
    const id = await seed({
      repo: "example:hello",
      errorCode: "NO_GO_MOD",
      errorMessage: "There is no go.mod in the repository's root. Go modules in this repository: services/api, tools/gen. Set subdir to one of them.",
    });
    const page = await open(`/c/${id}`);
    await page.getByTestId("next-steps").waitFor();
    expect(await page.getByTestId("next-step-subdir-services/api").textContent()).toBe("Compare services/api");
    expect(await page.getByTestId("next-step-subdir-tools/gen").textContent()).toBe("Compare tools/gen");
    expect(await page.getByTestId("next-step-correct").getAttribute("href")).toContain("fix=NO_GO_MOD");
  });
});
