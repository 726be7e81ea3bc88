import { describe, expect, it } from "vitest";
import { familiarImageRef, imagePolicy, matchesImagePattern, parseImagePatterns } from "./image-ref";

describe("familiarImageRef", () => {
  it.each([
    ["golang", "golang:latest"],
    ["golang:1.23", "golang:1.23"],
    ["library/golang:1.23", "golang:1.23"],
    ["docker.io/library/golang:1.23", "golang:1.23"],
    ["index.docker.io/library/golang:1.23", "golang:1.23"],
    ["docker.io/owner/app", "owner/app:latest"],
    ["gcr.io/distroless/static-debian12:nonroot", "gcr.io/distroless/static-debian12:nonroot"],
    ["localhost:5000/x", "localhost:5000/x:latest"],
    ["localhost/x:1", "localhost/x:1"],
    [`alpine@sha256:${"a".repeat(64)}`, `alpine@sha256:${"a".repeat(64)}`],
    ["Golang:1.23", null],
    ["golang:", null],
    ["golang::1", null],
    ["-golang", null],
    ["", null],
  ])("%s -> %s", (ref, familiar) => {
    expect(familiarImageRef(ref)).toBe(familiar);
  });
});

describe("matchesImagePattern", () => {
  it.each([
    ["golang:1.23", "golang:*", true],
    ["golang", "golang:*", true],
    ["docker.io/library/golang:1.22", "golang:*", true],
    ["golang:1.23", "docker.io/library/golang:*", true],
    ["golang-evil:1.23", "golang:*", false],
    ["owner/golang:1.23", "golang:*", false],
    ["alpine:3.20", "alpine:*", true],
    ["alpine:3.20", "golang:*", false],
    ["gcr.io/distroless/static-debian12", "gcr.io/distroless/*", true],
    ["gcr.io/distroless/static-debian12:nonroot", "gcr.io/distroless/*", true],
    ["gcr.io/distrolessevil/x", "gcr.io/distroless/*", false],
    ["evil.io/gcr.io/distroless/x", "gcr.io/distroless/*", false],
    ["anything.example/x:1", "*", true],
    ["alpine", "alpine", true],
    ["alpine:latest", "alpine", true],
    ["alpine:3.20", "alpine", false],
    ["docker.io/library/alpine:3.20", "alpine:3.20", true],
    ["golang.1.23", "golang.*", true],
    ["golangx1", "golang.1", false],
    ["Not A Ref", "*", false],
  ])("%s against %s -> %s", (ref, pattern, matches) => {
    expect(matchesImagePattern(ref, pattern)).toBe(matches);
  });
});

describe("parseImagePatterns", () => {
  it.each([
    [undefined, []],
    ["", []],
    ["golang:*, alpine:*  gcr.io/distroless/*", ["golang:*", "alpine:*", "gcr.io/distroless/*"]],
  ])("%j", (text, patterns) => {
    expect(parseImagePatterns(text)).toEqual(patterns);
  });
});

describe("imagePolicy", () => {
  const policy = imagePolicy(["golang:*"], ["slimstage/static:local", "docker.io/library/busybox:latest"]);
  it.each([
    ["golang:1.23", true, false],
    ["slimstage/static:local", false, true],
    ["busybox", false, true],
    ["alpine:3.20", false, false],
  ])("%s: allowed %s, present %s", (ref, allowed, present) => {
    expect([policy.allowed(ref), policy.present(ref)]).toEqual([allowed, present]);
  });
});
