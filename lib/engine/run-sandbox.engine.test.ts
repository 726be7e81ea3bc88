// The run-check sandbox on the real engine: an image's VOLUME leaves no volume behind, a
// run-check container a crashed worker left running is swept, and inside the sandbox
// /tmp is writable, open files are limited and an init is PID 1, with the old limits kept.
// Needs the minbase image (scripts/base-images.sh) for a shell.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildContext, DOCKERFILE_NAME } from "@/lib/engine/build-context";
import { dockerEngine } from "@/lib/engine/docker-engine";
import { LABEL_APP, LABEL_COMPARISON, LABEL_OWNER, LABEL_ROLE } from "@/lib/engine/engine";
import { runCheckLabels } from "@/lib/engine/run-sweep";

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
  });
});
