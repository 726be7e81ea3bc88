// The run check's peak memory on the real engine (run-memory.ts): a Go program that
// allocates and touches 50 MB, then exits at once, is measured at least that; one that
// allocates nothing is measured above zero and well under it; a run that does not ask is
// not measured; and the run's cgroup is gone afterwards. Needs the Go stand-in image.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildContext, DOCKERFILE_NAME } from "@/lib/engine/build-context";
import { dockerEngine } from "@/lib/engine/docker-engine";
import { LABEL_APP, LABEL_COMPARISON } from "@/lib/engine/engine";
import { BUILDER_IMAGE } from "@/lib/testing/go-binaries";

const engine = dockerEngine();
const nonce = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
const hasBuilder = spawnSync("docker", ["image", "inspect", BUILDER_IMAGE], { stdio: "ignore" }).status === 0;
const MB = 1_000_000;
// Allocates `n` MB (the first argument), touches every page so it is resident, and exits.
const MAIN = `package main

import (
	"fmt"
	"os"
	"strconv"
)

func main() {
	n, _ := strconv.Atoi(os.Args[1])
	buf := make([]byte, n*1000*1000)
	for i := 0; i < len(buf); i += 4096 {
		buf[i] = byte(i)
	}
	fmt.Println("touched", len(buf))
}
`;
let image = "";

describe.skipIf(!hasBuilder)(`peak memory of a run check (${BUILDER_IMAGE} present)`, () => {
  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "run-memory-"));
    writeFileSync(path.join(dir, "go.mod"), "module example.com/alloc\n\ngo 1.21\n");
    writeFileSync(path.join(dir, "main.go"), MAIN);
    try {
      ({ imageId: image } = await engine.build({
        context: buildContext({
          sourceDir: dir,
          dockerfile: `FROM ${BUILDER_IMAGE} AS builder\nENV CGO_ENABLED=0 GOTOOLCHAIN=local\nWORKDIR /src\nCOPY src/ ./\nRUN go build -o /alloc .\nFROM scratch\nCOPY --from=builder /alloc /alloc\nENTRYPOINT ["/alloc"]\n`,
        }),
        dockerfile: DOCKERFILE_NAME,
        labels: { [LABEL_APP]: "slimstage", [LABEL_COMPARISON]: `memory-${nonce}` },
        onLog: () => {},
      }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  afterAll(() => {
    if (image) spawnSync("docker", ["rmi", "-f", image], { stdio: "ignore" });
  });

  const run = (mb: number, measureMemory = true) =>
    engine.run({ image, args: [String(mb)], timeoutSeconds: 20, measureMemory, labels: { [LABEL_APP]: "slimstage", [LABEL_COMPARISON]: `memory-${nonce}` } });

  it("a program that allocates 50 MB and exits at once is measured at 50 MB or more; one that allocates nothing, above zero and well under", async () => {
    const big = await run(50);
    expect(big).toMatchObject({ exitCode: 0, output: expect.stringContaining("touched 50000000") });
    expect(big.memory?.reason).toBeNull();
    expect(big.memory!.bytes).toBeGreaterThanOrEqual(50 * MB);
    expect(big.memory!.bytes).toBeLessThan(256 * 1024 * 1024); // the sandbox's limit

    const small = await run(0);
    expect(small.exitCode).toBe(0);
    expect(small.memory!.bytes).toBeGreaterThan(0);
    expect(small.memory!.bytes).toBeLessThan(big.memory!.bytes! - 40 * MB);
    console.log(`[figures] run-check peak memory: 50 MB program ${big.memory!.bytes} B, idle program ${small.memory!.bytes} B`);
  });

  it("a run that does not ask is not measured; the run's cgroup is removed after it", async () => {
    expect((await run(1, false)).memory).toBeUndefined();
    await run(1);
    const parent = "/sys/fs/cgroup/memory/slimstage-runs";
    if (existsSync(parent)) expect(readdirSync(parent, { withFileTypes: true }).filter((e) => e.isDirectory())).toEqual([]);
  });
});
