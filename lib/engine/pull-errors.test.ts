import { describe, expect, it } from "vitest";
import { classifyPullFailure, type PullFailureKind } from "./pull-errors";

// Messages as the engines print them: Docker Engine 20.10 (seen here against Debian's
// docker-registry and with no DNS), Docker Hub's documented answers, and Podman 4.3.
const CASES: Array<[string, string, boolean, PullFailureKind]> = [
  ["local registry, unknown tag", "manifest for 127.0.0.1:5601/nothing:1 not found: manifest unknown: manifest unknown", false, "not-found"],
  ["Docker Hub, unknown repository", "pull access denied for nosuchrepo, repository does not exist or may require 'docker login': denied: requested access to the resource is denied", false, "not-found"],
  ["Podman, unknown tag", "initializing source docker://golang:1.99: reading manifest 1.99 in docker.io/library/golang: manifest unknown", false, "not-found"],
  ["private registry, no login", 'Head "https://ghcr.io/v2/acme/builder/manifests/1": unauthorized', false, "unauthorized"],
  ["registry asks for credentials", "unauthorized: authentication required", false, "unauthorized"],
  ["no credentials for a registry", "Get https://registry.example/v2/x/manifests/1: no basic auth credentials", false, "unauthorized"],
  ["Docker Hub rate limit", "toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit", false, "rate-limited"],
  ["rate limit mid-way", "toomanyrequests: Too Many Requests", true, "rate-limited"],
  ["no DNS (these machines)", 'Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io on 10.255.255.53:53: no such host', false, "unreachable"],
  ["no route", 'Get "https://registry-1.docker.io/v2/": dial tcp 44.205.64.79:443: connect: network is unreachable', false, "unreachable"],
  ["firewall drops", 'Get "https://registry-1.docker.io/v2/": net/http: request canceled while waiting for connection (Client.Timeout exceeded while awaiting headers)', false, "unreachable"],
  ["registry down before the pull", 'Get "http://127.0.0.1:5601/v2/": dial tcp 127.0.0.1:5601: connect: connection refused', false, "unreachable"],
  ["Podman, no DNS", 'pinging container registry registry-1.docker.io: Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io: no such host', false, "unreachable"],
  ["registry gone mid-layer", "unexpected EOF", true, "interrupted"],
  ["registry gone, retry refused", 'Get "http://127.0.0.1:5601/v2/library/golang/blobs/sha256:4f2c": dial tcp 127.0.0.1:5601: connect: connection refused', true, "interrupted"],
  ["connection reset mid-layer", "read tcp 127.0.0.1:40022->127.0.0.1:5601: read: connection reset by peer", true, "interrupted"],
  ["mirror gone mid-layer, Docker Hub tried next", 'Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io on 10.255.255.53:53: no such host', true, "interrupted"],
  ["Podman short name", 'short-name "golang:1.23" did not resolve to an alias and no unqualified-search registries are defined in "/etc/containers/registries.conf"', false, "short-name"],
  ["anything else", "failed to register layer: no space left on device", false, "other"],
  ["no message at all", "", false, "other"],
];

describe("classifyPullFailure", () => {
  it.each(CASES)("%s", (_name, message, started, kind) => {
    const failure = classifyPullFailure("golang:1.23", message, started);
    expect(failure.kind).toBe(kind);
    expect(failure.reason).toContain("golang:1.23");
    // The engine's own words stay in the reason, for whoever has to dig further.
    if (message) expect(failure.reason).toContain(message.replace(/\s+/g, " ").trim());
  });

  it("keeps the engine's words without dockerode's HTTP prefix", () => {
    const failure = classifyPullFailure("x:1", "(HTTP code 404) unexpected - manifest for x:1 not found: manifest unknown: manifest unknown ");
    expect(failure.kind).toBe("not-found");
    expect(failure.reason).toContain("(manifest for x:1 not found: manifest unknown: manifest unknown)");
    expect(failure.reason).not.toContain("HTTP code");
  });

  it("says what to do, not only what happened", () => {
    const say = (message: string, started = false) => classifyPullFailure("x:1", message, started).reason;
    expect(say("manifest unknown")).toMatch(/Check the name and tag/);
    expect(say("unauthorized")).toMatch(/docker login/);
    expect(say("toomanyrequests")).toMatch(/again later/);
    expect(say("dial tcp: lookup x: no such host")).toMatch(/^No network.*registry mirror.*docker load.*SLIMSTAGE_BASE_/);
    // Alpine has no stand-in: the reason must not send its reader to scripts/base-images.sh for it.
    expect(say("dial tcp: lookup x: no such host")).toMatch(/none for Alpine/);
    expect(say("unexpected EOF", true)).toMatch(/broke off part-way/);
  });

  it("a broken connection before any layer started is an unreachable registry, not an interrupted pull", () => {
    expect(classifyPullFailure("x:1", "unexpected EOF", false).kind).toBe("other");
    expect(classifyPullFailure("x:1", "dial tcp 127.0.0.1:1: connect: connection refused", false).kind).toBe("unreachable");
  });
});
