// A static Go module proxy (the GOPROXY protocol, https://go.dev/ref/mod#goproxy-protocol)
// on loopback for tests: the Go module proxy is not reachable from these machines, so a
// fixture that depends on a third-party module is served from here. A build container
// reaches it only with network "host" (bridge networks get "connection refused").
//
// Also the go.sum arithmetic (dirhash "h1:"), so fixtures can carry a complete go.sum
// computed from the same files the proxy serves.
import { createHash } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createZip } from "@/lib/testing/zip";

export interface ProxyModule {
  /** Module path, e.g. "example.com/greeter". */
  path: string;
  /** Canonical semver with a leading "v", e.g. "v1.0.0". */
  version: string;
  /** Files of the module, relative to its root (must include go.mod). */
  files: Record<string, string>;
}

export interface ModuleProxy {
  /** "http://127.0.0.1:PORT" — the value for GOPROXY. */
  url: string;
  /** Every request path the proxy received, in order (e.g. "/example.com/greeter/@v/v1.0.0.zip"). */
  requests: string[];
  stop(): Promise<void>;
}

// Fixed so .info and the zip are byte-for-byte reproducible.
const MODULE_TIME = "2024-01-01T00:00:00Z";

/**
 * The case encoding of the GOPROXY protocol (golang.org/x/mod/module.EscapePath):
 * every uppercase letter becomes "!" followed by its lowercase form.
 */
export function escapeModulePath(p: string): string {
  return p.replace(/[A-Z]/g, (c) => `!${c.toLowerCase()}`);
}

function utf8Compare(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

function sortedNames(files: Record<string, string>): string[] {
  return Object.keys(files).sort(utf8Compare);
}

function checkModule(module: string, version: string, files: Record<string, string>): void {
  if (!/^v\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/.test(version)) {
    throw new Error(`module ${module}: version ${JSON.stringify(version)} is not canonical semver`);
  }
  if (!("go.mod" in files)) throw new Error(`module ${module}@${version}: files must include go.mod`);
  for (const name of Object.keys(files)) {
    if (name.startsWith("/") || name.split("/").some((s) => s === "" || s === "." || s === "..")) {
      throw new Error(`module ${module}@${version}: bad file name ${JSON.stringify(name)}`);
    }
  }
}

/** dirhash.Hash1: "h1:" + base64(sha256 of "sha256hex(file)  name\n" for each name, sorted). */
function hash1(entries: Array<{ name: string; data: string }>): string {
  const sorted = [...entries].sort((a, b) => utf8Compare(a.name, b.name));
  let summary = "";
  for (const { name, data } of sorted) {
    if (name.includes("\n")) throw new Error(`dirhash: file name with newline: ${JSON.stringify(name)}`);
    summary += `${createHash("sha256").update(data, "utf8").digest("hex")}  ${name}\n`;
  }
  return `h1:${createHash("sha256").update(summary, "utf8").digest("base64")}`;
}

/** The module zip as a proxy serves it: every entry prefixed "<module>@<version>/". */
export function moduleZip(module: string, version: string, files: Record<string, string>): Buffer {
  checkModule(module, version, files);
  return createZip(sortedNames(files).map((name) => ({ name: `${module}@${version}/${name}`, data: files[name]! })));
}

/** The go.sum hash of the module zip (the line "<module> <version> h1:..."). */
export function moduleZipHash(module: string, version: string, files: Record<string, string>): string {
  checkModule(module, version, files);
  return hash1(Object.entries(files).map(([name, data]) => ({ name: `${module}@${version}/${name}`, data })));
}

/**
 * The go.sum hash of the go.mod file alone (the line "<module> <version>/go.mod h1:...").
 * Go hashes it under the bare name "go.mod" (cmd/go/internal/modfetch.goModSum), not under
 * the zip's prefixed name.
 */
export function goModHash(goMod: string): string {
  return hash1([{ name: "go.mod", data: goMod }]);
}

/** The two go.sum lines for one module version, each ending in "\n". */
export function goSumLines(module: string, version: string, files: Record<string, string>): string {
  checkModule(module, version, files);
  return (
    `${module} ${version} ${moduleZipHash(module, version, files)}\n` +
    `${module} ${version}/go.mod ${goModHash(files["go.mod"]!)}\n`
  );
}

function compareSemver(a: string, b: string): number {
  const parse = (v: string) => {
    const m = /^v(\d+)\.(\d+)\.(\d+)(?:-([^+]*))?/.exec(v)!;
    return { nums: [Number(m[1]), Number(m[2]), Number(m[3])], pre: m[4] };
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < 3; i++) if (x.nums[i] !== y.nums[i]) return x.nums[i]! - y.nums[i]!;
  if (x.pre === y.pre) return 0;
  if (x.pre === undefined) return 1;
  if (y.pre === undefined) return -1;
  return x.pre < y.pre ? -1 : 1;
}

interface Served {
  list: string;
  versions: Map<string, { info: string; mod: string; zip: Buffer }>;
  latest: string;
}

/**
 * Starts a static GOPROXY on 127.0.0.1 (a free port) serving these module versions:
 * `<module>/@v/list`, `<module>/@v/<version>.info|.mod|.zip`, `<module>/@latest`;
 * 404 for anything else (Go treats 404 as "not found here").
 */
export async function startModuleProxy(modules: ProxyModule[]): Promise<ModuleProxy> {
  const byPath = new Map<string, Served>();
  for (const m of modules) {
    const key = escapeModulePath(m.path);
    let served = byPath.get(key);
    if (!served) {
      served = { list: "", versions: new Map(), latest: "" };
      byPath.set(key, served);
    }
    const vkey = escapeModulePath(m.version);
    if (served.versions.has(vkey)) throw new Error(`module ${m.path}@${m.version} given twice`);
    served.versions.set(vkey, {
      info: JSON.stringify({ Version: m.version, Time: MODULE_TIME }) + "\n",
      mod: m.files["go.mod"] ?? "",
      zip: moduleZip(m.path, m.version, m.files),
    });
  }
  for (const [, served] of byPath) {
    const versions = [...served.versions.values()]
      .map((v) => (JSON.parse(v.info) as { Version: string }).Version)
      .sort(compareSemver);
    served.list = versions.map((v) => `${v}\n`).join("");
    served.latest = served.versions.get(escapeModulePath(versions[versions.length - 1]!))!.info;
  }

  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const url = req.url ?? "/";
    requests.push(url);
    const send = (status: number, type: string, body: string | Buffer) => {
      res.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(body) });
      res.end(req.method === "HEAD" ? undefined : body);
    };
    const notFound = () => send(404, "text/plain; charset=utf-8", `not found: ${url}\n`);
    if (req.method !== "GET" && req.method !== "HEAD") return send(405, "text/plain; charset=utf-8", "method not allowed\n");

    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(url, "http://proxy").pathname);
    } catch {
      return notFound();
    }
    if (pathname.endsWith("/@latest")) {
      const served = byPath.get(pathname.slice(1, -"/@latest".length));
      return served ? send(200, "application/json", served.latest) : notFound();
    }
    const at = pathname.lastIndexOf("/@v/");
    if (at < 1) return notFound();
    const served = byPath.get(pathname.slice(1, at));
    if (!served) return notFound();
    const file = pathname.slice(at + "/@v/".length);
    if (file === "list") return send(200, "text/plain; charset=utf-8", served.list);
    const m = /^(.+)\.(info|mod|zip)$/.exec(file);
    const version = m && served.versions.get(m[1]!);
    if (!m || !version) return notFound();
    if (m[2] === "info") return send(200, "application/json", version.info);
    if (m[2] === "mod") return send(200, "text/plain; charset=utf-8", version.mod);
    return send(200, "application/zip", version.zip);
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let stopped: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    stop() {
      stopped ??= new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
      return stopped;
    },
  };
}
