// The prober image: its Dockerfile, its tag, and that it is built once and then found.
import { describe, expect, it } from "vitest";
import type { BuildInput, Engine, ImageInfo } from "@/lib/engine/engine";
import { ensureProber, proberDockerfile, proberTag } from "@/lib/verify/prober-image";

describe("proberDockerfile", () => {
  it("builds from the builder image named onto scratch", () => {
    const dockerfile = proberDockerfile("slimstage/golang:1.23-local");
    expect(dockerfile).toMatch(/^FROM slimstage\/golang:1\.23-local AS builder\n/);
    expect(dockerfile).toContain("\nFROM scratch\n");
    expect(dockerfile).toContain('ENTRYPOINT ["/prober"]');
  });

  it.each(["golang:1.23\nRUN rm -rf /", "", "-x", "a b"])("refuses %j", (builder) => {
    expect(() => proberDockerfile(builder)).toThrow(/not an image reference/);
  });
});

describe("proberTag", () => {
  it("changes with the source, not with the builder image", () => {
    const tag = proberTag([["main.go", "package main"]]);
    expect(tag).toMatch(/^slimstage\/prober:[0-9a-f]{16}$/);
    expect(proberTag([["main.go", "package main"]])).toBe(tag);
    expect(proberTag([["main.go", "package main // changed"]])).not.toBe(tag);
  });
});

/** An engine that has the images in `have` and records what it is asked to build. */
function engineWith(have: Set<string>, kind: "buildkit" | "classic" = "buildkit"): Pick<Engine, "image" | "build" | "builder"> & { built: BuildInput[] } {
  const built: BuildInput[] = [];
  return {
    built,
    builder: async () => ({ kind, why: "test" }),
    image: async (ref: string): Promise<ImageInfo | null> => (have.has(ref) ? { id: `sha256:${ref}`, sizeBytes: 1, historyLength: 1 } : null),
    build: async (input: BuildInput) => {
      built.push(input);
      await new Promise((resolve) => setTimeout(resolve, 20));
      if (input.tag) have.add(input.tag);
      return { imageId: `sha256:${input.tag}` };
    },
  };
}

describe("ensureProber", () => {
  it("builds the image once, tagged and labelled, even when asked twice at once; then finds it", async () => {
    const engine = engineWith(new Set());
    const [a, b] = await Promise.all([ensureProber(engine, "slimstage/golang:1.23-local"), ensureProber(engine, "slimstage/golang:1.23-local")]);
    expect(a).toBe(b);
    expect(engine.built).toHaveLength(1);
    expect(engine.built[0]).toMatchObject({
      tag: a,
      // The engine's own builder: BuildKit leaves no builder-stage image behind.
      builder: "buildkit",
      labels: { "org.slimstage.app": "slimstage", "org.slimstage.managed": "base-image" },
    });
    // Another builder image finds the same prober.
    expect(await ensureProber(engine, "golang:1.27")).toBe(a);
    expect(engine.built).toHaveLength(1);
  });

  it("builds with the classic builder where the engine has no other (Podman)", async () => {
    const engine = engineWith(new Set(), "classic");
    await ensureProber(engine, "slimstage/golang:1.23-local");
    expect(engine.built[0].builder).toBe("classic");
  });

  it("says which image did not build", async () => {
    const engine = { ...engineWith(new Set()), build: async () => Promise.reject(new Error("go: command not found")) };
    await expect(ensureProber(engine, "slimstage/nogo:1")).rejects.toThrow(/prober image slimstage\/prober:\w+ did not build: go: command not found/);
  });
});
