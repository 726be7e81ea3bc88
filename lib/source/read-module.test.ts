import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { UserError } from "@/lib/errors";
import { readModuleFiles } from "./read-module";

let root: string;
let outside: string;

async function write(base: string, files: Record<string, string>): Promise<void> {
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(base, rel)), { recursive: true });
    await writeFile(path.join(base, rel), content);
  }
}

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), "slimstage-read-module-"));
  outside = await mkdtemp(path.join(tmpdir(), "slimstage-outside-"));
  await write(outside, { "secret.go": "package main // must never be read\n" });
  await write(root, {
    "go.mod": "module example.com/app\n\ngo 1.22\n",
    "go.sum": "",
    "main.go": "package main\n\nfunc main() {}\n",
    "cmd/api/main.go": "package main\n",
    "README.md": "# app\n",
    "vendor/modules.txt": "# github.com/google/uuid v1.6.0\n",
    "vendor/github.com/google/uuid/uuid.go": "package uuid\n",
    ".git/HEAD": "ref: refs/heads/main\n",
    ".github/workflows/ci.yml": "on: push\n",
    ".dockerignore": "bin/\n",
    "tools/go.mod": "module example.com/tools\n",
    "tools/gen/main.go": "package main\n",
  });
  await symlink(path.join(outside, "secret.go"), path.join(root, "linked.go"));
  await symlink(outside, path.join(root, "linkeddir"));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

describe("readModuleFiles", () => {
  it("reads go.mod, the module's .go files and vendor/modules.txt; lists the files the go tool looks at", async () => {
    const read = await readModuleFiles(root);
    expect(read.goMod).toContain("module example.com/app");
    expect(read.goWork).toBeNull();
    expect(read.files.map((f) => f.path).sort()).toEqual(["cmd/api/main.go", "main.go", "vendor/modules.txt"]);
    expect(read.files.find((f) => f.path === "main.go")?.content).toBe("package main\n\nfunc main() {}\n");
    expect(read.allPaths).toEqual([
      ".dockerignore",
      "README.md",
      "cmd/api/main.go",
      "go.mod",
      "go.sum",
      "main.go",
      "tools/gen/main.go",
      "tools/go.mod",
      "vendor/modules.txt",
    ]);
  });

  it("has no go.mod for a monorepo root, but lists the modules' files", async () => {
    const tools = path.join(root, "tools");
    await rm(path.join(root, "go.mod"));
    const read = await readModuleFiles(root);
    expect(read.goMod).toBeNull();
    expect(read.allPaths).toContain("tools/go.mod");
    expect((await readModuleFiles(tools)).files.map((f) => f.path)).toEqual(["gen/main.go"]);
  });

  it("reports go.work", async () => {
    await write(root, { "go.work": "go 1.24\n\nuse .\n" });
    expect((await readModuleFiles(root)).goWork).toBe("go 1.24\n\nuse .\n");
  });

  it.each([
    ["tests", "server_test.go"],
    ["testdata", "testdata/fixture/main.go"],
    ["a nested vendor folder", "internal/vendor/x/x.go"],
    ["a folder the go tool ignores", "_examples/demo/main.go"],
    ["a hidden file", "_generated.go"],
  ])("never reads %s", async (_name, rel) => {
    await write(root, { [rel]: "package main\n" });
    const read = await readModuleFiles(root);
    expect(read.files.map((f) => f.path)).not.toContain(rel);
  });

  it("passes a vendored repository of 3,000+ files and 25+ MB with the defaults, reading none of vendor/ but modules.txt", async () => {
    const kilobytes = (n: number) => `package p\n\n// ${"x".repeat(n * 1024)}\n`;
    const files: Record<string, string> = {};
    for (let m = 0; m < 60; m++) {
      for (let f = 0; f < 55; f++) files[`vendor/example.com/mod${m}/pkg/file${f}.go`] = kilobytes(8);
    }
    for (let t = 0; t < 40; t++) files[`testdata/big${t}.json`] = "{}".repeat(64 * 1024);
    for (let a = 0; a < 20; a++) files[`web/static/asset${a}.bin`] = "a".repeat(100 * 1024);
    await write(root, files);
    const read = await readModuleFiles(root);
    expect(Object.keys(files).length).toBeGreaterThan(3000);
    expect(Object.values(files).reduce((sum, text) => sum + text.length, 0)).toBeGreaterThan(25e6);
    expect(read.files.map((f) => f.path).sort()).toEqual(["cmd/api/main.go", "main.go", "vendor/modules.txt"]);
    expect(read.allPaths.filter((p) => p.startsWith("vendor/"))).toEqual(["vendor/modules.txt"]);
    expect(read.allPaths).toContain("web/static/asset0.bin");
  });

  it.each([
    ["too many .go files", { maxFiles: 1, maxBytes: 20_000_000 }],
    ["too many bytes of Go", { maxFiles: 5000, maxBytes: 40 }],
  ])("refuses %s", async (_name, limits) => {
    const error = await readModuleFiles(root, limits).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UserError);
    expect(error).toMatchObject({ code: "REPO_TOO_LARGE", kind: "invalid" });
  });

  it("counts only what it reads: many assets under tight limits pass", async () => {
    const files: Record<string, string> = {};
    for (let a = 0; a < 50; a++) files[`assets/a${a}.txt`] = "z".repeat(10_000);
    await write(root, files);
    await expect(readModuleFiles(root, { maxFiles: 2, maxBytes: 1000 })).resolves.toMatchObject({ goMod: expect.any(String) });
  });
});
