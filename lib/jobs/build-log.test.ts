import { existsSync, readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { LogBuffer, looksLikeNetworkFailure, summarizeFailure } from "@/lib/jobs/build-log";

describe("LogBuffer", () => {
  it("keeps the newest lines and says how many it dropped", () => {
    const buffer = new LogBuffer(3, 10);
    for (const line of ["a", "b", "c", "d", "0123456789abc"]) buffer.push(line);
    expect(buffer.toString()).toBe("… 2 earlier lines not kept\nc\nd\n0123456789…");
    expect(buffer.tail(1)).toEqual(["0123456789…"]);
  });
});

describe("summarizeFailure", () => {
  it.each([
    [
      "the compiler's errors from the failing step",
      [
        "Step 6/7 : COPY src/ ./",
        " ---> 1a2b3c",
        "Step 7/7 : RUN go build -o /out/app .",
        " ---> Running in 9f8e7d",
        "# example.com/broken",
        "./main.go:6:2: undefined: notDefined",
      ],
      "The command '/bin/sh -c go build -o /out/app .' returned a non-zero code: 1",
      "# example.com/broken\n./main.go:6:2: undefined: notDefined\nThe command '/bin/sh -c go build -o /out/app .' returned a non-zero code: 1",
    ],
    ["an error before any step", [], "dockerfile parse error line 3", "dockerfile parse error line 3"],
    [
      "Podman's step headers",
      ["[1/2] STEP 1/3: FROM golang AS builder", "[1/2] STEP 3/3: RUN go build .", "./main.go:6:2: undefined: x"],
      "error building at STEP \"RUN go build .\": exit status 1",
      "./main.go:6:2: undefined: x\nerror building at STEP \"RUN go build .\": exit status 1",
    ],
    [
      "the error line is not repeated",
      ["Step 1/1 : FROM nothing:here", "pull access denied for nothing"],
      "pull access denied for nothing",
      "pull access denied for nothing",
    ],
  ])("%s", (_name, lines, error, expected) => {
    expect(summarizeFailure(lines, error)).toBe(expected);
  });
});

// A package mirror's host as this machine's apt configuration names it (any host does: the
// failures are recognised by their words, not by whom they name).
const MIRROR = mirrorHost();

function mirrorHost(): string {
  for (const file of ["/etc/apt/sources.list", ...aptSourceFiles()]) {
    const host = (existsSync(file) ? readFileSync(file, "utf8") : "").match(/https?:\/\/([A-Za-z0-9.-]+)/)?.[1];
    if (host) return host;
  }
  return "packages.invalid";
}

function aptSourceFiles(): string[] {
  const dir = "/etc/apt/sources.list.d";
  return existsSync(dir) ? readdirSync(dir).map((name) => `${dir}/${name}`) : [];
}

describe("looksLikeNetworkFailure", () => {
  it.each([
    ["Go's module fetch", `go: example.com/x@v1.0.0: Get "https://${MIRROR}/example.com/x/@v/v1.0.0.mod": dial tcp: lookup ${MIRROR} on 10.0.0.1:53: no such host`, true],
    ["apk", `WARNING: fetching https://${MIRROR}/alpine/v3.22/main: temporary error (try again later)`, true],
    ["apt", `E: Failed to fetch http://${MIRROR}/debian/pool/main/c/curl.deb  Temporary failure resolving '${MIRROR}'`, true],
    ["curl", "curl: (6) Could not resolve host: example.com", true],
    ["git", "fatal: unable to access 'https://github.com/acme/x/': Could not resolve host: github.com", true],
    ["a compile error", "./main.go:6:2: undefined: notDefined", false],
    ["Buildah's relative mount target", 'resolving mountpoints for container "c": invalid container path "go.mod", must be an absolute path', false],
    ["a missing file", "COPY failed: file not found in build context or excluded by .dockerignore: stat app: file does not exist", false],
  ])("%s", (_name, output, expected) => {
    expect(looksLikeNetworkFailure(output)).toBe(expected);
  });
});
