// The run-check sandbox on the real engine: an image's VOLUME leaves no volume behind, a
// run-check container a crashed worker left running is swept, and inside the sandbox
// /tmp is writable, open files are limited and an init is PID 1, with the old limits kept
// (needs the minbase image, scripts/base-images.sh, for a shell). And servers: a Go
// server on localhost:8080 runs in the sandbox, the prober reports its answers, and a
// scratch image that answers 500 where the single-stage one answers 200 fails (needs the
// Go stand-in image).
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildContext, DOCKERFILE_NAME } from "@/lib/engine/build-context";
import { dockerEngine } from "@/lib/engine/docker-engine";
import { LABEL_APP, LABEL_COMPARISON, LABEL_OWNER, LABEL_ROLE } from "@/lib/engine/engine";
import { runCheckLabels } from "@/lib/engine/run-sweep";
import { BUILDER_IMAGE } from "@/lib/testing/go-binaries";
import { ensureProber } from "@/lib/verify/prober-image";
import { judgeRunCheck, runCheck } from "@/lib/verify/run-check";

const BASE = "slimstage/bookworm-minbase:local";
const engine = dockerEngine();
const hasBase = spawnSync("docker", ["image", "inspect", BASE], { stdio: "ignore" }).status === 0;
const nonce = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
const docker = (...args: string[]) => execFileSync("docker", args, { encoding: "utf8" }).trim();
const dockerOk = (...args: string[]) => spawnSync("docker", args, { stdio: "ignore" }).status === 0;
let volumeImage = "";
const leftovers: string[] = [];

beforeAll(async () => {
  if (!hasBase) return;
  const dir = mkdtempSync(path.join(tmpdir(), "run-sandbox-"));
  try {
    ({ imageId: volumeImage } = await engine.build({
      context: buildContext({ sourceDir: dir, dockerfile: `FROM ${BASE}\nRUN echo ${nonce} > /built\nVOLUME /data\n` }),
      dockerfile: DOCKERFILE_NAME,
      labels: { [LABEL_APP]: "slimstage", [LABEL_COMPARISON]: `sandbox-${nonce}` },
      onLog: () => {},
    }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

afterAll(() => {
  for (const id of leftovers) spawnSync("docker", ["rm", "-fv", id], { stdio: "ignore" });
  if (volumeImage) spawnSync("docker", ["rmi", volumeImage], { stdio: "ignore" });
});

/** The one container labelled with this comparison, once it exists. */
async function containerOf(comparison: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const id = docker("ps", "-aq", "--filter", `label=${LABEL_COMPARISON}=${comparison}`);
    if (id) return id;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no container for ${comparison}`);
}

describe.skipIf(!hasBase)(`run checks (${BASE} present)`, () => {
  it("an image with VOLUME leaves no volume behind; the container says whose run check it is", async () => {
    const comparison = `volume-${nonce}`;
    const running = engine.run({
      image: volumeImage,
      args: ["sh", "-c", "echo kept > /data/x && sleep 2 && cat /data/x"],
      timeoutSeconds: 30,
      labels: { [LABEL_APP]: "slimstage", [LABEL_COMPARISON]: comparison },
      owner: `test-${nonce}`,
    });
    const id = await containerOf(comparison);
    const volumes = JSON.parse(docker("inspect", "--format", "{{json .Mounts}}", id)) as Array<{ Type: string; Name?: string; Destination: string }>;
    const labels = JSON.parse(docker("inspect", "--format", "{{json .Config.Labels}}", id)) as Record<string, string>;
    const result = await running;

    expect(result).toMatchObject({ exitCode: 0, timedOut: false });
    expect(result.output).toContain("kept");
    const volume = volumes.find((m) => m.Destination === "/data");
    expect(volume?.Type).toBe("volume");
    expect(volume?.Name).toMatch(/^[0-9a-f]{64}$/);
    expect(dockerOk("volume", "inspect", volume!.Name!)).toBe(false);
    expect(dockerOk("container", "inspect", id)).toBe(false);
    expect(labels).toMatchObject({ [LABEL_ROLE]: "run-check", [LABEL_OWNER]: `test-${nonce}` });
  });

  it("sweepRunChecks removes, with its volume, a run check a crashed worker left running, and not another worker's", async () => {
    const owner = `crashed-${nonce}`;
    const start = (who: string, comparison: string) => {
      const labels = { [LABEL_APP]: "slimstage", [LABEL_COMPARISON]: comparison, ...runCheckLabels(Date.now() / 1000, 10, who) };
      const id = docker("run", "-d", ...Object.entries(labels).flatMap(([k, v]) => ["--label", `${k}=${v}`]), volumeImage, "sleep", "600");
      leftovers.push(id);
      return id;
    };
    const crashed = start(owner, `crashed-${nonce}`);
    const alive = start(`alive-${nonce}`, `alive-${nonce}`);
    const volume = docker("inspect", "--format", "{{range .Mounts}}{{.Name}}{{end}}", crashed);
    expect(volume).toMatch(/^[0-9a-f]{64}$/);
    expect(docker("inspect", "--format", "{{.State.Running}}", crashed)).toBe("true");

    expect(await engine.sweepRunChecks(owner)).toBeGreaterThanOrEqual(1);
    expect(dockerOk("container", "inspect", crashed)).toBe(false);
    expect(dockerOk("volume", "inspect", volume)).toBe(false);
    // Another worker's run check, still within its time, keeps running.
    expect(docker("inspect", "--format", "{{.State.Running}}", alive)).toBe("true");
  });

  it("in the sandbox: /tmp is writable, nofile is limited, an init is PID 1, and the old limits hold", async () => {
    const script = [
      "echo written > /tmp/f && cat /tmp/f",
      "echo nofile=$(ulimit -n)",
      "echo init=$(cat /proc/1/comm)",
      "grep ' /tmp ' /proc/mounts",
      "(touch /rootfile 2>/dev/null && echo root=writable || echo root=readonly)",
      "grep -E '^(CapEff|NoNewPrivs)' /proc/self/status",
      "echo net=$(ls /sys/class/net | tr '\\n' ' ')",
      "echo hosts=$(getent hosts localhost)",
    ].join("; ");
    const result = await engine.run({
      image: BASE,
      args: ["sh", "-c", script],
      timeoutSeconds: 30,
      labels: { [LABEL_APP]: "slimstage", [LABEL_COMPARISON]: `sandbox-${nonce}` },
    });
    expect(result.exitCode).toBe(0);
    expect(result.output).toContain("written");
    expect(result.output).toContain("nofile=1024");
    expect(result.output).toMatch(/init=(docker-init|tini|catatonit)/);
    expect(result.output).toMatch(/^tmpfs \/tmp tmpfs rw,nosuid,nodev,.*size=16384k/m);
    expect(result.output).toContain("root=readonly");
    expect(result.output).toMatch(/CapEff:\s+0{16}/);
    expect(result.output).toMatch(/NoNewPrivs:\s+1/);
    expect(result.output).toMatch(/net=lo\s*$/m);
    // No network, but a loopback on which localhost resolves (NetworkDisabled had neither).
    expect(result.output).toMatch(/^hosts=(127\.0\.0\.1|::1)\s+localhost/m);
  });
});

// Reads index.html from its working directory on every request: the single-stage image
// runs in /src, where the file is; the scratch image has none and answers 500.
const SERVER_MAIN = `package main

import (
	"log"
	"net/http"
	"os"
)

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		page, err := os.ReadFile("index.html")
		if err != nil {
			log.Print(err)
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page)
	})
	log.Print("listening on localhost:8080")
	log.Fatal(http.ListenAndServe("localhost:8080", nil))
}
`;
const BUILD_STEPS = `ENV CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS=-mod=mod
WORKDIR /src
COPY src/ ./
RUN go build -o /app .`;
const PAGE = `<!doctype html><title>${nonce}</title><p>hello</p>\n`;
const hasBuilder = spawnSync("docker", ["image", "inspect", BUILDER_IMAGE], { stdio: "ignore" }).status === 0;
const servers = { single: "", scratch: "" };

describe.skipIf(!hasBuilder)(`servers in the sandbox (${BUILDER_IMAGE} present)`, () => {
  let prober = "";
  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "run-server-"));
    writeFileSync(path.join(dir, "go.mod"), "module example.com/page\n\ngo 1.21\n");
    writeFileSync(path.join(dir, "main.go"), SERVER_MAIN);
    writeFileSync(path.join(dir, "index.html"), PAGE);
    const build = async (dockerfile: string) =>
      (await engine.build({
        context: buildContext({ sourceDir: dir, dockerfile }),
        dockerfile: DOCKERFILE_NAME,
        labels: { [LABEL_APP]: "slimstage", [LABEL_COMPARISON]: `servers-${nonce}` },
        onLog: () => {},
      })).imageId;
    try {
      // The single image EXPOSEs its port; the scratch one EXPOSEs another, where nothing
      // listens, so its 8080 is found only among the sockets it opened.
      servers.single = await build(`FROM ${BUILDER_IMAGE}\n${BUILD_STEPS}\nEXPOSE 8080\nENTRYPOINT ["/app"]\n`);
      servers.scratch = await build(
        `FROM ${BUILDER_IMAGE} AS builder\n${BUILD_STEPS}\nFROM scratch\nCOPY --from=builder /app /app\nEXPOSE 9999\nENTRYPOINT ["/app"]\n`,
      );
      prober = await ensureProber(engine, BUILDER_IMAGE);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  afterAll(() => {
    for (const id of Object.values(servers)) if (id) spawnSync("docker", ["rmi", "-f", id], { stdio: "ignore" });
  });

  it("a server on localhost:8080 starts in the sandbox and keeps running", async () => {
    const result = await engine.run({ image: servers.single, timeoutSeconds: 3, labels: { [LABEL_APP]: "slimstage", [LABEL_COMPARISON]: `servers-${nonce}` } });
    expect(result).toMatchObject({ exitCode: null, timedOut: true });
    expect(result.output).toContain("listening on localhost:8080");
    expect(result.output).not.toContain("lookup localhost");
    expect(result.probes).toBeUndefined();
  });

  it("the prober reports the answers, and the scratch image answering 500 fails against the single-stage one", async () => {
    const comparisonId = `servers-${nonce}`;
    const check = (key: string) => runCheck({ comparisonId, key, imageId: servers[key as keyof typeof servers], timeoutSeconds: 20, proberImage: prober }, { engine });
    const started = Date.now();
    const [single, scratch] = await Promise.all([check("single"), check("scratch")]);
    // Stopped once the answers were in, well before the 20 s limit.
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(single).toMatchObject({ exitCode: null, timedOut: true, stoppedAfterSeconds: expect.any(Number) });
    expect(single.probes).toEqual([
      { port: 8080, listening: true, status: 200, contentType: "text/html; charset=utf-8", bodyBytes: Buffer.byteLength(PAGE), sha256: createHash("sha256").update(PAGE).digest("hex") },
    ]);
    expect(scratch.probes).toMatchObject([
      { port: 8080, listening: true, status: 500, contentType: "text/plain; charset=utf-8" },
      { port: 9999, listening: false, error: expect.stringContaining("connection refused") },
    ]);
    expect(scratch.output).toContain("open index.html: no such file or directory");

    expect(judgeRunCheck("single", single, null)).toMatchObject({ verdict: "works", output: expect.stringContaining("GET / on port 8080 answered 200") });
    const judged = judgeRunCheck("scratch", scratch, single);
    expect(judged).toMatchObject({ verdict: "fails", diagnosis: { code: "MISSING_FILE", fix: "COPY --from=builder /src/index.html /index.html" } });
    expect(judged.output).toMatch(/GET \/ on port 8080 answered 500 text\/plain; charset=utf-8 \(\d+ B\) where the single-stage image answered 200 text\/html/);
    // The run checks and their probers are gone.
    expect(docker("ps", "-aq", "--filter", `label=${LABEL_COMPARISON}=${comparisonId}`)).toBe("");
  });
});
