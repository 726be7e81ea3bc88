// Pure: the changes Slimstage tries to make a comparison's image smaller, each one a
// Dockerfile derived from the multi-stage one it generated. The comparison's own build
// plan is read back from its stored Dockerfiles (and checked: the generator must give
// the same text again), so every candidate differs from a proven image by exactly one
// change. Changes form a chain — each applies to the last one that kept the program
// working — from the single-stage image (the oracle) down to the smallest proven image;
// a few alternatives are tried beside the chain to show why the obvious cut breaks it.
import { builderStage, dockerfileFor, type BuildPlan, type VariantKey } from "@/lib/dockerfiles/generate";
import type { ComparisonView, VariantView } from "@/lib/comparisons/types";
import { unifiedDiff } from "./diff";

export type SlimBase = Exclude<VariantKey, "single">;

/** What a candidate image is made of: the generated multi-stage Dockerfile with these choices. */
export interface CandidateState {
  base: SlimBase;
  /** The final stage's image ("scratch" for scratch). */
  runtimeImage: string;
  ldflags: boolean;
  trimpath: boolean;
  /** -buildvcs=false */
  noVcs: boolean;
  tags: string[];
  /** The time zone database copied in (scratch) or installed (Alpine). */
  zoneinfo: boolean;
  /** The CA bundle copied in (scratch) or installed (Alpine). */
  caRoots: boolean;
  upx: boolean;
}

export type ChangeKey = "multistage" | "strip" | "trimpath" | "buildvcs" | "netgo" | "timetzdata" | "no-zoneinfo" | "upx";

export interface Change {
  key: ChangeKey;
  title: string;
  /** Why it can save bytes, or what it risks. */
  why: string;
  /** On the chain (applied to the last working state) or an alternative beside it (shown, never kept). */
  role: "chain" | "alternative";
  apply: (state: CandidateState) => CandidateState;
  /** The build command line a reader copies when the change is a flag. */
  command?: (state: CandidateState) => string;
}

export interface AdvicePlan {
  plan: BuildPlan;
  /** The single-stage variant: the chain's first image and the oracle of every run check. */
  single: VariantView;
  /** The smallest slim variant that works: the chain's base. */
  baseVariant: VariantView;
  /** The chain's starting state (before "multistage": what that step builds is its result). */
  start: CandidateState;
  changes: Change[];
  /** Changes not tried here, and why. */
  notTried: Array<{ key: ChangeKey; title: string; reason: string }>;
}

export type AdvicePlanning = { ok: true; advice: AdvicePlan } | { ok: false; reason: string };

const works = (v: VariantView) => v.status === "built" && (v.runCheck?.verdict === "works" || v.runCheck?.verdict === "same");
const SLIM: SlimBase[] = ["alpine", "scratch", "distroless"];

/** Reads the comparison's build plan back from its Dockerfiles; null when the generator no longer writes them so. */
export function recoverBuildPlan(comparison: Pick<ComparisonView, "mainPackage" | "needs">, single: VariantView): BuildPlan | null {
  const text = single.dockerfile;
  const builderImage = single.baseImages[0];
  if (!builderImage || !comparison.mainPackage) return null;
  const plan: BuildPlan = {
    builderImage,
    mainPackage: comparison.mainPackage,
    hasGoSum: text.includes("COPY src/go.mod src/go.sum ./"),
    vendored: text.includes(" -mod=vendor "),
    needs: comparison.needs,
    builder: text.includes("--mount=type=cache") ? "buildkit" : "classic",
  };
  return dockerfileFor({ key: "single", naive: false, runtimeImage: builderImage }, plan) === text ? plan : null;
}

/** The chain and its alternatives for one finished comparison, or why there is none. */
export function planAdvice(comparison: ComparisonView, options: { upx: boolean; upxReason?: string }): AdvicePlanning {
  if (comparison.status !== "succeeded") return { ok: false, reason: "the comparison did not succeed" };
  const single = comparison.variants.find((v) => v.key === "single");
  if (!single || single.status !== "built" || !single.imageId) return { ok: false, reason: "the single-stage image, the oracle every step is judged against, was not built" };
  if (!works(single)) return { ok: false, reason: "the single-stage image itself does not run, so no step can be judged against it" };
  const recovered = recoverBuildPlan(comparison, single);
  if (!recovered) return { ok: false, reason: "this comparison's Dockerfiles were written by an earlier version of Slimstage; build it again for advice" };
  const plan: BuildPlan = recovered;
  const slim = comparison.variants
    .filter((v) => !v.naive && SLIM.includes(v.key as SlimBase) && works(v) && v.sizeBytes !== null)
    .sort((a, b) => a.sizeBytes! - b.sizeBytes! || a.key.localeCompare(b.key));
  const baseVariant = slim[0];
  if (!baseVariant) {
    const tried = comparison.variants.filter((v) => SLIM.includes(v.key as SlimBase) && !v.naive && v.status === "built").map((v) => v.key);
    return { ok: false, reason: tried.length ? `no multi-stage variant (${tried.join(", ")}) works, so there is no smaller image to start from` : "the comparison built no multi-stage variant" };
  }
  const base = baseVariant.key as SlimBase;
  const runtimeImage = base === "scratch" ? "scratch" : (baseVariant.baseImages[1] ?? "scratch");
  const start: CandidateState = {
    base,
    runtimeImage,
    ldflags: false,
    trimpath: false,
    noVcs: false,
    tags: [],
    zoneinfo: plan.needs.tzdata,
    caRoots: plan.needs.caRoots,
    upx: false,
  };
  const baseName = base === "distroless" ? "the distroless-style static base" : base === "alpine" ? "Alpine" : "scratch";
  const changes: Change[] = [
    {
      key: "multistage",
      role: "chain",
      title: `Multi-stage: only the binary on ${baseName}`,
      why: `Compile in the Go image, ship only the program on the smallest base it works on (${base}, of the variants this comparison built).`,
      apply: (s) => s,
    },
    flag("strip", '-ldflags="-s -w"', "Leaves out the symbol table and DWARF debug information: stack traces keep their function names.", (s) => ({ ...s, ldflags: true })),
    flag("trimpath", "-trimpath", "Removes the build machine's file paths from the binary (smaller, and reproducible).", (s) => ({ ...s, trimpath: true })),
    flag("buildvcs", "-buildvcs=false", "Leaves out the version-control stamp (commit, time, dirty flag).", (s) => ({ ...s, noVcs: true })),
  ];
  if (!plan.needs.cgo) {
    changes.push(flag("netgo", "-tags netgo,osusergo", "The pure-Go resolver and user lookup: no C library is ever asked for, even where cgo is on.", (s) => ({ ...s, tags: addTags(s.tags, "netgo", "osusergo") })));
  }
  const notTried: AdvicePlan["notTried"] = [];
  if (plan.needs.tzdata && base !== "distroless") {
    changes.push({
      key: "timetzdata",
      role: "chain",
      title: "Embedded time zones (-tags timetzdata) instead of the zoneinfo directory",
      why: "Go's own compressed copy of the time zone database (about 450 kB) in the binary, instead of /usr/share/zoneinfo in the image.",
      apply: (s) => ({ ...s, zoneinfo: false, tags: addTags(s.tags, "timetzdata") }),
      command: (s) => goBuildCommand(plan, s),
    });
    changes.push({
      key: "no-zoneinfo",
      role: "alternative",
      title: "No time zone data at all",
      why: "The obvious cut: leave out /usr/share/zoneinfo without embedding Go's copy.",
      apply: (s) => ({ ...s, zoneinfo: false, tags: s.tags.filter((t) => t !== "timetzdata") }),
    });
  } else if (plan.needs.tzdata) {
    notTried.push({ key: "timetzdata", title: "Embedded time zones", reason: "the base image ships the time zone database itself" });
  }
  if (options.upx) {
    changes.push({
      key: "upx",
      role: "chain",
      title: "UPX-compressed binary",
      why: "The binary packed with UPX (Debian's upx-ucl, --best --lzma); it unpacks itself into memory at every start.",
      apply: (s) => ({ ...s, upx: true }),
    });
  } else {
    notTried.push({ key: "upx", title: "UPX-compressed binary", reason: options.upxReason ?? "turned off on this server" });
  }
  return { ok: true, advice: { plan, single, baseVariant, start, changes, notTried } };

  function flag(key: ChangeKey, text: string, why: string, apply: (s: CandidateState) => CandidateState): Change {
    return { key, role: "chain", title: `Build flag ${text}`, why, apply, command: (s) => goBuildCommand(plan, s) };
  }
}

const addTags = (tags: string[], ...more: string[]) => [...new Set([...tags, ...more])];

/** The go build flags of a state, in the generator's order. */
export function goBuildFlags(state: Pick<CandidateState, "trimpath" | "ldflags" | "noVcs" | "tags">): string {
  return [
    state.trimpath ? "-trimpath" : "",
    state.ldflags ? '-ldflags="-s -w"' : "",
    state.noVcs ? "-buildvcs=false" : "",
    state.tags.length ? `-tags ${state.tags.join(",")}` : "",
  ]
    .filter(Boolean)
    .join(" ");
}

export function goBuildCommand(plan: BuildPlan, state: CandidateState): string {
  const mod = plan.vendored ? " -mod=vendor" : "";
  const flags = goBuildFlags(state);
  return `CGO_ENABLED=${plan.needs.cgo ? 1 : 0} go build${mod}${flags ? ` ${flags}` : ""} -o app ${plan.mainPackage}`;
}

const GENERATED_FLAGS = ' -trimpath -ldflags="-s -w" -o ';
const UPX_INSTALL = "RUN apt-get update && apt-get install -y --no-install-recommends upx-ucl && rm -rf /var/lib/apt/lists/*";

export interface RenderOptions {
  /** BuildKit cache names of this source (cache-scope.ts); left out of what a reader copies. */
  cacheScope?: string | null;
  /** An image that has upx (upx-tool.ts): the built Dockerfile starts its UPX stage from it. */
  upxImage?: string;
}

/** The Dockerfile of a candidate: what is built (with the cache scope, the UPX tool image) or what a reader copies. */
export function renderCandidate(plan: BuildPlan, state: CandidateState, options: RenderOptions = {}): string {
  const generated = builderStage({ ...plan, cacheScope: options.cacheScope ?? null });
  if (!generated.includes(GENERATED_FLAGS)) throw new Error("the generated builder stage no longer has the flags the advice replaces");
  const flags = goBuildFlags(state);
  const builder = generated.replace(GENERATED_FLAGS, ` ${flags ? `${flags} ` : ""}-o `);
  const header = [
    `# Slimstage advice: ${describeState(state)}`,
    plan.builder === "buildkit"
      ? "# Needs BuildKit (RUN --mount): Docker Engine 23+ builds with it by default; older: DOCKER_BUILDKIT=1 docker build ."
      : "# Builds with either builder (no BuildKit features): docker build .",
  ].join("\n");
  const upx = state.upx
    ? [
        ...(options.upxImage ? [`FROM ${options.upxImage} AS upx`] : [`FROM ${plan.builderImage} AS upx`, UPX_INSTALL]),
        "COPY --from=builder /out/app /out/app",
        "RUN upx -q --best --lzma /out/app",
        "",
      ]
    : [];
  const final = [
    `FROM ${state.runtimeImage}`,
    ...runtimeLines(state),
    `COPY --from=${state.upx ? "upx" : "builder"} /out/app /app`,
    ...(state.base === "distroless" ? ["USER 65532:65532"] : []),
    `ENTRYPOINT ["/app"]`,
  ];
  return `${header}\n${builder}\n\n${upx.join("\n")}${final.join("\n")}\n`;
}

function runtimeLines(state: CandidateState): string[] {
  if (state.base === "alpine") {
    const packages = [state.zoneinfo && "tzdata", state.caRoots && "ca-certificates"].filter(Boolean);
    return packages.length ? [`RUN apk add --no-cache ${packages.join(" ")}`] : [];
  }
  if (state.base === "scratch") {
    return [
      ...(state.zoneinfo ? ["COPY --from=builder /usr/share/zoneinfo /usr/share/zoneinfo"] : []),
      ...(state.caRoots ? ["COPY --from=builder /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/"] : []),
    ];
  }
  return [];
}

export function describeState(state: CandidateState): string {
  const flags = goBuildFlags(state);
  const data = [state.zoneinfo && "zoneinfo", state.caRoots && "CA roots"].filter(Boolean).join(" and ");
  return [`the binary on ${state.base}`, flags ? `built with ${flags}` : "plain go build", data && `with ${data}`, state.upx && "packed with UPX"].filter(Boolean).join(", ");
}

/** The patch of one step: a diff from the Dockerfile before it (the single-stage one for the first step). */
export function stepPatch(before: string, after: string): string {
  return unifiedDiff(before, after);
}
