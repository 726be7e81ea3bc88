// Pure: a build plan -> the Dockerfile text of each variant. Every multi-stage variant
// and the single-stage one start with the same builder stage, byte for byte, so the
// engine's build cache runs the Go compile once per comparison. The build context
// holds the repository under src/ and the Dockerfile beside it, so a variant's own
// Dockerfile never changes what `COPY src/ .` copies.

export type VariantKey = "single" | "alpine" | "scratch" | "distroless";

export interface Needs {
  tzdata: boolean;
  caRoots: boolean;
  cgo: boolean;
}

export interface BuildPlan {
  /** Image reference of the Go builder. */
  builderImage: string;
  /** The main package to build, relative to the module root: "." or "./cmd/server". */
  mainPackage: string;
  /** Whether the module has a go.sum to copy before downloading modules. */
  hasGoSum: boolean;
  /** Modules are vendored: build from vendor/ with no download step and no network. */
  vendored?: boolean;
  needs: Needs;
  /**
   * The builder the engine runs it with. BuildKit: Go's module and build caches are cache
   * mounts, so the engine's later builds (and every other variant) compile from them. The
   * classic builder: plain steps, which any builder builds.
   */
  builder?: "buildkit" | "classic";
  /**
   * BuildKit: names Go's caches for this source and its module settings (cache-scope.ts),
   * so no other repository's build — a repository's own Dockerfile can name any cache —
   * shares them. Left out of the Dockerfile a reader copies.
   */
  cacheScope?: string | null;
}

/** Where the builder stage keeps Go's caches (as in the official golang image). */
const MODULE_CACHE = "/go/pkg/mod";
const BUILD_CACHE = "/root/.cache/go-build";

/** Module settings the builder stage takes as build arguments (configuration, not code). */
export const MODULE_BUILD_ARGS = ["GOPROXY", "GOSUMDB", "GONOSUMDB", "GOPRIVATE"] as const;

export interface VariantSpec {
  key: VariantKey;
  /** A naive variant leaves out the run-time fixes the program needs (the article's "uh-oh"). */
  naive: boolean;
  /** Image reference of the final stage's base, or "scratch". */
  runtimeImage: string;
}

export const BINARY = "/out/app";

/** The shared first stage: modules first (cached), then the source, then one static build. */
export function builderStage(plan: BuildPlan): string {
  const goFiles = plan.hasGoSum ? "src/go.mod src/go.sum" : "src/go.mod";
  const cgo = plan.needs.cgo ? "1" : "0";
  const modules = plan.vendored
    ? []
    : [`ARG ${MODULE_BUILD_ARGS.join(" ")}`, `COPY ${goFiles} ./`, `RUN go mod download`];
  const mod = plan.vendored ? " -mod=vendor" : "";
  const buildkit = plan.builder === "buildkit";
  const cacheId = (target: string) => (plan.cacheScope ? `,id=slimstage-${plan.cacheScope}-${target === MODULE_CACHE ? "gomod" : "gobuild"}` : "");
  const mounts = (...targets: string[]) => (buildkit ? targets.map((target) => `--mount=type=cache,target=${target}${cacheId(target)} `).join("") : "");
  return [
    `FROM ${plan.builderImage} AS builder`,
    `WORKDIR /src`,
    `ENV CGO_ENABLED=${cgo} GOTOOLCHAIN=local${buildkit ? ` GOMODCACHE=${MODULE_CACHE} GOCACHE=${BUILD_CACHE}` : ""}`,
    ...modules.map((line) => (line === "RUN go mod download" ? `RUN ${mounts(MODULE_CACHE)}go mod download` : line)),
    `COPY src/ ./`,
    `RUN ${mounts(MODULE_CACHE, BUILD_CACHE)}go build${mod} -trimpath -ldflags="-s -w" -o ${BINARY} ${plan.mainPackage}`,
  ].join("\n");
}

export function dockerfileFor(variant: VariantSpec, plan: BuildPlan): string {
  const header = [
    `# Slimstage variant "${variantName(variant)}": ${describeVariant(variant)}`,
    plan.builder === "buildkit"
      ? "# Needs BuildKit (RUN --mount): Docker Engine 23+ builds with it by default; older: DOCKER_BUILDKIT=1 docker build ."
      : "# Builds with either builder (no BuildKit features): docker build .",
  ].join("\n");
  const builder = builderStage(plan);
  if (variant.key === "single") {
    return `${header}\n${builder}\nENTRYPOINT ["${BINARY}"]\n`;
  }
  const fixes = variant.naive ? [] : runtimeFixes(variant.key, plan.needs);
  const final = [
    `FROM ${variant.runtimeImage}`,
    ...fixes,
    `COPY --from=builder ${BINARY} /app`,
    ...(variant.key === "distroless" ? ["USER 65532:65532"] : []),
    `ENTRYPOINT ["/app"]`,
  ];
  return `${header}\n${builder}\n\n${final.join("\n")}\n`;
}

/** The lines that give a slim image what the program needs at run time. */
export function runtimeFixes(key: VariantKey, needs: Needs): string[] {
  switch (key) {
    case "alpine": {
      const packages = [needs.tzdata && "tzdata", needs.caRoots && "ca-certificates"].filter(Boolean);
      return packages.length ? [`RUN apk add --no-cache ${packages.join(" ")}`] : [];
    }
    case "scratch":
      return [
        ...(needs.tzdata ? ["COPY --from=builder /usr/share/zoneinfo /usr/share/zoneinfo"] : []),
        ...(needs.caRoots ? ["COPY --from=builder /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/"] : []),
      ];
    default:
      // single runs in the Go image, which has both; the static base ships both.
      return [];
  }
}

/** Whether the variant needs fixes, so that a naive twin is worth building. */
export function hasFixes(key: VariantKey, needs: Needs): boolean {
  return runtimeFixes(key, needs).length > 0;
}

export function variantName(variant: Pick<VariantSpec, "key" | "naive">): string {
  return variant.naive ? `${variant.key}-naive` : variant.key;
}

function describeVariant(variant: VariantSpec): string {
  switch (variant.key) {
    case "single":
      return "build and run in the Go image";
    case "alpine":
      return variant.naive ? "binary on Alpine, nothing added" : "binary on Alpine with what it needs";
    case "scratch":
      return variant.naive ? "the static binary alone" : "the static binary and the data files it needs";
    case "distroless":
      return "the static binary on a distroless-style static base";
  }
}
