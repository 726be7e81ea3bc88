import { describe, expect, it } from "vitest";
import { baseImagesOf, finalBaseOf } from "./repo-dockerfile";

describe("repository Dockerfiles", () => {
  it.each([
    ["one stage", "FROM golang:1.23\nRUN go build\n", ["golang:1.23"], "golang:1.23"],
    [
      "multi-stage onto scratch, stage names not counted",
      "FROM golang:1.23 AS build\nRUN go build\nFROM build AS test\nFROM scratch\nCOPY --from=build /app /app\n",
      ["golang:1.23"],
      null,
    ],
    [
      "platform flags, comments and continuation lines",
      "# syntax=docker/dockerfile:1\nFROM --platform=linux/amd64 golang:1.23 as builder\nRUN echo \\\n  hi\nFROM gcr.io/distroless/static-debian12\n",
      ["golang:1.23", "gcr.io/distroless/static-debian12"],
      "gcr.io/distroless/static-debian12",
    ],
    ["no FROM", "RUN true\n", [], null],
  ])("%s", (_name, text, bases, final) => {
    expect(baseImagesOf(text)).toEqual(bases);
    expect(finalBaseOf(text)).toBe(final);
  });
});
