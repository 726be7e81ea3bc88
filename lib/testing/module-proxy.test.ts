import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { greeterGoSum, greeterModule, greeterProxyModule, thirdPartyApp } from "@/lib/testing/go-fixtures";
import {
  escapeModulePath,
  goModHash,
  goSumLines,
  moduleZip,
  moduleZipHash,
  startModuleProxy,
  type ModuleProxy,
} from "@/lib/testing/module-proxy";
import { crc32, createZip, readZip } from "@/lib/testing/zip";

const run = promisify(execFile);

const upper = (version: string) => ({
  path: "example.com/Upper/Mod",
  version,
  files: { "go.mod": "module example.com/Upper/Mod\n\ngo 1.21\n", "mod.go": `package mod\n\nconst V = "${version}"\n` },
});

describe("zip", () => {
  it("uses the standard CRC-32", () => {
    expect(crc32(Buffer.from("123456789"))).toBe(0xcbf43926);
  });

  it("writes stored entries that read back with names, sizes and CRCs", () => {
    const zip = createZip([
      { name: "a/b.txt", data: "hello\n" },
      { name: "empty", data: "" },
    ]);
    const entries = readZip(zip);
    expect(entries.map((e) => e.name)).toEqual(["a/b.txt", "empty"]);
    expect(entries[0]!.data.toString()).toBe("hello\n");
    expect(entries[0]!.size).toBe(6);
    expect(entries[0]!.crc).toBe(crc32(Buffer.from("hello\n")));
    expect(entries[1]!.size).toBe(0);
    expect(createZip([{ name: "a/b.txt", data: "hello\n" }]).equals(createZip([{ name: "a/b.txt", data: "hello\n" }]))).toBe(true);
  });

  it("refuses duplicate names", () => {
    expect(() => createZip([{ name: "x", data: "1" }, { name: "x", data: "2" }])).toThrow(/duplicate/);
  });
});

describe("go.sum hashes", () => {
  it("gives stable h1 lines for example.com/greeter v1.0.0 (accepted by Go 1.23)", () => {
    expect(goSumLines("example.com/greeter", "v1.0.0", greeterModule)).toBe(
      "example.com/greeter v1.0.0 h1:HpHFPLh1fIotQVmUGf33zHz10BoTSb9gk+S9lkV+qnk=\n" +
        "example.com/greeter v1.0.0/go.mod h1:I//ddxs3AIMtbYloLrM95XWcjLJ7Yw33WRq4goKia2M=\n",
    );
    expect(greeterGoSum).toBe(goSumLines("example.com/greeter", "v1.0.0", greeterModule));
    expect(thirdPartyApp["go.sum"]).toBe(greeterGoSum);
  });

  it("hashes the zip's entries (dirhash Hash1) and go.mod under the bare name go.mod", () => {
    const zip = moduleZip("example.com/greeter", "v1.0.0", greeterModule);
    const summary = readZip(zip)
      .map((e) => ({ name: e.name, hex: createHash("sha256").update(e.data).digest("hex") }))
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map((e) => `${e.hex}  ${e.name}\n`)
      .join("");
    expect(moduleZipHash("example.com/greeter", "v1.0.0", greeterModule)).toBe(
      `h1:${createHash("sha256").update(summary).digest("base64")}`,
    );
    const modSummary = `${createHash("sha256").update(greeterModule["go.mod"]!).digest("hex")}  go.mod\n`;
    expect(goModHash(greeterModule["go.mod"]!)).toBe(`h1:${createHash("sha256").update(modSummary).digest("base64")}`);
  });

  it("does not depend on the order the files are given in", () => {
    const reversed = Object.fromEntries(Object.entries(greeterModule).reverse());
    expect(goSumLines("example.com/greeter", "v1.0.0", reversed)).toBe(greeterGoSum);
  });

  it("rejects a module without go.mod or with a non-canonical version", () => {
    expect(() => goSumLines("example.com/x", "v1.0.0", { "x.go": "package x\n" })).toThrow(/go\.mod/);
    expect(() => goSumLines("example.com/x", "1.0", { "go.mod": "module example.com/x\n" })).toThrow(/semver/);
  });
});

describe("escapeModulePath", () => {
  it("case-encodes uppercase letters", () => {
    expect(escapeModulePath("github.com/Azure/azure-sdk")).toBe("github.com/!azure/azure-sdk");
    expect(escapeModulePath("example.com/greeter")).toBe("example.com/greeter");
  });
});

describe("startModuleProxy", () => {
  let proxy: ModuleProxy;
  const get = async (p: string) => {
    const res = await fetch(proxy.url + p);
    return { status: res.status, type: res.headers.get("content-type"), body: Buffer.from(await res.arrayBuffer()) };
  };

  beforeAll(async () => {
    proxy = await startModuleProxy([greeterProxyModule, upper("v1.10.0"), upper("v1.2.0")]);
  });
  afterAll(async () => {
    await proxy.stop();
  });

  it("listens on loopback", () => {
    expect(proxy.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it("serves list, info and mod", async () => {
    const list = await get("/example.com/greeter/@v/list");
    expect(list.status).toBe(200);
    expect(list.body.toString()).toBe("v1.0.0\n");

    const info = await get("/example.com/greeter/@v/v1.0.0.info");
    expect(info.status).toBe(200);
    expect(JSON.parse(info.body.toString())).toEqual({ Version: "v1.0.0", Time: "2024-01-01T00:00:00Z" });

    const mod = await get("/example.com/greeter/@v/v1.0.0.mod");
    expect(mod.status).toBe(200);
    expect(mod.body.toString()).toBe(greeterModule["go.mod"]);
  });

  it("serves a module zip with every entry under <module>@<version>/", async () => {
    const zip = await get("/example.com/greeter/@v/v1.0.0.zip");
    expect(zip.status).toBe(200);
    expect(zip.type).toBe("application/zip");
    const entries = readZip(zip.body);
    expect(entries.map((e) => e.name)).toEqual(["example.com/greeter@v1.0.0/go.mod", "example.com/greeter@v1.0.0/greeter.go"]);
    for (const e of entries) {
      const rel = e.name.slice("example.com/greeter@v1.0.0/".length);
      expect(e.data.toString()).toBe(greeterModule[rel]);
      expect(e.crc).toBe(crc32(e.data));
    }
    expect(zip.body.equals(moduleZip("example.com/greeter", "v1.0.0", greeterModule))).toBe(true);
  });

  it("gives a zip that unzip reads, when unzip is installed", async () => {
    const hasUnzip = await run("unzip", ["-v"]).then(
      () => true,
      () => false,
    );
    if (!hasUnzip) return;
    const dir = await mkdtemp(path.join(os.tmpdir(), "slimstage-zip-"));
    try {
      const file = path.join(dir, "m.zip");
      await writeFile(file, (await get("/example.com/greeter/@v/v1.0.0.zip")).body);
      const { stdout } = await run("unzip", ["-l", file]);
      expect(stdout).toContain("example.com/greeter@v1.0.0/go.mod");
      expect(stdout).toContain("example.com/greeter@v1.0.0/greeter.go");
      await run("unzip", ["-tq", file]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("serves case-encoded paths and lists versions in semver order", async () => {
    const list = await get("/example.com/!upper/!mod/@v/list");
    expect(list.status).toBe(200);
    expect(list.body.toString()).toBe("v1.2.0\nv1.10.0\n");
    const latest = await get("/example.com/!upper/!mod/@latest");
    expect(JSON.parse(latest.body.toString()).Version).toBe("v1.10.0");
    expect((await get("/example.com/!upper/!mod/@v/v1.2.0.mod")).body.toString()).toContain("module example.com/Upper/Mod");
    expect((await get("/example.com/Upper/Mod/@v/list")).status).toBe(404);
  });

  it("answers 404 for anything else", async () => {
    for (const p of [
      "/",
      "/example.com/greeter",
      "/example.com/other/@v/list",
      "/example.com/greeter/@v/v9.9.9.zip",
      "/example.com/greeter/@v/v1.0.0.tar",
      "/example.com/greeter/@v/",
    ]) {
      expect((await get(p)).status, p).toBe(404);
    }
  });

  it("records the request paths", () => {
    expect(proxy.requests).toContain("/example.com/greeter/@v/v1.0.0.zip");
  });

  it("stops, and is unreachable afterwards", async () => {
    const other = await startModuleProxy([greeterProxyModule]);
    expect((await fetch(`${other.url}/example.com/greeter/@v/list`)).status).toBe(200);
    await other.stop();
    await other.stop();
    await expect(fetch(`${other.url}/example.com/greeter/@v/list`)).rejects.toThrow();
  });
});
