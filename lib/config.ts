// Everything configurable, read from the environment here and nowhere else, validated
// at once: `loadConfig()` turns the environment into one typed Config or throws a
// ConfigError naming every bad variable, so a process (web, worker, bench) stops at
// start-up with a clear message instead of failing later. Each process's composition
// root (lib/roots/) loads it once and hands each module the settings it needs: there is
// no global accessor.
//
// Base images are configuration: each logical base maps to an image reference, and a
// profile picks the defaults (the official images, or the local stand-ins built
// offline by scripts/base-images.sh).
import path from "node:path";
import { createLogger, LOG_LEVELS, type LogLevel } from "./log"; // relative: prisma.config.ts loads this file without the "@/" alias

export type BaseProfile = "official" | "offline";

export interface BaseImages {
  /** Go builder images by Go version ("1.23" -> image reference). */
  golang: Record<string, string>;
  /**
   * The builder for a Go minor newer than every `golang` entry, "{minor}" standing for it
   * ("golang:{minor}": the engine pulls golang:1.28 when a module needs it). None: the
   * table is all there is, and a newer module fails before building (GO_TOO_NEW).
   */
  golangPattern?: string;
  alpine: string;
  /** A distroless-style static base: CA roots, zoneinfo, a nonroot user. */
  static: string;
}

/** How a repository's own Dockerfile builds: without network, on the bridge, or not at all. */
export type RepoBuildNetwork = "none" | "bridge" | "off";

/** Whose X-Forwarded-For to believe: nobody, the last N hops, or peers in these ranges. */
export type TrustedProxies = { kind: "none" } | { kind: "hops"; hops: number } | { kind: "cidrs"; cidrs: string[] };

export interface Config {
  projectRoot: string;
  databaseUrl: string;
  /** The engine this process talks to (a worker): DOCKER_HOST as dockerode reads it, or the default socket. */
  dockerHost: string | undefined;
  /** Whether the base profile was chosen by SLIMSTAGE_BASE_PROFILE (else: official). */
  baseProfile: BaseProfile;
  baseImages: BaseImages;
  examplesDir: string;
  workerConcurrency: number;
  workerId: string | undefined;
  leaseMs: number;
  runTimeoutSeconds: number;
  moduleBuildArgs: Record<string, string>;
  buildNetwork: string | undefined;
  repoBuildNetwork: RepoBuildNetwork;
  repoBases: string[];
  repoPolicy: { allowLocal: boolean; allowPrivateHosts: boolean };
  cloneLimits: { timeoutMs: number; maxBytes: number };
  /** How much Go source of the module's own packages is read for the analysis (vendor/ and testdata/ are not). */
  sourceLimits: SourceLimits;
  registryPort: number;
  keptComparisons: number;
  /** "Make it smaller, proven" after each comparison (SLIMSTAGE_ADVICE), and its UPX step (SLIMSTAGE_ADVICE_UPX). */
  advice: { enabled: boolean; upx: boolean };
  /** How long a stopping worker lets running comparisons finish before it hands them back (SIGTERM). */
  stopGraceMs: number;
  /** Bytes a worker's engine may hold (images and build cache, as `docker system df` counts them); undefined: derived from its free space. */
  diskBudget: { bytes: number | undefined; buildCachePercent: number };
  submissionsPerMinute: number;
  timeLimits: { comparisonMs: number; buildMs: number };
  buildLimits: { pids: number; maxImageBytes: number; cgroupParent: string | undefined };
  adminToken: string | undefined;
  trustedProxies: TrustedProxies;
  queueCaps: { perClient: number; total: number };
  maxBodyBytes: number;
  streams: { perClient: number; lifetimeMs: number };
  publicUrl: string | undefined;
  /** Where the web process listens (PORT, SLIMSTAGE_HOST; not HOSTNAME, which shells and containers set to the machine name). */
  listen: { port: number; hostname: string | undefined };
  /** Lowest level written to the JSON logs (SLIMSTAGE_LOG_LEVEL). */
  logLevel: LogLevel;
  /** Where a worker serves its own /metrics (SLIMSTAGE_WORKER_METRICS_ADDRESS); undefined: it serves none. */
  workerMetrics: { port: number; hostname: string } | undefined;
}

export interface SourceLimits {
  /** .go files of the module's own packages. */
  maxFiles: number;
  /** Their bytes together. */
  maxBytes: number;
}

// Large real modules pass: their vendor/, tests and testdata/ are not read at all.
export const DEFAULT_SOURCE_LIMITS: SourceLimits = { maxFiles: 20_000, maxBytes: 100 * 1e6 };

const goMinors = (from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, i) => `1.${from + i}`);

const OFFICIAL: BaseImages = {
  golang: Object.fromEntries(goMinors(21, 27).map((minor) => [minor, `golang:${minor}`])),
  golangPattern: "golang:{minor}",
  alpine: "alpine:3.22",
  static: "gcr.io/distroless/static-debian13",
};

// Names of the images scripts/base-images.sh builds from Debian packages (1.23 and the
// newest up front, the others on demand: lib/engine/standin-builders.ts). No pattern:
// only the minors Debian ships have a recipe. Real Alpine cannot be built offline, so
// the offline profile keeps the official reference and the alpine variant is reported
// as skipped unless that image is present.
const OFFLINE: BaseImages = {
  golang: Object.fromEntries(goMinors(23, 27).map((minor) => [minor, `slimstage/golang:${minor}-local`])),
  alpine: OFFICIAL.alpine,
  static: "slimstage/static:local",
};

/** Base images a repository's own Dockerfile may pull when the engine lacks them. */
const DEFAULT_REPO_BASES = ["golang:*", "alpine:*", "gcr.io/distroless/*"];

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Bad configuration:\n  ${problems.join("\n  ")}`);
    this.name = "ConfigError";
  }
}

type Env = Record<string, string | undefined>;

export function loadConfig(environment: Env = process.env, cwd = process.cwd()): Config {
  const problems: string[] = [];
  const env = (name: string): string | undefined => {
    const value = environment[name]?.trim();
    return value ? value : undefined;
  };
  const int = (name: string, fallback: number, min = 1, max = Number.MAX_SAFE_INTEGER): number => {
    const raw = env(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be a whole number from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : " up"}, got "${raw}"`);
      return fallback;
    }
    return value;
  };
  const flag = (name: string): boolean => ["1", "true", "yes", "on"].includes((env(name) ?? "").toLowerCase());
  const oneOf = <T extends string>(name: string, values: readonly T[], fallback: T): T => {
    const raw = env(name);
    if (raw === undefined) return fallback;
    if ((values as readonly string[]).includes(raw)) return raw as T;
    problems.push(`${name} must be one of ${values.join(", ")}, got "${raw}"`);
    return fallback;
  };
  const list = (name: string): string[] => (env(name) ?? "").split(",").map((s) => s.trim()).filter(Boolean);

  const baseProfile = oneOf("SLIMSTAGE_BASE_PROFILE", ["official", "offline"] as const, "official");
  const defaults = baseProfile === "offline" ? OFFLINE : OFFICIAL;
  let golang = { ...defaults.golang };
  const golangOverride = env("SLIMSTAGE_BASE_GOLANG");
  if (golangOverride) {
    try {
      golang = parseVersionMap(golangOverride);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  let golangPattern = defaults.golangPattern;
  const patternOverride = env("SLIMSTAGE_BASE_GOLANG_PATTERN");
  if (patternOverride === "none") golangPattern = undefined;
  else if (patternOverride !== undefined) {
    if (/^[^\s{}]*\{minor\}[^\s{}]*$/.test(patternOverride)) golangPattern = patternOverride;
    else problems.push(`SLIMSTAGE_BASE_GOLANG_PATTERN must be an image reference with {minor} in it (e.g. golang:{minor}), or "none", got "${patternOverride}"`);
  }

  const moduleBuildArgs: Record<string, string> = {};
  for (const name of ["GOPROXY", "GOSUMDB", "GONOSUMDB", "GOPRIVATE"]) {
    const value = env(`SLIMSTAGE_${name}`);
    if (value !== undefined) moduleBuildArgs[name] = value;
  }

  const databaseUrl = env("DATABASE_URL") ?? `file:${path.join(cwd, "data", "slimstage.db")}`;
  if (!/^(file:|postgres(ql)?:\/\/)/.test(databaseUrl)) {
    problems.push(`DATABASE_URL must be a SQLite "file:" URL or a "postgres://" URL, got "${databaseUrl.replace(/\/\/[^@/]*@/, "//…@")}"`);
  }

  const adminToken = env("SLIMSTAGE_ADMIN_TOKEN");
  if (adminToken !== undefined && adminToken.length < 16) problems.push("SLIMSTAGE_ADMIN_TOKEN must be at least 16 characters long");

  const publicUrl = env("SLIMSTAGE_PUBLIC_URL");
  if (publicUrl !== undefined && !/^https?:\/\/[^/\s]+\/?$/.test(publicUrl)) {
    problems.push(`SLIMSTAGE_PUBLIC_URL must be an origin such as https://slimstage.example.com, got "${publicUrl}"`);
  }

  const config: Config = {
    projectRoot: cwd,
    databaseUrl,
    dockerHost: env("DOCKER_HOST"),
    baseProfile,
    baseImages: {
      golang,
      ...(golangPattern ? { golangPattern } : {}),
      alpine: env("SLIMSTAGE_BASE_ALPINE") ?? defaults.alpine,
      static: env("SLIMSTAGE_BASE_STATIC") ?? defaults.static,
    },
    examplesDir: env("SLIMSTAGE_EXAMPLES_DIR") ?? path.join(cwd, "examples"),
    workerConcurrency: int("SLIMSTAGE_CONCURRENCY", 1),
    workerId: env("SLIMSTAGE_WORKER_ID"),
    leaseMs: int("SLIMSTAGE_LEASE_SECONDS", 30, 3, 3600) * 1000,
    runTimeoutSeconds: int("SLIMSTAGE_RUN_TIMEOUT", 10),
    moduleBuildArgs,
    buildNetwork: env("SLIMSTAGE_BUILD_NETWORK"),
    repoBuildNetwork: oneOf("SLIMSTAGE_REPO_BUILD_NETWORK", ["none", "bridge", "off"] as const, "none"),
    repoBases: env("SLIMSTAGE_REPO_BASES") === undefined ? DEFAULT_REPO_BASES : list("SLIMSTAGE_REPO_BASES"),
    repoPolicy: { allowLocal: flag("SLIMSTAGE_ALLOW_LOCAL_REPOS"), allowPrivateHosts: flag("SLIMSTAGE_ALLOW_PRIVATE_HOSTS") },
    cloneLimits: { timeoutMs: int("SLIMSTAGE_CLONE_TIMEOUT", 120) * 1000, maxBytes: int("SLIMSTAGE_MAX_REPO_MB", 200) * 1e6 },
    sourceLimits: {
      maxFiles: int("SLIMSTAGE_MAX_SOURCE_FILES", DEFAULT_SOURCE_LIMITS.maxFiles),
      maxBytes: int("SLIMSTAGE_MAX_SOURCE_MB", DEFAULT_SOURCE_LIMITS.maxBytes / 1e6) * 1e6,
    },
    registryPort: int("SLIMSTAGE_REGISTRY_PORT", 5055, 0, 65535),
    keptComparisons: int("SLIMSTAGE_KEEP_IMAGES", 20, 0),
    advice: {
      enabled: oneOf("SLIMSTAGE_ADVICE", ["on", "off"] as const, "on") === "on",
      upx: oneOf("SLIMSTAGE_ADVICE_UPX", ["on", "off"] as const, "on") === "on",
    },
    stopGraceMs: int("SLIMSTAGE_STOP_GRACE", 10, 0) * 1000,
    diskBudget: {
      bytes: env("SLIMSTAGE_DISK_BUDGET_MB") === undefined ? undefined : int("SLIMSTAGE_DISK_BUDGET_MB", 0, 100) * 1e6,
      buildCachePercent: int("SLIMSTAGE_BUILD_CACHE_PERCENT", 25, 0, 100),
    },
    submissionsPerMinute: int("SLIMSTAGE_RATE_LIMIT", 30),
    timeLimits: {
      comparisonMs: int("SLIMSTAGE_COMPARISON_TIMEOUT", 30) * 60_000,
      buildMs: int("SLIMSTAGE_BUILD_TIMEOUT", 15) * 60_000,
    },
    buildLimits: {
      pids: int("SLIMSTAGE_BUILD_PIDS", 512, 16),
      maxImageBytes: int("SLIMSTAGE_MAX_IMAGE_MB", 4000) * 1e6,
      cgroupParent: env("SLIMSTAGE_BUILD_CGROUP"),
    },
    adminToken,
    trustedProxies: parseTrustedProxies(env("SLIMSTAGE_TRUSTED_PROXIES"), problems),
    queueCaps: { perClient: int("SLIMSTAGE_MAX_QUEUED_PER_CLIENT", 3), total: int("SLIMSTAGE_MAX_QUEUED", 200) },
    maxBodyBytes: int("SLIMSTAGE_MAX_BODY_KB", 64) * 1024,
    streams: { perClient: int("SLIMSTAGE_MAX_STREAMS_PER_CLIENT", 8), lifetimeMs: int("SLIMSTAGE_STREAM_LIFETIME", 300) * 1000 },
    publicUrl: publicUrl?.replace(/\/$/, ""),
    listen: { port: int("PORT", 3000, 1, 65535), hostname: env("SLIMSTAGE_HOST") },
    logLevel: oneOf("SLIMSTAGE_LOG_LEVEL", LOG_LEVELS, "info"),
    workerMetrics: parseListenAddress("SLIMSTAGE_WORKER_METRICS_ADDRESS", env("SLIMSTAGE_WORKER_METRICS_ADDRESS"), problems),
  };
  if (problems.length) throw new ConfigError(problems);
  return config;
}

/** For a process's entry point: the Config, or the bad variables named and exit code 2. */
export function loadConfigOrExit(role: string): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    createLogger({ role }).fatal({ problems: error.problems }, error.message);
    process.exit(2);
  }
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

// "127.0.0.1:9464", "[::1]:9464" or a bare port (loopback): where a worker's /metrics listens.
function parseListenAddress(name: string, raw: string | undefined, problems: string[]): { port: number; hostname: string } | undefined {
  if (raw === undefined || raw === "off") return undefined;
  const match = raw.match(/^(?:\[([0-9a-fA-F:.]+)\]|([^:\s]*)):(\d{1,5})$/) ?? raw.match(/^()()(\d{1,5})$/);
  const port = Number(match?.[3]);
  if (!match || !Number.isInteger(port) || port < 1 || port > 65535) {
    problems.push(`${name} must be HOST:PORT (e.g. 127.0.0.1:9464) or a port, got "${raw}"`);
    return undefined;
  }
  return { port, hostname: match[1] || match[2] || "127.0.0.1" };
}

// "2" trusts the last two hops of X-Forwarded-For; "10.0.0.0/8,127.0.0.1" trusts peers in
// those ranges (a bare address is a /32 or /128); empty: the socket's address only.
function parseTrustedProxies(raw: string | undefined, problems: string[]): TrustedProxies {
  if (raw === undefined || raw === "none") return { kind: "none" };
  if (/^\d+$/.test(raw)) return { kind: "hops", hops: Number(raw) };
  const cidrs = raw.split(",").map((s) => s.trim()).filter(Boolean);
  const bad = cidrs.filter((c) => !/^[0-9a-fA-F.:]+(\/\d{1,3})?$/.test(c));
  if (bad.length) problems.push(`SLIMSTAGE_TRUSTED_PROXIES must be a hop count or a list of addresses/CIDRs, got "${bad.join(", ")}"`);
  return { kind: "cidrs", cidrs };
}
