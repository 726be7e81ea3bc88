// Engine test: real repositories served by a git daemon on loopback, third-party
// modules from a module proxy on loopback, built and run on the real engine.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dockerEngine } from "@/lib/engine/docker-engine";
import { resolveSource, testBases, testConfig } from "@/lib/testing/test-config";
import { startGitServer, type GitServer } from "@/lib/testing/git-server";
import {
  articleMonorepo,
  cgoApp,
  doesNotCompile,
  greeterModule,
  greeterProxyModule,
  notGo,
  ownDockerfile,
  server,
  thirdPartyApp,
  tlsClient,
  twoMains,
} from "@/lib/testing/go-fixtures";
import { startModuleProxy, type ModuleProxy } from "@/lib/testing/module-proxy";
import { createTestDb, type TestDb } from "@/lib/testing/test-db";
import { runOnEngine, type ComparedView } from "@/lib/testing/engine-comparison";
import type { VariantView } from "@/lib/comparisons/types";
import { runComparison } from "@/lib/jobs/pipeline";
import { getComparison } from "@/lib/reads/queries";

const engine = dockerEngine();
let testDb: TestDb;
let git: GitServer;
let proxy: ModuleProxy;
const urls: Record<string, string> = {};
const builtImages: string[] = [];
let counter = 0;

beforeAll(async () => {
  await engine.version();
  process.env.SLIMSTAGE_ALLOW_PRIVATE_HOSTS = "1"; // the git server is on loopback
  [testDb, git, proxy] = await Promise.all([createTestDb(), startGitServer(), startModuleProxy([greeterProxyModule])]);
  const repos = { articleMonorepo, cgoApp, doesNotCompile, notGo, ownDockerfile, server, thirdPartyApp, tlsClient, twoMains, vendored, echo };
  for (const [name, files] of Object.entries(repos)) urls[name] = (await git.createRepo(name, files)).url;
});

afterAll(async () => {
  for (const imageId of builtImages) await engine.removeImage(imageId).catch(() => {});
  await Promise.all([testDb?.dispose(), git?.stop(), proxy?.stop()]);
  delete process.env.SLIMSTAGE_ALLOW_PRIVATE_HOSTS;
});

// The third-party program with its module vendored: it must build with no network.
const vendored = {
  ...thirdPartyApp,
  "vendor/modules.txt": "# example.com/greeter v1.0.0\n## explicit; go 1.21\nexample.com/greeter\n",
  "vendor/example.com/greeter/greeter.go": greeterModule["greeter.go"],
};

// Prints its arguments and one environment variable, for the run check's settings.
const echo = {
  "go.mod": "module example.com/fixtures/echo\n\ngo 1.21\n",
  "main.go":
    'package main\n\nimport (\n\t"fmt"\n\t"os"\n)\n\nfunc main() {\n\tfmt.Println("args:", os.Args[1:], "greeting:", os.Getenv("GREETING"))\n}\n',
};

interface Submit {
  repo: string;
  subdir?: string;
  mainPackage?: string;
  variants?: string[];
  goproxy?: string;
  runArgs?: string[];
  runEnv?: Record<string, string>;
}

function compare(submit: Submit): Promise<ComparedView> {
  const id = `fixture${String(++counter).padStart(3, "0")}`;
  const row = {
    id,
    repo: submit.repo,
    subdir: submit.subdir,
    mainPackage: submit.mainPackage,
    variantKeys: submit.variants ? JSON.stringify(submit.variants) : null,
    runArgs: submit.runArgs ? JSON.stringify(submit.runArgs) : null,
    runEnv: submit.runEnv ? JSON.stringify(submit.runEnv) : null,
  };
  return runOnEngine(
    testDb.db,
    row,
    {
      engine,
      bases: testBases(),
      repoBases: testConfig().repoBases,
      resolveSource,
      buildArgs: { GOPROXY: submit.goproxy ?? proxy.url },
      buildNetwork: "host",
      runTimeoutSeconds: 4,
    },
    builtImages,
  );
}

const verdicts = (c: { variants: VariantView[] }) =>
  Object.fromEntries(c.variants.map((v) => [v.key, v.runCheck?.diagnosis?.code ?? v.runCheck?.verdict ?? v.status]));

function expectSizeOrder(c: { by: Record<string, VariantView> }) {
  const order = ["single", "alpine", "distroless", "scratch"]
    .map((key) => c.by[key])
    .filter((v) => v?.status === "built")
    .map((v) => v.sizeBytes!);
  for (let i = 1; i < order.length; i++) expect(order[i - 1]).toBeGreaterThanOrEqual(order[i]);
}

describe("the article's monorepo", () => {
  it("asks for a subdir and lists the modules when the root has no go.mod", async () => {
    const c = await compare({ repo: urls.articleMonorepo, variants: ["scratch"] });
    expect(c.status).toBe("failed");
    expect(c.error?.code).toBe("NO_GO_MOD");
    for (const module of ["hello", "loadlocation", "thirdparty"]) expect(c.error?.message).toContain(module);
  });

  it("loadlocation: the naive slim image lacks zoneinfo, the fixed ones work", async () => {
    const c = await compare({ repo: urls.articleMonorepo, subdir: "loadlocation" });
    expect(c.error).toBeUndefined();
    expect(c.status).toBe("succeeded");
    expect(c.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(c.needs.tzdata).toBe(true);
    expect(verdicts(c)).toMatchObject({
      single: "works",
      "scratch-naive": "MISSING_ZONEINFO",
      scratch: "works",
      distroless: "works",
      alpine: "skipped",
    });
    expectSizeOrder(c);
  });
});

describe("modules", () => {
  it("builds a program with a third-party module from the configured proxy", async () => {
    const c = await compare({ repo: urls.thirdPartyApp, variants: ["scratch"] });
    expect(c.status).toBe("succeeded");
    expect(c.by.scratch.status).toBe("built");
    expect(c.by.scratch.runCheck?.verdict).toBe("works");
    expect(proxy.requests.some((r) => r.includes("example.com/greeter/@v/v1.0.0.zip"))).toBe(true);
  });

  it("builds vendored modules with no network and no proxy", async () => {
    const before = proxy.requests.length;
    const c = await compare({ repo: urls.vendored, variants: ["scratch"], goproxy: "off" });
    expect(c.by.scratch.status).toBe("built");
    expect(c.by.scratch.dockerfile).toContain("-mod=vendor");
    expect(c.by.scratch.runCheck?.verdict).toBe("works");
    expect(proxy.requests.length).toBe(before);
  });

  it("fails the variants, naming the module, when no proxy serves it", async () => {
    const c = await compare({ repo: urls.thirdPartyApp, variants: ["scratch"], goproxy: "off" });
    // Nothing was built: the comparison says so, with the one cause.
    expect(c.status).toBe("failed");
    expect(c.error?.code).toBe("NOTHING_BUILT");
    expect(c.by.scratch.status).toBe("failed");
    expect(c.by.scratch.reason).toContain("example.com/greeter");
  });
});

describe("run checks", () => {
  it("a TLS client without CA roots fails as MISSING_CA_ROOTS, with them works", async () => {
    const c = await compare({ repo: urls.tlsClient, variants: ["scratch", "distroless"] });
    expect(c.needs.caRoots).toBe(true);
    expect(verdicts(c)).toEqual({ scratch: "works", "scratch-naive": "MISSING_CA_ROOTS", distroless: "works" });
  });

  it("a cgo program works in the Go image and is dynamically linked elsewhere", async () => {
    const c = await compare({ repo: urls.cgoApp, variants: ["single", "scratch"] });
    expect(c.needs.cgo).toBe(true);
    expect(c.notes.join(" ")).toContain("cgo");
    expect(verdicts(c)).toEqual({ single: "works", scratch: "DYNAMIC_LINKING" });
  });

  it("passes the submission's arguments and environment to the program", async () => {
    const c = await compare({ repo: urls.echo, variants: ["scratch"], runArgs: ["--name", "two words"], runEnv: { GREETING: "hallo" } });
    expect(c.by.scratch.runCheck?.output).toContain("args: [--name two words] greeting: hallo");
  });

  it("a server that keeps running works", async () => {
    const c = await compare({ repo: urls.server, variants: ["scratch"] });
    expect(c.by.scratch.runCheck).toMatchObject({ verdict: "works", exitCode: null });
    // A server that answers is stopped once it has (lib/engine/docker-run.ts); one that does not, at the time limit.
    expect(c.by.scratch.runCheck?.output).toMatch(/still running after \d+ s/);
  });
});

describe("repositories that need a choice or cannot be built", () => {
  it("several main packages need mainPackage, and the error lists them", async () => {
    const c = await compare({ repo: urls.twoMains, variants: ["scratch"] });
    expect(c.status).toBe("failed");
    expect(c.error?.code).toBe("SEVERAL_MAIN_PACKAGES");
    expect(c.error?.message).toContain("./cmd/api");
    expect(c.error?.message).toContain("./cmd/worker");

    const chosen = await compare({ repo: urls.twoMains, mainPackage: "./cmd/worker", variants: ["scratch"] });
    expect(chosen.status).toBe("succeeded");
    expect(chosen.mainPackage).toBe("./cmd/worker");
    expect(chosen.by.scratch.runCheck?.verdict).toBe("works");
  });

  it("a repository's own Dockerfile is a variant, built on the Go stand-in when golang:1.23 cannot be pulled", async () => {
    const c = await compare({ repo: urls.ownDockerfile, variants: ["scratch", "repo"] });
    expect(c.status).toBe("succeeded");
    const standIn = testBases().golang["1.23"];
    expect(c.by.repo).toMatchObject({ status: "built", baseImages: [standIn] });
    // Every size of it says what it was built on; the page shows the Dockerfile as the repository has it.
    expect(c.by.repo.reason).toMatch(new RegExp(`^Built on stand-ins: golang:1\\.23 → ${standIn.replace(/[.]/g, "\\.")}`));
    expect(c.by.repo.dockerfile).toContain("FROM golang:1.23");
    expect(c.by.repo.runCheck?.verdict).toBe("works");
    expect(c.by.scratch.runCheck?.verdict).toBe("works");
  });

  it("a repository that is not Go says so", async () => {
    const c = await compare({ repo: urls.notGo });
    expect(c.status).toBe("failed");
    expect(c.error?.code).toBe("NOT_GO_REPO");
  });

  it("a program that does not compile fails its variants with the compiler's message", async () => {
    const c = await compare({ repo: urls.doesNotCompile, variants: ["scratch"] });
    expect(c.by.scratch.status).toBe("failed");
    expect(c.by.scratch.reason).toContain("undefined: greeting");
  });

  it("an unknown ref fails the comparison with UNKNOWN_REF", async () => {
    const id = "fixtureref";
    await testDb.db.comparison.create({ data: { id, repo: urls.server, ref: "no-such-branch", status: "running" } });
    await runComparison(id, { db: testDb.db, engine, bases: testBases(), resolveSource });
    const c = await getComparison(testDb.db, id);
    expect(c?.status).toBe("failed");
    expect(c?.error?.code).toBe("UNKNOWN_REF");
  });
});
