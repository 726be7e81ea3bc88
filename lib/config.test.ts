import { describe, expect, it } from "vitest";
import { ConfigError, DEFAULT_SOURCE_LIMITS, loadConfig, type BaseImages } from "./config";

const load = (env: Record<string, string>) => loadConfig(env, "/srv/slimstage");
const problemsOf = (env: Record<string, string>): string[] => {
  try {
    load(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
};

describe("loadConfig: base images", () => {
  const offlineGo = Object.fromEntries(["1.23", "1.24", "1.25", "1.26", "1.27"].map((v) => [v, `slimstage/golang:${v}-local`]));
  it.each<[string, Record<string, string>, Partial<BaseImages>]>([
    [
      "official by default: Go 1.21-1.27, newer by pattern, current Alpine and distroless",
      {},
      {
        golang: Object.fromEntries(["1.21", "1.22", "1.23", "1.24", "1.25", "1.26", "1.27"].map((v) => [v, `golang:${v}`])),
        golangPattern: "golang:{minor}",
        alpine: "alpine:3.22",
        static: "gcr.io/distroless/static-debian13",
      },
    ],
    ["offline: the stand-ins, no pattern", { SLIMSTAGE_BASE_PROFILE: "offline" }, { golang: offlineGo, golangPattern: "(none)", alpine: "alpine:3.22", static: "slimstage/static:local" }],
    [
      "SLIMSTAGE_BASE_GOLANG replaces the table; the profile's pattern stays",
      { SLIMSTAGE_BASE_GOLANG: "1.23=golang:1.23, 1.99=registry.example/go:1.99" },
      { golang: { "1.23": "golang:1.23", "1.99": "registry.example/go:1.99" }, golangPattern: "golang:{minor}" },
    ],
    ["a pattern of one's own", { SLIMSTAGE_BASE_PROFILE: "offline", SLIMSTAGE_BASE_GOLANG_PATTERN: "mirror.example:5000/golang:{minor}-bookworm" }, { golang: offlineGo, golangPattern: "mirror.example:5000/golang:{minor}-bookworm" }],
    ["no pattern", { SLIMSTAGE_BASE_GOLANG_PATTERN: "none" }, { golangPattern: "(none)" }],
    ["alpine and static are configuration", { SLIMSTAGE_BASE_ALPINE: "alpine:3.21", SLIMSTAGE_BASE_STATIC: "static:1" }, { alpine: "alpine:3.21", static: "static:1" }],
  ])("%s", (_name, env, expected) => {
    const { golangPattern, ...rest } = load(env).baseImages;
    const { golangPattern: wantedPattern, ...wantedRest } = expected;
    expect(rest).toMatchObject(wantedRest);
    if (wantedPattern !== undefined) expect(golangPattern ?? "(none)").toBe(wantedPattern);
  });
});

describe("loadConfig: source limits", () => {
  it.each([
    ["defaults", {}, DEFAULT_SOURCE_LIMITS],
    ["set", { SLIMSTAGE_MAX_SOURCE_FILES: "500", SLIMSTAGE_MAX_SOURCE_MB: "5" }, { maxFiles: 500, maxBytes: 5_000_000 }],
  ])("%s", (_name, env, expected) => {
    expect(load(env).sourceLimits).toEqual(expected);
  });

  it("passes a vendored repository of real size by default", () => {
    expect(DEFAULT_SOURCE_LIMITS.maxFiles).toBeGreaterThanOrEqual(10_000);
    expect(DEFAULT_SOURCE_LIMITS.maxBytes).toBeGreaterThanOrEqual(50e6);
  });
});

describe("loadConfig: bad values name their variable", () => {
  it.each([
    ["a pattern without {minor}", { SLIMSTAGE_BASE_GOLANG_PATTERN: "golang:latest" }, "SLIMSTAGE_BASE_GOLANG_PATTERN"],
    ["a table entry without a version", { SLIMSTAGE_BASE_GOLANG: "golang:1.23" }, "SLIMSTAGE_BASE_GOLANG"],
    ["no source files", { SLIMSTAGE_MAX_SOURCE_FILES: "0" }, "SLIMSTAGE_MAX_SOURCE_FILES"],
    ["megabytes in words", { SLIMSTAGE_MAX_SOURCE_MB: "lots" }, "SLIMSTAGE_MAX_SOURCE_MB"],
    ["a log level pino does not know", { SLIMSTAGE_LOG_LEVEL: "verbose" }, "SLIMSTAGE_LOG_LEVEL"],
    ["a metrics address without a port", { SLIMSTAGE_WORKER_METRICS_ADDRESS: "127.0.0.1" }, "SLIMSTAGE_WORKER_METRICS_ADDRESS"],
    ["a metrics port out of range", { SLIMSTAGE_WORKER_METRICS_ADDRESS: "0.0.0.0:70000" }, "SLIMSTAGE_WORKER_METRICS_ADDRESS"],
  ])("%s", (_name, env, variable) => {
    const problems = problemsOf(env);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(variable);
  });
});

describe("loadConfig: logs and metrics", () => {
  it.each([
    ["defaults", {}, "info", undefined],
    ["a level", { SLIMSTAGE_LOG_LEVEL: "debug" }, "debug", undefined],
    ["a worker's metrics on a port (loopback)", { SLIMSTAGE_WORKER_METRICS_ADDRESS: "9464" }, "info", { hostname: "127.0.0.1", port: 9464 }],
    ["on every interface", { SLIMSTAGE_WORKER_METRICS_ADDRESS: "0.0.0.0:9464" }, "info", { hostname: "0.0.0.0", port: 9464 }],
    ["on an IPv6 address", { SLIMSTAGE_WORKER_METRICS_ADDRESS: "[::1]:9100" }, "info", { hostname: "::1", port: 9100 }],
    ["off", { SLIMSTAGE_WORKER_METRICS_ADDRESS: "off" }, "info", undefined],
  ])("%s", (_name, env, level, metrics) => {
    const config = load(env);
    expect(config.logLevel).toBe(level);
    expect(config.workerMetrics).toEqual(metrics);
  });
});
