// Engine test: a repository's own Dockerfile is untrusted code. One that fetches with
// ADD from the host's loopback is refused before building; one whose RUN step reaches
// for a listener on the host fails at that step with no network (the default), and the
// listener hears nothing. The same step on the bridge network (an operator's choice)
// does reach it, which shows the test can tell the two apart.
import { execFile } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RepoBuildNetwork } from "@/lib/config";
import { loadConfig } from "@/lib/config";
import { getComparison, getVariantAnalysis } from "@/lib/reads/queries";
import { dockerEngine } from "@/lib/engine/docker-engine";
import { runComparison } from "@/lib/jobs/pipeline";
import { makeSourceResolver } from "@/lib/source/resolve";
import { startGitServer, type GitServer } from "@/lib/testing/git-server";
import { createTestDb, type TestDb } from "@/lib/testing/test-db";

const MINBASE = "slimstage/bookworm-minbase:local";
const engine = dockerEngine();
const config = loadConfig({ ...process.env, SLIMSTAGE_BASE_PROFILE: "offline", SLIMSTAGE_ALLOW_PRIVATE_HOSTS: "1" });
let testDb: TestDb;
let git: GitServer;
let listener: http.Server;
const requests: string[] = [];
let port = 0;
let gateway = "";
const images: string[] = [];
let counter = 0;

const goModule = {
  "go.mod": "module example.com/fixtures/hostile\n\ngo 1.21\n",
  "main.go": 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hi") }\n',
};

beforeAll(async () => {
  await engine.version();
  if (!(await engine.image(MINBASE))) throw new Error(`${MINBASE} is missing: run scripts/base-images.sh`);
  // Listening on every interface, as a service on the host or the LAN would.
  listener = http.createServer((request, response) => {
    requests.push(request.url ?? "");
    response.end("secret\n");
  });
  await new Promise<void>((resolve) => listener.listen(0, "0.0.0.0", resolve));
  port = (listener.address() as AddressInfo).port;
  // The host's address on the engine's default bridge (docker0 unless configured otherwise).
  const { stdout } = await promisify(execFile)("docker", ["network", "inspect", "bridge", "--format", '{{index .Options "com.docker.network.bridge.name"}}']);
  // (`ip`, not os.networkInterfaces(): a bridge with no container attached is down and Node leaves it out.)
  const { stdout: addr } = await promisify(execFile)("ip", ["-4", "-o", "addr", "show", "dev", stdout.trim() || "docker0"]);
  gateway = addr.match(/inet (\d+\.\d+\.\d+\.\d+)/)?.[1] ?? "";
  if (!gateway) throw new Error("cannot find the host's address on the engine's bridge");
  [testDb, git] = await Promise.all([createTestDb(), startGitServer()]);
});

afterAll(async () => {
  for (const imageId of images) await engine.removeImage(imageId).catch(() => {});
  await Promise.all([testDb?.dispose(), git?.stop(), new Promise((resolve) => listener?.close(resolve))]);
});

async function compareRepo(dockerfile: string, network: RepoBuildNetwork) {
  const name = `hostile${++counter}`;
  const { url } = await git.createRepo(name, { ...goModule, Dockerfile: dockerfile });
  const id = `hostile${String(counter).padStart(3, "0")}`;
  await testDb.db.comparison.create({ data: { id, repo: url, status: "running", rebuild: true, variantKeys: JSON.stringify(["repo"]) } });
  await runComparison(id, {
    db: testDb.db,
    engine,
    bases: config.baseImages,
    resolveSource: makeSourceResolver({ policy: config.repoPolicy, limits: config.cloneLimits, examplesDir: config.examplesDir }),
    repoBuildNetwork: network,
    repoBases: config.repoBases,
    runTimeoutSeconds: 4,
  });
  const view = (await getComparison(testDb.db, id))!;
  for (const variant of view.variants) if (variant.imageId) images.push(variant.imageId);
  return { ...view.variants.find((v) => v.key === "repo")!, comparisonId: id };
}

describe("a repository's own Dockerfile", () => {
  it("is refused before building when ADD fetches from a URL", async () => {
    const before = requests.length;
    const repo = await compareRepo(`FROM ${MINBASE}\nADD http://127.0.0.1:${port}/add /add\n`, "none");
    expect(repo.status).toBe("failed");
    expect(repo.reason).toContain("REMOTE_ADD");
    expect(requests.length - before).toBe(0);
  });

  it("is refused when its escape directive hides the remote ADD across lines", async () => {
    const before = requests.length;
    const repo = await compareRepo(`# escape=\`\nFROM ${MINBASE}\nADD \`\n  http://${gateway}:${port}/hidden /hidden\n`, "bridge");
    expect(repo.status).toBe("failed");
    expect(repo.reason).toContain("REMOTE_ADD");
    expect(requests.length - before).toBe(0);
  });

  it("builds with no network by default: a RUN step cannot reach the host", async () => {
    const before = requests.length;
    const repo = await compareRepo(`FROM ${MINBASE}\nRUN bash -c 'exec 3<>/dev/tcp/${gateway}/${port}; printf "GET /run HTTP/1.0\\r\\n\\r\\n" >&3; cat <&3'\n`, "none");
    expect(repo.status).toBe("failed");
    expect(repo.reason).toContain("SLIMSTAGE_REPO_BUILD_NETWORK");
    expect(requests.length - before).toBe(0);
  });

  it("reaches the host on the bridge network, when an operator chooses it", async () => {
    const before = requests.length;
    const repo = await compareRepo(`FROM ${MINBASE}\nRUN bash -c 'exec 3<>/dev/tcp/${gateway}/${port}; printf "GET /bridge HTTP/1.0\\r\\n\\r\\n" >&3; cat <&3'\n`, "bridge");
    expect(repo.status).toBe("built");
    expect(requests.slice(before)).toContain("/bridge");
  });

  it("counts the bytes a later step deletes as wasted, as dive does", async () => {
    const repo = await compareRepo(`FROM ${MINBASE}\nRUN head -c 5000000 /dev/urandom > /big\nRUN rm /big\n`, "none");
    expect(repo.status).toBe("built");
    const found = await getVariantAnalysis(testDb.db, repo.comparisonId, "repo");
    if (found.found !== "analysis") throw new Error(found.found);
    // dive: every copy of a path seen more than once (the file and its whiteout) is waste.
    expect(found.analysis.efficiency.wastedBytes).toBeGreaterThanOrEqual(5_000_000);
    expect(found.analysis.efficiency.redundantBytes).toBe(5_000_000);
    expect(found.analysis.efficiency.inefficiencies[0]).toMatchObject({ path: "/big", count: 2 });
    expect(found.analysis.efficiency.efficiency).toBeLessThan(1);
  });

  it("is refused when FROM names an image that is neither present nor allowed", async () => {
    const repo = await compareRepo("FROM example.invalid/not-allowed:1\nRUN true\n", "none");
    expect(repo.status).toBe("failed");
    expect(repo.reason).toContain("FROM_NOT_ALLOWED");
  });
});
