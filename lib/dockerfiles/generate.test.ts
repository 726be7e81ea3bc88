import { describe, expect, it } from "vitest";
import { builderStage, dockerfileFor, hasFixes, type BuildPlan, type VariantSpec } from "./generate";

const plan = (overrides: Partial<BuildPlan> = {}): BuildPlan => ({
  builderImage: "golang:1.23",
  mainPackage: ".",
  hasGoSum: false,
  needs: { tzdata: false, caRoots: false, cgo: false },
  ...overrides,
});

const needsBoth = { tzdata: true, caRoots: true, cgo: false };

describe("builderStage", () => {
  it.each([
    ["without go.sum", plan(), "COPY src/go.mod ./"],
    ["with go.sum", plan({ hasGoSum: true }), "COPY src/go.mod src/go.sum ./"],
    ["static by default", plan(), "ENV CGO_ENABLED=0 GOTOOLCHAIN=local"],
    ["cgo when needed", plan({ needs: { tzdata: false, caRoots: false, cgo: true } }), "ENV CGO_ENABLED=1"],
    ["the chosen main package", plan({ mainPackage: "./cmd/api" }), '-ldflags="-s -w" -o /out/app ./cmd/api'],
    ["BuildKit: Go's caches where the mounts are", plan({ builder: "buildkit" }), "ENV CGO_ENABLED=0 GOTOOLCHAIN=local GOMODCACHE=/go/pkg/mod GOCACHE=/root/.cache/go-build"],
    ["BuildKit: modules into the cache mount", plan({ builder: "buildkit" }), "RUN --mount=type=cache,target=/go/pkg/mod go mod download"],
    [
      "BuildKit: compiled from both caches",
      plan({ builder: "buildkit" }),
      'RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build go build -trimpath -ldflags="-s -w" -o /out/app .',
    ],
  ])("%s", (_name, input, line) => {
    expect(builderStage(input)).toContain(line);
  });

  it("builds vendored modules from vendor/ without downloading", () => {
    const text = builderStage(plan({ vendored: true }));
    expect(text).toContain("RUN go build -mod=vendor -trimpath");
    expect(text).not.toContain("go mod download");
    expect(text).not.toContain("ARG GOPROXY");
  });

  it("uses no BuildKit feature for the classic builder, and says which builder each needs", () => {
    expect(builderStage(plan({ builder: "classic" }))).not.toContain("--mount");
    expect(dockerfileFor({ key: "single", naive: false, runtimeImage: "golang:1.23" }, plan({ builder: "classic" }))).toContain("# Builds with either builder");
    expect(dockerfileFor({ key: "single", naive: false, runtimeImage: "golang:1.23" }, plan({ builder: "buildkit" }))).toContain("# Needs BuildKit (RUN --mount)");
  });

  it("takes the module proxy settings as build arguments", () => {
    expect(builderStage(plan())).toContain("ARG GOPROXY GOSUMDB GONOSUMDB GOPRIVATE");
  });

  it("downloads modules before copying the source, for layer caching", () => {
    const text = builderStage(plan());
    expect(text.indexOf("RUN go mod download")).toBeLessThan(text.indexOf("COPY src/ ./"));
  });
});

describe("dockerfileFor", () => {
  const cases: Array<[string, VariantSpec, BuildPlan, string[], string[]]> = [
    [
      "single runs in the Go image",
      { key: "single", naive: false, runtimeImage: "golang:1.23" },
      plan(),
      ['ENTRYPOINT ["/out/app"]'],
      ["FROM scratch"],
    ],
    [
      "scratch holds the binary alone",
      { key: "scratch", naive: false, runtimeImage: "scratch" },
      plan(),
      ["FROM scratch", "COPY --from=builder /out/app /app", 'ENTRYPOINT ["/app"]'],
      ["zoneinfo", "ca-certificates"],
    ],
    [
      "scratch gets zoneinfo and CA roots when needed",
      { key: "scratch", naive: false, runtimeImage: "scratch" },
      plan({ needs: needsBoth }),
      [
        "COPY --from=builder /usr/share/zoneinfo /usr/share/zoneinfo",
        "COPY --from=builder /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/",
      ],
      [],
    ],
    [
      "naive scratch leaves the fixes out",
      { key: "scratch", naive: true, runtimeImage: "scratch" },
      plan({ needs: needsBoth }),
      ['# Slimstage variant "scratch-naive"'],
      ["zoneinfo", "ca-certificates"],
    ],
    [
      "alpine adds tzdata and CA roots with apk",
      { key: "alpine", naive: false, runtimeImage: "alpine:3.20" },
      plan({ needs: needsBoth }),
      ["FROM alpine:3.20", "RUN apk add --no-cache tzdata ca-certificates"],
      [],
    ],
    [
      "distroless runs as the nonroot user",
      { key: "distroless", naive: false, runtimeImage: "slimstage/static:local" },
      plan({ needs: needsBoth }),
      ["FROM slimstage/static:local", "USER 65532:65532"],
      ["apk", "zoneinfo"],
    ],
  ];

  it.each(cases)("%s", (_name, variant, input, present, absent) => {
    const text = dockerfileFor(variant, input);
    for (const line of present) expect(text).toContain(line);
    for (const line of absent) expect(text).not.toContain(line);
  });

  it("shares one identical builder stage across variants", () => {
    const input = plan({ needs: needsBoth });
    const stage = builderStage(input);
    for (const key of ["single", "alpine", "scratch", "distroless"] as const) {
      expect(dockerfileFor({ key, naive: false, runtimeImage: "x" }, input)).toContain(stage);
    }
  });
});

describe("hasFixes", () => {
  it.each([
    ["scratch", { tzdata: true, caRoots: false, cgo: false }, true],
    ["scratch", { tzdata: false, caRoots: false, cgo: false }, false],
    ["alpine", { tzdata: false, caRoots: true, cgo: false }, true],
    ["distroless", needsBoth, false],
    ["single", needsBoth, false],
  ] as const)("%s with %j -> %s", (key, needs, expected) => {
    expect(hasFixes(key, needs)).toBe(expected);
  });
});
