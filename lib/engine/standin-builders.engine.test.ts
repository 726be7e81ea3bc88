// On-demand Go stand-ins on the real engine: the Go 1.26 builder is made from the recipe
// when the engine lacks it (two requests, one build), carries the recipe's labels,
// prints go1.26 and compiles a static hello world that runs on scratch. Needs the
// minbase and the stand-ins scripts/base-images.sh makes (they record the Debian mirror)
// and the Debian archive; the 1.26 image it makes is kept for the app.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildContext, DOCKERFILE_NAME } from "@/lib/engine/build-context";
import { dockerEngine } from "@/lib/engine/docker-engine";
import { LABEL_APP, LABEL_COMPARISON } from "@/lib/engine/engine";
import { ensureBuilderImage, GOLANG_RECIPE_FILE, MINBASE_IMAGE, MIRROR_LABEL, RECIPE_LABEL, recipeDigest, standinRef } from "./standin-builders";

const engine = dockerEngine();
const REF = standinRef("1.26");
const hasMinbase = spawnSync("docker", ["image", "inspect", MINBASE_IMAGE], { stdio: "ignore" }).status === 0;
const leftovers: string[] = [];

afterAll(async () => {
  for (const id of leftovers) await engine.removeImage(id);
});

describe.skipIf(!hasMinbase)("ensureBuilderImage on the engine", () => {
  it("makes the Go 1.26 stand-in once for two requests, and it builds a static program", async () => {
    // Only a stand-in this recipe made is removed, so the build path runs every time.
    const before = await engine.image(REF);
    if (before?.labels?.["org.slimstage.standin.for"] === "golang:1.26") await engine.removeImage(before.id);
    expect(await engine.image(REF)).toBeNull();

    const heard: string[][] = [[], []];
    const results = await Promise.all(heard.map((lines) => ensureBuilderImage(engine, REF, { onProgress: (line) => lines.push(line) })));
    expect(results).toEqual(["built", "built"]);
    expect(heard.flat().filter((line) => line.includes("joining the build already under way"))).toHaveLength(1);
    expect(heard.flat().filter((line) => /^Step 1\/\d+ : FROM slimstage\/bookworm-minbase:local$/.test(line))).toHaveLength(2);

    const made = await engine.image(REF);
    const recipe = await readFile(path.resolve(GOLANG_RECIPE_FILE), "utf8");
    expect(made?.labels).toMatchObject({
      "org.slimstage.standin": "true",
      "org.slimstage.standin.for": "golang:1.26",
      "org.slimstage.managed": "base-image",
      [RECIPE_LABEL]: recipeDigest(recipe),
      [MIRROR_LABEL]: expect.stringMatching(/^https?:\/\//),
    });
    expect(await ensureBuilderImage(engine, REF, { onProgress: () => {} })).toBe("present");

    const version = await engine.run({ image: REF, args: ["go", "version"], timeoutSeconds: 30, labels: { [LABEL_APP]: "slimstage" } });
    expect(version).toMatchObject({ exitCode: 0 });
    expect(version.output).toMatch(/^go version go1\.26\.\d+ linux\//);

    const dir = mkdtempSync(path.join(tmpdir(), "standin-hello-"));
    try {
      writeFileSync(path.join(dir, "go.mod"), "module example.com/hello\n\ngo 1.25\n");
      writeFileSync(path.join(dir, "main.go"), 'package main\n\nimport (\n\t"fmt"\n\t"runtime"\n)\n\nfunc main() { fmt.Println("hello from", runtime.Version()) }\n');
      const dockerfile = `FROM ${REF} AS build\nWORKDIR /src\nCOPY src/ ./\nRUN CGO_ENABLED=0 go build -o /hello .\nFROM scratch\nCOPY --from=build /hello /hello\nENTRYPOINT ["/hello"]\n`;
      const { imageId } = await engine.build({
        context: buildContext({ sourceDir: dir, dockerfile }),
        dockerfile: DOCKERFILE_NAME,
        labels: { [LABEL_APP]: "slimstage", [LABEL_COMPARISON]: `standin-${Date.now()}` },
        networkMode: "none",
        // BuildKit commits no intermediate images, so the stand-in has no children and the
        // next run can remove it again.
        builder: "buildkit",
        onLog: () => {},
      });
      leftovers.push(imageId);
      const hello = await engine.run({ image: imageId, timeoutSeconds: 30, labels: { [LABEL_APP]: "slimstage" } });
      expect(hello).toMatchObject({ exitCode: 0 });
      expect(hello.output).toMatch(/^hello from go1\.26\.\d+$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
