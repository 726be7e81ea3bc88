// A real container registry on loopback for tests: Debian's `docker-registry` (the
// reference Distribution registry 2.8), so the official profile's pulls are tested
// against the real protocol. It is reached through a small TCP proxy owned by the test,
// which can slow the registry's answers (so a pull is still running when the test stops
// the registry) and cut every open transfer when the registry goes away.
//
// Its storage is kept in .slimstage/test-registry between runs: pushing the 666 MB Go
// stand-in costs about a minute (the engine compresses every layer), and an image whose
// manifest there already names the same config (the image ID) is not pushed again.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import type { Engine } from "@/lib/engine/engine";
import { aptInstall, hasCommand, startDaemon, type Daemon } from "./daemon";

export interface TestRegistry {
  /** 127.0.0.1:PORT: name images by it, or give it to an engine as its registry mirror. */
  host: string;
  /** Slows what the registry sends to `bytesPerSecond`; null: full speed. */
  throttle(bytesPerSecond: number | null): void;
  /** Kills the registry at once, as a registry that goes away: open transfers break, new ones are refused. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

const MANIFEST_V2 = "application/vnd.docker.distribution.manifest.v2+json";

export async function startTestRegistry(rootDir = path.join(process.cwd(), ".slimstage", "test-registry")): Promise<TestRegistry> {
  if (!(await hasCommand("docker-registry"))) await aptInstall("docker-registry");
  await mkdir(rootDir, { recursive: true });
  const dir = await mkdtemp(path.join(os.tmpdir(), "slimstage-registry-"));
  const port = await freePort();
  await writeFile(
    path.join(dir, "config.yml"),
    [
      "version: 0.1",
      "log: { level: warn }",
      `storage: { filesystem: { rootdirectory: ${JSON.stringify(rootDir)} }, delete: { enabled: true } }`,
      `http: { addr: "127.0.0.1:${port}", secret: "slimstage-test-only" }`,
    ].join("\n") + "\n",
  );
  const registry: Daemon = await startDaemon("docker-registry", ["serve", path.join(dir, "config.yml")], {
    logFile: path.join(dir, "registry.log"),
    ready: async () => (await fetch(`http://127.0.0.1:${port}/v2/`)).ok,
  });
  const proxy = await startProxy(port);
  return {
    host: `127.0.0.1:${proxy.port}`,
    throttle: proxy.throttle,
    async kill() {
      proxy.close();
      await registry.stop(0);
    },
    async stop() {
      proxy.close();
      await registry.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Makes `localRef` (an image on `engine`) available in the registry as `name` ("library/golang:1.23"):
 * pushed through the engine, unless the registry already holds that image under that name.
 */
export async function mirrorImage(engine: Engine, registry: TestRegistry, localRef: string, name: string): Promise<void> {
  const image = await engine.image(localRef);
  if (!image) throw new Error(`${localRef} is not on the engine: run scripts/base-images.sh first`);
  const [repository, tag] = name.split(":");
  const manifest = await fetch(`http://${registry.host}/v2/${repository}/manifests/${tag}`, { headers: { accept: MANIFEST_V2 } });
  if (manifest.ok && ((await manifest.json()) as { config?: { digest?: string } }).config?.digest === image.id) return;
  const target = `${registry.host}/${repository}`;
  await engine.push(image.id, target, tag);
  await engine.removeImage(`${target}:${tag}`); // only the tag: the image keeps its own name
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

// Each connection is piped to the registry; its answers can be slowed by pausing the
// registry's side after each chunk. Closing destroys every open connection.
async function startProxy(upstreamPort: number) {
  let rate: number | null = null;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(upstreamPort, "127.0.0.1");
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => {});
    }
    client.pipe(upstream);
    upstream.on("data", (chunk: Buffer) => {
      const flushed = client.write(chunk);
      if (rate !== null) {
        upstream.pause();
        setTimeout(() => upstream.resume(), Math.ceil((chunk.length / rate) * 1000));
      } else if (!flushed) {
        upstream.pause();
        client.once("drain", () => upstream.resume());
      }
    });
    upstream.on("close", () => client.destroy());
    client.on("close", () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    throttle: (bytesPerSecond: number | null) => void (rate = bytesPerSecond),
    close() {
      server.close();
      for (const socket of sockets) socket.destroy();
    },
  };
}
