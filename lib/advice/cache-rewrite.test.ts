import { describe, expect, it } from "vitest";
import { removePackageCaches, type CacheChange } from "./cache-rewrite";

const CLEAN = "rm -rf /var/lib/apt/lists/*";

describe("removePackageCaches", () => {
  it.each<[string, string, string | null, CacheChange[]?]>([
    ["apk add gets --no-cache", "FROM alpine\nRUN apk add curl\n", "FROM alpine\nRUN apk add --no-cache curl\n", [{ line: 2, what: "apk-no-cache" }]],
    ["apk's own flags before add", "FROM alpine\nRUN apk --update add git\n", "FROM alpine\nRUN apk --update add --no-cache git\n", [{ line: 2, what: "apk-no-cache" }]],
    ["two apk adds on two lines of one RUN", "FROM alpine\nRUN apk add curl && \\\n    apk add git\n", "FROM alpine\nRUN apk add --no-cache curl && \\\n    apk add --no-cache git\n", [{ line: 2, what: "apk-no-cache" }, { line: 3, what: "apk-no-cache" }]],
    ["apk add already --no-cache", "FROM alpine\nRUN apk add --no-cache curl\n", null],
    ["apk add whose cache the same RUN removes", "FROM alpine\nRUN apk add curl && rm -rf /var/cache/apk/*\n", null],
    ["apk add split inside the command", "FROM alpine\nRUN apk \\\n  add curl\n", null],
    ["apt-get install gets the lists removed", "FROM debian\nRUN apt-get update && apt-get install -y curl\n", `FROM debian\nRUN apt-get update && apt-get install -y curl && ${CLEAN}\n`, [{ line: 2, what: "apt-lists" }]],
    ["apt install, flags before install", "FROM debian\nRUN apt update && apt -y install curl\n", `FROM debian\nRUN apt update && apt -y install curl && ${CLEAN}\n`, [{ line: 2, what: "apt-lists" }]],
    [
      "at the end of the RUN's last continuation line",
      "FROM debian\nRUN apt-get update \\\n    && apt-get install -y --no-install-recommends \\\n       curl ca-certificates   \nWORKDIR /src\n",
      `FROM debian\nRUN apt-get update \\\n    && apt-get install -y --no-install-recommends \\\n       curl ca-certificates && ${CLEAN}\nWORKDIR /src\n`,
      [{ line: 4, what: "apt-lists" }],
    ],
    ["a comment line inside the continuation", "FROM debian\nRUN apt-get update && \\\n# the tools\n    apt-get install -y curl\n", `FROM debian\nRUN apt-get update && \\\n# the tools\n    apt-get install -y curl && ${CLEAN}\n`, [{ line: 4, what: "apt-lists" }]],
    ["CRLF line endings", "FROM debian\r\nRUN apt-get install -y curl\r\n", `FROM debian\r\nRUN apt-get install -y curl && ${CLEAN}\r\n`, [{ line: 2, what: "apt-lists" }]],
    ["lists already removed", `FROM debian\nRUN apt-get update && apt-get install -y curl && ${CLEAN}\n`, null],
    ["lists on a cache mount", "FROM debian\nRUN --mount=type=cache,target=/var/lib/apt/lists apt-get update && apt-get install -y curl\n", null],
    ["JSON form", 'FROM debian\nRUN ["apt-get", "install", "-y", "curl"]\n', null],
    ["a heredoc", "FROM debian\nRUN <<EOF\napt-get update\napt-get install -y curl\nEOF\n", null],
    ["a trailing comment on the last line", "FROM debian\nRUN apt-get install -y curl # tools\n", null],
    ["ends in an operator", "FROM debian\nRUN apt-get install -y curl ||\n", null],
    ["a SHELL of its own", 'FROM debian\nSHELL ["/bin/bash", "-c"]\nRUN apt-get install -y curl\n', null],
    ["the backtick escape", "# escape=`\nFROM debian\nRUN apt-get install -y curl\n", null],
    ["apt-get update alone", "FROM debian\nRUN apt-get update\n", null],
    ["no package manager", "FROM golang:1.23\nRUN go build -o /app .\n", null],
    ["not a Dockerfile it can read", "FROM debian\nRUN <<EOF\napt-get install -y curl\n", null],
    ["ONBUILD left as written", "FROM debian\nONBUILD RUN apt-get install -y curl\n", null],
  ])("%s", (_name, text, expected, changes) => {
    const result = removePackageCaches(text);
    if (expected === null) {
      expect(result).toBeNull();
      return;
    }
    expect(result?.text).toBe(expected);
    expect(result?.changes).toEqual(changes);
  });

  it("both in one file, each RUN on its own", () => {
    const text = "FROM alpine AS tools\nRUN apk add git\nFROM debian\nRUN apt-get update && apt-get install -y curl\nCMD [\"curl\"]\n";
    const result = removePackageCaches(text)!;
    expect(result.text).toBe(`FROM alpine AS tools\nRUN apk add --no-cache git\nFROM debian\nRUN apt-get update && apt-get install -y curl && ${CLEAN}\nCMD ["curl"]\n`);
    expect(result.changes.map((c) => c.what)).toEqual(["apk-no-cache", "apt-lists"]);
  });
});
