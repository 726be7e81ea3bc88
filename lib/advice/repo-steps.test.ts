import { describe, expect, it } from "vitest";
import { addFlags, repoSteps, type RepoStepInput } from "./repo-steps";

const SINGLE = `FROM golang:1.23
WORKDIR /src
COPY . .
RUN go build -o /app .
ENTRYPOINT ["/app"]
`;
const MULTI = `FROM golang:1.23 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/app .
FROM scratch
COPY --from=build /out/app /app
`;

const NO_WASTE = { efficiency: 1, wastedBytes: 0, redundantBytes: 0, totalBytes: 50e6, complete: true, inefficiencies: [] };

const input = (overrides: Partial<RepoStepInput> = {}): RepoStepInput => ({
  repo: { dockerfile: SINGLE, sizeBytes: 700e6, compressedBytes: 250e6, status: "built" },
  analysis: null,
  context: null,
  generated: { key: "scratch", dockerfile: "FROM golang:1.23 AS builder\nRUN go build\nFROM scratch\n", sizeBytes: 2e6, compressedBytes: 1e6 },
  flagSavings: { strip: 600_000, trimpath: 10_000 },
  ...overrides,
});

describe("addFlags", () => {
  it.each([
    ["both missing", "RUN go build -o /app .", 'RUN go build -trimpath -ldflags="-s -w" -o /app .', ["trimpath", "strip"]],
    ["both there", 'RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/app .', 'RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/app .', []],
    ["their own -ldflags left as written", 'RUN go build -ldflags="-X main.v=1" -o /app .', 'RUN go build -trimpath -ldflags="-X main.v=1" -o /app .', ["trimpath"]],
    ["not a go build", "RUN go mod download", "RUN go mod download", []],
  ])("%s", (_name, line, expected, missing) => {
    const result = addFlags(line);
    expect(result.text).toBe(expected);
    expect(result.missing).toEqual(missing);
  });
});

describe("repoSteps", () => {
  it.each<[string, Partial<RepoStepInput>, string[]]>([
    ["a single-stage Dockerfile without flags", {}, ["repo-multistage", "repo-flags"]],
    ["a multi-stage Dockerfile with the flags: nothing", { repo: { dockerfile: MULTI, sizeBytes: 2e6, compressedBytes: 1e6, status: "built" } }, []],
    ["no .dockerignore and a .git", { context: { totalBytes: 30e6, gitBytes: 25e6, hasDockerignore: false } }, ["repo-multistage", "repo-flags", "repo-dockerignore"]],
    ["a .dockerignore already", { context: { totalBytes: 30e6, gitBytes: 25e6, hasDockerignore: true } }, ["repo-multistage", "repo-flags"]],
    [
      "wasted bytes and caches from the analysis",
      {
        repo: { dockerfile: MULTI, sizeBytes: 2e6, compressedBytes: 1e6, status: "built" },
        analysis: {
          efficiency: { efficiency: 0.9, wastedBytes: 5e6, redundantBytes: 0, totalBytes: 50e6, complete: true, inefficiencies: [{ path: "/tmp/big", count: 2, wastedBytes: 5e6 }] },
          buildOnly: { goToolchain: 0, moduleCache: 0, buildCache: 0, packageManager: 20e6, total: 20e6 },
        },
      },
      ["repo-waste", "repo-caches"],
    ],
    ["not built: nothing", { repo: { dockerfile: SINGLE, sizeBytes: null, compressedBytes: null, status: "failed" } }, []],
  ])("%s", (_name, overrides, keys) => {
    expect(repoSteps(input(overrides)).map((s) => s.key)).toEqual(keys);
  });

  it("the multi-stage step is proven by the generated variant, with a diff from the repository's Dockerfile", () => {
    const [multistage, flags] = repoSteps(input());
    expect(multistage).toMatchObject({ status: "works", sizeBytes: 2e6, role: "repo" });
    expect(multistage.patch).toContain("-RUN go build -o /app .");
    expect(flags).toMatchObject({ status: "works", sizeBytes: 610_000 });
    expect(flags.patch).toContain('+RUN go build -trimpath -ldflags="-s -w" -o /app .');
  });

  it("the .dockerignore step is a new file with .git in it", () => {
    const step = repoSteps(input({ context: { totalBytes: 30e6, gitBytes: 25e6, hasDockerignore: false } })).find((s) => s.key === "repo-dockerignore")!;
    expect(step.patch).toBe("--- a/.dockerignore\n+++ b/.dockerignore\n@@ -0,0 +1 @@\n+.git\n");
    expect(step.status).toBe("lead");
  });

  it("package-manager caches a RUN leaves: planned for the runner to build, with the patch; Go's caches stay a lead of their own", () => {
    const dockerfile = "FROM golang:1.23\nRUN apt-get update && apt-get install -y tree\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\n";
    const steps = repoSteps(
      input({
        repo: { dockerfile, sizeBytes: 900e6, compressedBytes: 300e6, status: "built" },
        analysis: { efficiency: NO_WASTE, buildOnly: { goToolchain: 0, moduleCache: 0, buildCache: 30e6, packageManager: 60e6, total: 90e6 } },
      }),
    );
    expect(steps.map((s) => s.key)).toEqual(["repo-multistage", "repo-flags", "repo-caches", "repo-go-caches"]);
    const caches = steps.find((s) => s.key === "repo-caches")!;
    expect(caches).toMatchObject({ status: "planned", role: "repo" });
    expect(caches.sizeBytes ?? null).toBeNull();
    expect(caches.why).toContain("line 2: && rm -rf /var/lib/apt/lists/* at the end of the RUN");
    expect(caches.patch).toContain("+RUN apt-get update && apt-get install -y tree && rm -rf /var/lib/apt/lists/*");
    expect(caches.dockerfile).toContain("apt-get install -y tree && rm -rf /var/lib/apt/lists/*\nWORKDIR");
    expect(steps.find((s) => s.key === "repo-go-caches")).toMatchObject({ status: "lead", sizeBytes: 30e6, why: expect.stringContaining("Go build cache") });
  });

  it("caches no rewrite applies to: one lead with every cache, as measured", () => {
    const [step] = repoSteps(
      input({
        repo: { dockerfile: MULTI, sizeBytes: 2e6, compressedBytes: 1e6, status: "built" },
        analysis: { efficiency: NO_WASTE, buildOnly: { goToolchain: 0, moduleCache: 5e6, buildCache: 30e6, packageManager: 60e6, total: 95e6 } },
      }),
    );
    expect(step).toMatchObject({ key: "repo-caches", status: "lead", sizeBytes: 95e6 });
    expect(step.why).toContain("Go build cache");
  });
});
