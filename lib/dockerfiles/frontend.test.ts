import { describe, expect, it } from "vitest";
import { explainFrontendFailure, newerFeatures, replaceBaseImages, standInFor, syntaxDirective, withoutSyntaxDirective } from "./frontend";

describe("syntaxDirective", () => {
  it.each([
    ["# syntax=docker/dockerfile:1.4\nFROM scratch", { ref: "docker/dockerfile:1.4", line: 1 }],
    ["# syntax = docker/dockerfile:1.3\nFROM scratch", { ref: "docker/dockerfile:1.3", line: 1 }],
    ["# escape=`\n# syntax=docker/dockerfile:1\nFROM scratch", { ref: "docker/dockerfile:1", line: 2 }],
    ["# a comment\n# syntax=docker/dockerfile:1\nFROM scratch", null],
    ["FROM scratch\n# syntax=docker/dockerfile:1", null],
    ["\n# syntax=docker/dockerfile:1\nFROM scratch", null],
  ])("%j", (text, expected) => {
    expect(syntaxDirective(text)).toEqual(expected);
  });

  it("leaves the line out and keeps the line numbers", () => {
    const text = "# syntax=docker/dockerfile:1.3\nFROM golang:1.26\nRUN make";
    const out = withoutSyntaxDirective(text);
    expect(syntaxDirective(out)).toBeNull();
    expect(out.split("\n")).toHaveLength(3);
    expect(out.split("\n")[1]).toBe("FROM golang:1.26");
  });
});

describe("explainFrontendFailure", () => {
  const heredoc = "FROM golang:1.26\nRUN <<EOF\necho hi\nEOF\n";
  const link = "FROM scratch\nCOPY --link --chmod=755 app /app\n";
  it.each([
    ["a heredoc", heredoc, "failed to create LLB definition: dockerfile parse error line 3: unknown instruction: ECHO", /heredoc \(line 2: RUN <<EOF\).*Docker Engine 20\.10\.24.*joined with &&/],
    ["COPY --link", link, "dockerfile parse error line 2: Unknown flag: link", /COPY --link \(line 2.*drop --link/],
  ])("%s", (_name, text, failure, expected) => {
    expect(explainFrontendFailure(text, failure, "20.10.24")).toMatch(expected);
  });
  it.each([
    ["another failure", heredoc, "executor failed running [/bin/sh -c make]: exit code: 2"],
    ["a parse error without a newer feature", "FROM scratch\nFROOM x\n", "dockerfile parse error line 2: unknown instruction: FROOM"],
  ])("%s: null", (_name, text, failure) => {
    expect(explainFrontendFailure(text, failure, "20.10.24")).toBeNull();
  });
  it("finds features", () => {
    expect(newerFeatures(heredoc).map((f) => f.feature)).toEqual(["heredoc"]);
    expect(newerFeatures("FROM x\nRUN echo a << b\n")).toEqual([]);
  });
});

describe("standInFor", () => {
  const bases = { golang: { "1.23": "slimstage/golang:1.23-local", "1.26": "slimstage/golang:1.26-local" }, static: "slimstage/static:local" };
  it.each([
    ["golang:1.26", "slimstage/golang:1.26-local"],
    ["golang:1.26.3-bookworm", "slimstage/golang:1.26-local"],
    ["docker.io/library/golang:1.23-alpine", "slimstage/golang:1.23-local"],
    ["golang:1.19", null],
    ["golang:latest", null],
    ["gcr.io/distroless/static-debian12:nonroot", "slimstage/static:local"],
    ["gcr.io/distroless/static", "slimstage/static:local"],
    ["gcr.io/distroless/base-debian12", null],
    ["alpine:3.22", null],
  ])("%s -> %s", (ref, expected) => {
    expect(standInFor(ref, bases)).toBe(expected);
  });

  it("rewrites the FROM lines of the stages the reader found, ARG references too", () => {
    const text = "ARG GO=1.26\nFROM --platform=$BUILDPLATFORM golang:${GO} AS build\nFROM gcr.io/distroless/static:nonroot\nFROM alpine:3.22\nCOPY --from=build /a /a";
    const stages = [
      { line: 2, ref: "golang:1.26" },
      { line: 3, ref: "gcr.io/distroless/static:nonroot" },
      { line: 4, ref: "alpine:3.22" },
    ];
    const out = replaceBaseImages(text, stages, new Map([["golang:1.26", "slimstage/golang:1.26-local"], ["gcr.io/distroless/static:nonroot", "slimstage/static:local"]]));
    expect(out).toBe("ARG GO=1.26\nFROM --platform=$BUILDPLATFORM slimstage/golang:1.26-local AS build\nFROM slimstage/static:local\nFROM alpine:3.22\nCOPY --from=build /a /a");
  });
});
