// Slimstage's own image and composition (Dockerfile, compose.yaml), used as the README
// says: the image built here from the stand-in bases (scripts/own-image.sh), the
// composition brought up with Debian's docker-compose (web, worker on the host's engine
// through its socket, the PostgreSQL stand-in), `example:hello` submitted through the web's
// API and built by the worker to a working result, the comparison deleted (its worker
// removes its images), and `down -v` leaving no container, network or volume of the
// project. Kept for the next run: the image and its build's layer cache (own-image.sh).
import { execFile, execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { statSync } from "node:fs";
import net from "node:net";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const IMAGE = "slimstage/slimstage:test";
const POSTGRES_IMAGE = "slimstage/postgres:15-local";
const SOCKET = "/var/run/docker.sock";

function skipReason(): string | null {
  if (process.getuid?.() !== 0) return "needs root (it builds base images and uses the host's Docker socket)";
  try {
    execFileSync("docker-compose", ["version"], { stdio: "ignore" });
  } catch {
    return "Debian's docker-compose is not installed (scripts/test.sh installs it as root)";
  }
  try {
    execFileSync("docker", ["version", "--format", "{{.Server.Version}}"], { stdio: "ignore" });
  } catch {
    return "no Docker Engine answers (bash scripts/engine.sh)";
  }
  return null;
}
const skip = skipReason();

const project = `slimstage-test-${randomBytes(3).toString("hex")}`;
let composeEnv: Record<string, string | undefined> = {};
let web = "";
/** The comparison the test submitted, until it is deleted. */
let submitted: { id: string; managementToken: string } | null = null;
const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;
const call = (path: string, init: RequestInit = {}) => fetch(`${web}${path}`, { signal: AbortSignal.timeout(15_000), ...init });

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const compose = (...args: string[]) =>
  run("docker-compose", ["-p", project, "-f", "compose.yaml", ...args], { env: composeEnv as NodeJS.ProcessEnv, maxBuffer: 64 * 1024 * 1024 });

const lines = async (command: string, args: string[]) =>
  (await run(command, args)).stdout.split("\n").filter(Boolean);

/** Containers, networks and volumes docker-compose labelled as this project's. */
async function projectLeftovers(): Promise<string[]> {
  const filter = `label=com.docker.compose.project=${project}`;
  return [
    ...(await lines("docker", ["ps", "-a", "--filter", filter, "--format", "container {{.Names}}"])),
    ...(await lines("docker", ["network", "ls", "--filter", filter, "--format", "network {{.Name}}"])),
    ...(await lines("docker", ["volume", "ls", "--filter", filter, "--format", "volume {{.Name}}"])),
  ];
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

interface ApiComparison {
  status: string;
  error?: unknown;
  variants: Array<{ key: string; status: string; sizeBytes: number | null; runCheck: { verdict: string } | null }>;
}

describe.skipIf(skip !== null)(`Slimstage's own image and compose file${skip ? ` (skipped: ${skip})` : ""}`, () => {
  beforeAll(async () => {
    // Seconds when the image is current; the first time, the stand-ins and the image.
    const started = performance.now();
    await run("bash", ["scripts/own-image.sh", IMAGE], { maxBuffer: 64 * 1024 * 1024 }).catch((error: { stderr?: string }) => {
      throw new Error(`scripts/own-image.sh failed:\n${error.stderr?.slice(-4000)}`);
    });
    console.log(`[compose test] image ${IMAGE} ready in ${seconds(started)}`);
    const [webPort, postgresPort] = [await freePort(), await freePort()];
    web = `http://127.0.0.1:${webPort}`;
    composeEnv = {
      PATH: process.env.PATH,
      SLIMSTAGE_IMAGE: IMAGE,
      SLIMSTAGE_POSTGRES_IMAGE: POSTGRES_IMAGE,
      SLIMSTAGE_WEB_PORT: String(webPort),
      SLIMSTAGE_POSTGRES_PORT: String(postgresPort),
      SLIMSTAGE_POSTGRES_PASSWORD: randomBytes(12).toString("hex"),
      SLIMSTAGE_DOCKER_GID: String(statSync(SOCKET).gid),
      SLIMSTAGE_BASE_PROFILE: "offline",
      // The one Go builder example:hello needs: a new worker measures its bases at start.
      SLIMSTAGE_BASE_GOLANG: "1.23=slimstage/golang:1.23-local",
      // Any free loopback port: another worker on this host may hold the default one.
      SLIMSTAGE_REGISTRY_PORT: "0",
      SLIMSTAGE_ADMIN_TOKEN: randomBytes(16).toString("hex"),
    };
  }, 15 * 60_000);

  afterAll(async () => {
    if (!web) return;
    // Whatever happened above, the comparison's images and the project go.
    if (submitted) await deleteComparison(submitted).catch(() => {});
    await compose("down", "-v", "--remove-orphans", "--timeout", "20").catch(() => {});
  }, 2 * 60_000);

  /** Deletes it through the API; its worker then removes its images and run-check containers. */
  async function deleteComparison(comparison: { id: string; managementToken: string }): Promise<void> {
    const deleted = await call(`/api/comparisons/${comparison.id}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${comparison.managementToken}` },
    });
    expect(deleted.status).toBeLessThan(300);
    submitted = null;
    const label = `label=org.slimstage.comparison=${comparison.id}`;
    await until("the worker to remove the comparison's images", 60_000, async () => {
      const left = [
        ...(await lines("docker", ["images", "-a", "-q", "--filter", label])),
        ...(await lines("docker", ["ps", "-a", "-q", "--filter", label])),
      ];
      return left.length === 0 ? true : undefined;
    });
  }

  it("runs example:hello to a working result through the composition, then leaves nothing behind", async () => {
    let started = performance.now();
    await compose("up", "-d", "--no-build");
    console.log(`[compose test] docker-compose up -d: ${seconds(started)}`);
    try {
      const health = await until("the web's /api/health", 120_000, async () => {
        const response = await call("/api/health", { headers: { authorization: `Bearer ${composeEnv.SLIMSTAGE_ADMIN_TOKEN}` } });
        const body = (await response.json()) as { ok: boolean; workers?: unknown[] };
        return response.ok && body.ok && (body.workers?.length ?? 0) > 0 ? body : undefined;
      });
      expect(health.ok).toBe(true);
      console.log(`[compose test] up, healthy, a worker reported in: ${seconds(started)}`);

      started = performance.now();
      const response = await call("/api/comparisons", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ repo: "example:hello", variants: ["scratch"] }),
      });
      expect(response.status).toBe(201);
      const created = (await response.json()) as { id: string; managementToken: string };
      submitted = created;
      const done = await until("the comparison to finish", 240_000, async () => {
        const body = (await (await call(`/api/comparisons/${created.id}`)).json()) as ApiComparison;
        return ["succeeded", "failed", "cancelled"].includes(body.status) ? body : undefined;
      });
      console.log(`[compose test] example:hello ${done.status} in ${seconds(started)}`);
      expect(done.status, JSON.stringify(done.error ?? done.variants)).toBe("succeeded");
      const scratch = done.variants.find((variant) => variant.key === "scratch");
      expect(scratch?.status).toBe("built");
      expect(scratch?.runCheck?.verdict).toBe("works");
      expect(scratch?.sizeBytes).toBeGreaterThan(0);

      await deleteComparison(created);
    } catch (error) {
      const logs = await compose("logs", "--no-color", "--tail", "60").then((r) => r.stdout, () => "(no logs)");
      throw new Error(`${(error as Error).message}\n--- docker-compose logs ---\n${logs}`, { cause: error });
    }

    started = performance.now();
    await compose("down", "-v", "--remove-orphans", "--timeout", "20");
    console.log(`[compose test] down in ${seconds(started)}`);
    expect(await projectLeftovers()).toEqual([]);
  });
});
