import { describe, expect, it } from "vitest";
import { absoluteMountTargets } from "@/lib/dockerfiles/mount-targets";
import { dockerInitServer } from "@/lib/testing/todays-repos";

describe("absoluteMountTargets", () => {
  it.each([
    [
      "docker init's bind mounts, against the stage's WORKDIR",
      "FROM golang:1.25 AS build\nWORKDIR /src\nRUN --mount=type=cache,target=/go/pkg/mod/ \\\n    --mount=type=bind,source=go.mod,target=go.mod \\\n    go mod download -x\nRUN --mount=type=bind,target=. go build -o /bin/server .\n",
      "FROM golang:1.25 AS build\nWORKDIR /src\nRUN --mount=type=cache,target=/go/pkg/mod/ \\\n    --mount=type=bind,source=go.mod,target=/src/go.mod \\\n    go mod download -x\nRUN --mount=type=bind,target=/src go build -o /bin/server .\n",
      ["go.mod → /src/go.mod", ". → /src"],
    ],
    [
      "a relative WORKDIR after an absolute one, and dst= / destination= spellings",
      "FROM golang AS b\nWORKDIR /src\nWORKDIR app\nRUN --mount=type=bind,dst=./x --mount=type=cache,destination=cache go build\n",
      "FROM golang AS b\nWORKDIR /src\nWORKDIR app\nRUN --mount=type=bind,dst=/src/app/x --mount=type=cache,destination=/src/app/cache go build\n",
      ["./x → /src/app/x", "cache → /src/app/cache"],
    ],
    [
      "a stage built FROM another inherits its WORKDIR",
      "FROM golang AS base\nWORKDIR /w\nFROM base AS build\nRUN --mount=type=bind,target=. make\n",
      "FROM golang AS base\nWORKDIR /w\nFROM base AS build\nRUN --mount=type=bind,target=/w make\n",
      [". → /w"],
    ],
    [
      "no WORKDIR in the stage: the base image's is not known here, so left as written",
      "FROM golang\nRUN --mount=type=bind,target=. go build\nFROM golang AS two\nWORKDIR /a\nFROM golang\nRUN --mount=type=bind,target=. go build\n",
      "FROM golang\nRUN --mount=type=bind,target=. go build\nFROM golang AS two\nWORKDIR /a\nFROM golang\nRUN --mount=type=bind,target=. go build\n",
      [],
    ],
    [
      "a WORKDIR with a variable, and a target with one: left as written",
      "FROM golang\nWORKDIR $HOME/src\nRUN --mount=type=bind,target=. go build\nWORKDIR /s\nRUN --mount=type=bind,target=$DIR go build\n",
      "FROM golang\nWORKDIR $HOME/src\nRUN --mount=type=bind,target=. go build\nWORKDIR /s\nRUN --mount=type=bind,target=$DIR go build\n",
      [],
    ],
    [
      "absolute targets and RUN without mounts are untouched; the command's own words too",
      'FROM golang\nWORKDIR /src\nRUN --mount=type=cache,target=/root/.cache/go-build go build\nRUN echo "target=x"\n',
      'FROM golang\nWORKDIR /src\nRUN --mount=type=cache,target=/root/.cache/go-build go build\nRUN echo "target=x"\n',
      [],
    ],
    ["a Dockerfile the parser refuses: left as written", "# escape=x\nFROM golang\n", "# escape=x\nFROM golang\n", []],
  ])("%s", (_name, text, expected, changed) => {
    expect(absoluteMountTargets(text)).toEqual({ text: expected, changed });
  });

  it("makes docker init's Dockerfile buildable by Buildah and changes nothing else", () => {
    const result = absoluteMountTargets(dockerInitServer.Dockerfile!);
    expect(result.changed).toEqual(["go.mod → /src/go.mod", ". → /src"]);
    const before = dockerInitServer.Dockerfile!.split("\n");
    const after = result.text.split("\n");
    expect(after).toHaveLength(before.length);
    expect(after.filter((line, i) => line !== before[i])).toEqual(["    --mount=type=bind,source=go.mod,target=/src/go.mod \\", "    --mount=type=bind,target=/src \\"]);
  });
});
