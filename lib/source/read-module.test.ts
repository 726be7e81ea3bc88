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
  it("reads go.mod, the module's .go files and vendor/modules.txt; lists every other file", async () => {
    const read = await readModuleFiles(root);
    expect(read.goMod).toContain("module example.com/app");
    expect(read.files.map((f) => f.path).sort()).toEqual([
      "cmd/api/main.go",
      "main.go",
      "vendor/github.com/google/uuid/uuid.go",
      "vendor/modules.txt",
    ]);
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
      "vendor/github.com/google/uuid/uuid.go",
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

  it.each([
    ["too many files", { maxFiles: 5, maxBytes: 20_000_000 }],
    ["too many bytes", { maxFiles: 5000, maxBytes: 40 }],
  ])("refuses %s", async (_name, limits) => {
    const error = await readModuleFiles(root, limits).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UserError);
    expect(error).toMatchObject({ code: "REPO_TOO_LARGE", kind: "invalid" });
  });
});
