// Everything configurable, read from the environment in one place. Base images are
// configuration: each logical base maps to an image reference, and a profile picks
// the defaults (the official images, or the local stand-ins built offline by
// scripts/base-images.sh).
import path from "node:path";

export type BaseProfile = "official" | "offline";

export interface BaseImages {
  /** Go builder images by Go version ("1.23" -> image reference). */
  golang: Record<string, string>;
  alpine: string;
  /** A distroless-style static base: CA roots, zoneinfo, a nonroot user. */
  static: string;
}

const OFFICIAL: BaseImages = {
  golang: { "1.21": "golang:1.21", "1.22": "golang:1.22", "1.23": "golang:1.23" },
  alpine: "alpine:3.20",
  static: "gcr.io/distroless/static-debian12",
};

// Names of the images scripts/base-images.sh builds from Debian packages. Real Alpine
// cannot be built offline, so the offline profile keeps the official reference and the
// alpine variant is reported as skipped unless that image is present.
const OFFLINE: BaseImages = {
  golang: { "1.23": "slimstage/golang:1.23-local" },
  alpine: OFFICIAL.alpine,
  static: "slimstage/static:local",
};

const env = (name: string): string | undefined => {
  const value = process.env[name]?.trim();
  return value ? value : undefined;
};

export function projectRoot(): string {
  return process.cwd();
}

export function databaseUrl(): string {
  return env("DATABASE_URL") ?? `file:${path.join(projectRoot(), "data", "slimstage.db")}`;
}

export function baseProfile(): BaseProfile {
  return env("SLIMSTAGE_BASE_PROFILE") === "offline" ? "offline" : "official";
}

/**
 * The configured base images: the profile's defaults, then per-base overrides
 * (SLIMSTAGE_BASE_GOLANG="1.23=img,1.22=img", SLIMSTAGE_BASE_ALPINE, SLIMSTAGE_BASE_STATIC).
 */
export function baseImages(): BaseImages {
  const defaults = baseProfile() === "offline" ? OFFLINE : OFFICIAL;
  const golangOverride = env("SLIMSTAGE_BASE_GOLANG");
  return {
    golang: golangOverride ? parseVersionMap(golangOverride) : { ...defaults.golang },
    alpine: env("SLIMSTAGE_BASE_ALPINE") ?? defaults.alpine,
    static: env("SLIMSTAGE_BASE_STATIC") ?? defaults.static,
  };
}

export function parseVersionMap(text: string): Record<string, string> {
  const map: Record<string, string> = {};
  for (const entry of text.split(",")) {
    const [version, image] = entry.split("=").map((s) => s.trim());
    if (!version || !image || !/^\d+\.\d+$/.test(version)) {
      throw new Error(`SLIMSTAGE_BASE_GOLANG: expected "1.23=image,1.22=image", got "${entry}"`);
    }
    map[version] = image;
  }
  return map;
}

export function examplesDir(): string {
  return env("SLIMSTAGE_EXAMPLES_DIR") ?? path.join(projectRoot(), "examples");
}

/** How many comparisons the server builds at once. */
export function workerConcurrency(): number {
  return positiveInt("SLIMSTAGE_CONCURRENCY", 1);
}

/** Seconds a run check waits before calling a still-running program a server that works. */
export function runTimeoutSeconds(): number {
  return positiveInt("SLIMSTAGE_RUN_TIMEOUT", 10);
}

function positiveInt(name: string, fallback: number): number {
  const raw = env(name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

/** Module proxy settings passed to the builder stage (empty ones are left to Go's defaults). */
export function moduleBuildArgs(): Record<string, string> {
  const args: Record<string, string> = {};
  for (const name of ["GOPROXY", "GOSUMDB", "GONOSUMDB", "GOPRIVATE"]) {
    const value = env(`SLIMSTAGE_${name}`);
    if (value !== undefined) args[name] = value;
  }
  return args;
}

/** Network of build steps: the engine's default, or "host" to reach a module proxy on loopback. */
export function buildNetwork(): string | undefined {
  return env("SLIMSTAGE_BUILD_NETWORK");
}

export function repoPolicy(): { allowLocal: boolean; allowPrivateHosts: boolean } {
  return { allowLocal: flag("SLIMSTAGE_ALLOW_LOCAL_REPOS"), allowPrivateHosts: flag("SLIMSTAGE_ALLOW_PRIVATE_HOSTS") };
}

export function cloneLimits(): { timeoutMs: number; maxBytes: number } {
  return {
    timeoutMs: positiveInt("SLIMSTAGE_CLONE_TIMEOUT", 120) * 1000,
    maxBytes: positiveInt("SLIMSTAGE_MAX_REPO_MB", 200) * 1e6,
  };
}

function flag(name: string): boolean {
  return ["1", "true", "yes"].includes((env(name) ?? "").toLowerCase());
}

/**
 * Loopback port of the size registry the engine pushes variants to for their compressed
 * sizes; 0 picks a free one. A fixed port lets the engine remember which layers the
 * registry has across restarts, so base layers are compressed once.
 */
export function registryPort(): number {
  const raw = env("SLIMSTAGE_REGISTRY_PORT");
  if (raw === undefined) return 5055;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new Error(`SLIMSTAGE_REGISTRY_PORT must be a port number (0 for any free one), got "${raw}"`);
  return value;
}

/** Images are kept for this many of the newest comparisons, then removed. */
export function keptComparisons(): number {
  const raw = env("SLIMSTAGE_KEEP_IMAGES");
  if (raw === undefined) return 20;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`SLIMSTAGE_KEEP_IMAGES must be a whole number, got "${raw}"`);
  return value;
}

/** Submissions allowed per client per minute. */
export function submissionsPerMinute(): number {
  return positiveInt("SLIMSTAGE_RATE_LIMIT", 30);
}

/** Minutes a whole comparison, and one build, may take. */
export function timeLimits(): { comparisonMs: number; buildMs: number } {
  return {
    comparisonMs: positiveInt("SLIMSTAGE_COMPARISON_TIMEOUT", 30) * 60_000,
    buildMs: positiveInt("SLIMSTAGE_BUILD_TIMEOUT", 15) * 60_000,
  };
}
