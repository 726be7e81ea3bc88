// Engine test: repositories as today's Go projects look (lib/testing/todays-repos.ts),
// served by a git daemon on loopback, with third-party modules from a module proxy on
// loopback, built end to end on the real engine: a Go 1.25 `/v2` module with cmd/ and a
// nested examples module, a toolchain line, modules from a proxy and the same ones
// vendored in a large repository, go.work workspaces, the Dockerfile `docker init`
// writes, a heredoc the engine's frontend does not know, cgo, and servers. Each case
// builds only the variants it needs.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dockerEngine } from "@/lib/engine/docker-engine";
import { resolveSource, testBases, testConfig } from "@/lib/testing/test-config";
import { startGitServer, type GitServer } from "@/lib/testing/git-server";
import { greeterProxyModule } from "@/lib/testing/go-fixtures";
import { startModuleProxy, type ModuleProxy } from "@/lib/testing/module-proxy";
import { createTestDb, type TestDb } from "@/lib/testing/test-db";
import { runOnEngine, type ComparedView } from "@/lib/testing/engine-comparison";
import { todaysRepos, vendoredLargeRepo } from "@/lib/testing/todays-repos";
import type { VariantView } from "@/lib/comparisons/types";

const engine = dockerEngine();
let testDb: TestDb;
let git: GitServer;
let proxy: ModuleProxy;
let engineVersion = "";
const urls: Record<string, string> = {};
const builtImages: string[] = [];
let counter = 0;

beforeAll(async () => {
  engineVersion = (await engine.version()).version;
  process.env.SLIMSTAGE_ALLOW_PRIVATE_HOSTS = "1"; // the git server is on loopback
  [testDb, git, proxy] = await Promise.all([createTestDb(), startGitServer(), startModuleProxy([greeterProxyModule])]);
  const repos = { ...todaysRepos, vendoredLarge: vendoredLargeRepo(), tooNew: TOO_NEW };
  for (const [name, files] of Object.entries(repos)) urls[name] = (await git.createRepo(name, files)).url;
});

afterAll(async () => {
  for (const imageId of builtImages) await engine.removeImage(imageId).catch(() => {});
  await Promise.all([testDb?.dispose(), git?.stop(), proxy?.stop()]);
  delete process.env.SLIMSTAGE_ALLOW_PRIVATE_HOSTS;
});

interface Submit {
  repo: string;
  variants: string[];
  subdir?: string;
}

function compare(submit: Submit): Promise<ComparedView> {
  const id = `today${String(++counter).padStart(3, "0")}`;
  return runOnEngine(
    testDb.db,
    { id, repo: submit.repo, subdir: submit.subdir, variantKeys: JSON.stringify(submit.variants) },
    {
      engine,
      bases: testBases(),
      repoBases: testConfig().repoBases,
      resolveSource,
      // As SLIMSTAGE_BUILD_NETWORK=host and SLIMSTAGE_GOPROXY / SLIMSTAGE_GOSUMDB would set them.
      buildArgs: { GOPROXY: proxy.url, GOSUMDB: "off" },
      buildNetwork: "host",
      runTimeoutSeconds: 5,
    },
    builtImages,
  );
}

const verdicts = (c: { variants: VariantView[] }) =>
  Object.fromEntries(c.variants.map((v) => [v.key, v.runCheck?.diagnosis?.code ?? v.runCheck?.verdict ?? `${v.status}: ${v.reason ?? ""}`]));

/** The Go minor of the variant's builder image ("slimstage/golang:1.25-local" -> 25). */
function builderMinor(variant: VariantView): number | null {
  const builder = variant.baseImages.map((ref) => ref.match(/golang:1\.(\d+)/)).find(Boolean);
  return builder ? Number(builder[1]) : null;
}

const TOO_NEW = {
  "go.mod": "module example.com/future\n\ngo 1.99\n",
  "main.go": 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("from the future")\n}\n',
};

describe("a Go 1.25 module as today's projects lay it out", () => {
  it("/v2 module, program in cmd/, nested examples module: every variant built on Go 1.25 and works", async () => {
    const c = await compare({ repo: urls.inventoryV2, variants: ["single", "scratch", "distroless"] });
    expect(c.error).toBeUndefined();
    expect(c.status).toBe("succeeded");
    expect(c.module).toBe("example.com/acme/inventory/v2");
    expect(c.goVersion).toBe("1.25.0");
    // examples/ is a module of its own: its main package is not this module's.
    expect(c.mainPackages).toEqual(["./cmd/inventory"]);
    expect(c.mainPackage).toBe("./cmd/inventory");
    expect(verdicts(c)).toEqual({ single: "works", scratch: "works", distroless: "works" });
    for (const variant of c.variants) {
      expect(variant.baseImages).toContain("slimstage/golang:1.25-local");
      expect(variant.runCheck?.output).toContain("widgets: 45");
      expect(variant.runCheck?.output).toContain("built with go1.25");
    }
  });

  it("go 1.99: fails once, before any build, saying what it needs, the newest Go here and how to add one", async () => {
    const c = await compare({ repo: urls.tooNew, variants: ["single", "scratch"] });
    expect(c.status).toBe("failed");
    expect(c.error?.code).toBe("GO_TOO_NEW");
    expect(c.error?.message).toMatch(/needs Go 1\.99 \(go 1\.99 in go\.mod\).*newest Go builder on this server is 1\.27.*SLIMSTAGE_BASE_GOLANG/);
    // Nothing was planned, so nothing repeats the cause.
    expect(c.variants).toEqual([]);
  });

  it("go 1.21.0 with toolchain go1.24.2 builds on a Go 1.24 or newer builder", async () => {
    const c = await compare({ repo: urls.toolchainLine, variants: ["scratch"] });
    expect(c.error).toBeUndefined();
    expect(c.by.scratch).toMatchObject({ status: "built" });
    expect(builderMinor(c.by.scratch)).toBeGreaterThanOrEqual(24);
    expect(c.by.scratch.runCheck?.verdict).toBe("works");
    expect(c.by.scratch.runCheck?.output).toContain('sha3-256("hello")');
  });
});

describe("third-party modules", () => {
  it("come from the module proxy with a complete go.sum", async () => {
    const c = await compare({ repo: urls.withModules, variants: ["scratch"] });
    expect(c.error).toBeUndefined();
    expect(c.by.scratch.status).toBe("built");
    expect(c.by.scratch.dockerfile).toContain("go mod download");
    expect(c.by.scratch.runCheck?.verdict).toBe("works");
    expect(c.by.scratch.runCheck?.output).toContain("Hello, world!");
  });

  it("the same modules vendored in a repository of 3,000+ files and 25+ MB: analysed, built with no network", async () => {
    const before = proxy.requests.length;
    const c = await compare({ repo: urls.vendoredLarge, variants: ["single", "scratch"] });
    expect(c.error).toBeUndefined();
    expect(c.status).toBe("succeeded");
    expect(c.mainPackages).toEqual(["./cmd/hello"]);
    expect(verdicts(c)).toEqual({ single: "works", scratch: "works" });
    expect(c.by.scratch.dockerfile).toContain("-mod=vendor");
    expect(c.by.scratch.dockerfile).not.toContain("go mod download");
    // The single-stage image carries the repository (its assets) in /src; the slim one does not.
    expect(c.by.single.sizeBytes! - c.by.scratch.sizeBytes!).toBeGreaterThan(25e6);
    expect(proxy.requests.length).toBe(before);
  });
});

describe("go.work workspaces", () => {
  // The generated builder stage copies go.mod (and go.sum) alone for `go mod download`,
  // then the whole module, go.work included: `go build` then runs in workspace mode
  // (GOWORK is not set, so the go command finds go.work itself).
  it("at the module root: the program builds with the workspace's other module, on the Go go.work asks for", async () => {
    const c = await compare({ repo: urls.workspaceAtRoot, variants: ["scratch"] });
    expect(c.error).toBeUndefined();
    expect(c.mainPackages).toEqual(["./cmd/shop"]);
    expect(c.by.scratch.status, c.by.scratch.reason).toBe("built");
    expect(builderMinor(c.by.scratch)).toBeGreaterThanOrEqual(25);
    expect(c.by.scratch.runCheck?.verdict).toBe("works");
    expect(c.by.scratch.runCheck?.output).toContain("Welcome to the shop, customer!");
  });

  it("above the module (subdir app): the folder is built alone, and the page says why the workspace's module is missing", async () => {
    const c = await compare({ repo: urls.workspaceOfModules, subdir: "app", variants: ["scratch"] });
    expect(c.mainPackages).toEqual(["."]);
    expect(c.status).toBe("failed");
    expect(c.error?.code).toBe("NOTHING_BUILT");
    expect(c.by.scratch.reason).toContain("example.com/acme/greetings");
    expect(c.notes).toEqual(expect.arrayContaining([expect.stringMatching(/^This module is used by the workspace go\.work above its folder.*replace directive/)]));
  });
});

describe("a repository's own Dockerfile, as written today", () => {
  it("docker init's Dockerfile builds on stand-ins with the built-in frontend, and its server works", async () => {
    const c = await compare({ repo: urls.dockerInitServer, variants: ["single", "repo"] });
    expect(c.error).toBeUndefined();
    expect(c.by.repo.status, c.by.repo.reason).toBe("built");
    expect(c.by.repo.reason).toContain("Built on stand-ins");
    expect(c.by.repo.reason).toContain("built-in Dockerfile frontend");
    expect(c.by.repo.baseImages).toEqual(expect.arrayContaining(["slimstage/golang:1.25-local", "slimstage/static:local"]));
    expect(verdicts(c)).toEqual({ single: "works", repo: "works" });
    // Judged by its answers when the server was asked: it must have answered.
    for (const variant of c.variants) expect(variant.runCheck?.output).not.toContain("got no answer");
  });

  it("docker init's Dockerfile with the Go version in an ARG (as it writes it) builds on stand-ins too", async () => {
    const c = await compare({ repo: urls.dockerInitServerGoVersionArg, variants: ["repo"] });
    expect(c.by.repo.status, c.by.repo.reason).toBe("built");
    expect(c.by.repo.reason).toContain("golang:1.25 → slimstage/golang:1.25-local");
    expect(c.by.repo.runCheck?.verdict).toBe("works");
  });

  it("a heredoc fails with what the engine's frontend lacks and the fix, not a bare parser error", async () => {
    const c = await compare({ repo: urls.heredocDockerfile, variants: ["repo"] });
    expect(c.by.repo.status).toBe("failed");
    expect(c.by.repo.reason).toContain("heredoc");
    expect(c.by.repo.reason).toContain(engineVersion);
    expect(c.by.repo.reason).toContain("Fix:");
    expect(c.by.repo.reason).not.toMatch(/^dockerfile parse error/i);
  });
});

describe("run checks of today's programs", () => {
  it("a cgo program works in the Go image and is dynamically linked elsewhere", async () => {
    const c = await compare({ repo: urls.cgoTool, variants: ["single", "scratch"] });
    expect(c.needs.cgo).toBe(true);
    expect(c.notes.join(" ")).toContain("cgo");
    expect(verdicts(c)).toEqual({ single: "works", scratch: "DYNAMIC_LINKING" });
  });

  it("a server listening on localhost:8080 works in every variant", async () => {
    const c = await compare({ repo: urls.localhostServer, variants: ["single", "scratch"] });
    expect(verdicts(c)).toEqual({ single: "works", scratch: "works" });
    for (const variant of c.variants) {
      expect(variant.runCheck?.output).not.toContain("no such host");
      expect(variant.runCheck?.output).not.toContain("got no answer");
    }
  });

  it("a server whose template is missing from the slim image fails there, showing the difference", async () => {
    const c = await compare({ repo: urls.templateServer, variants: ["single", "scratch"] });
    expect(c.by.single.runCheck?.verdict).toBe("works");
    expect(c.by.scratch.runCheck?.verdict).toBe("fails");
    expect(c.by.scratch.runCheck?.output).toMatch(/500.*200/);
    expect(c.by.scratch.runCheck?.diagnosis?.code).toBe("MISSING_FILE");
  });
});
