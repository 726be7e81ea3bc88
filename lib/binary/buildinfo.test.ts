// The modinfo text parser, table-tested on text in runtime/debug.BuildInfo.String()'s
// format; the section reader is tested on real binaries in analyze-binary.test.ts.
import { describe, expect, it } from "vitest";
import { parseModinfo, unquoteGo } from "@/lib/binary/buildinfo";

const modinfo = [
  "path\texample.com/app/cmd/server",
  "mod\texample.com/app\t(devel)\t",
  "dep\texample.com/greet\tv1.2.3",
  "dep\tgithub.com/a/b\tv1.0.0\th1:abc=",
  "dep\tgithub.com/old/name\tv1.1.0",
  "=>\tgithub.com/fork/name\tv1.1.1\th1:def=",
  "dep\texample.com/local\tv0.0.0-00010101000000-000000000000",
  "=>\t../local\t\t",
  "build\t-buildmode=exe",
  "build\t-compiler=gc",
  'build\t-ldflags="-s -w -X main.version=1.0"',
  "build\t-trimpath=true",
  "build\tCGO_ENABLED=0",
  "build\tGOARCH=amd64",
  'build\t"weird key"=value',
  "build\tvcs.modified=false",
  "",
].join("\n");

describe("parseModinfo", () => {
  const info = parseModinfo("go1.23.4", modinfo);

  it("reads the go version, main package and main module", () => {
    expect(info.goVersion).toBe("go1.23.4");
    expect(info.mainPackagePath).toBe("example.com/app/cmd/server");
    expect(info.mainModule).toEqual({ path: "example.com/app", version: "(devel)" });
  });

  it("reads dependencies with sums and replacements", () => {
    expect(info.deps).toEqual([
      { path: "example.com/greet", version: "v1.2.3" },
      { path: "github.com/a/b", version: "v1.0.0", sum: "h1:abc=" },
      { path: "github.com/old/name", version: "v1.1.0", replace: { path: "github.com/fork/name", version: "v1.1.1" } },
      { path: "example.com/local", version: "v0.0.0-00010101000000-000000000000", replace: { path: "../local", version: "" } },
    ]);
  });

  it("reads build settings, unquoting quoted keys and values", () => {
    expect(info.settings).toEqual({
      "-buildmode": "exe",
      "-compiler": "gc",
      "-ldflags": "-s -w -X main.version=1.0",
      "-trimpath": "true",
      CGO_ENABLED: "0",
      GOARCH: "amd64",
      "weird key": "value",
      "vcs.modified": "false",
    });
  });

  it("gives empty fields for a binary built outside a module", () => {
    const bare = parseModinfo("go1.23.4", "path\tcommand-line-arguments\nbuild\t-compiler=gc\n");
    expect(bare.mainPackagePath).toBe("command-line-arguments");
    expect(bare.mainModule).toEqual({ path: "", version: "" });
    expect(bare.deps).toEqual([]);
  });
});

describe("unquoteGo", () => {
  it.each([
    ['"-s -w"', "-s -w"],
    ['"a\\"b"', 'a"b'],
    ['"tab\\there"', "tab\there"],
    ['"\\x41\\u00e9\\101"', "AéA"],
    ["`raw \\n`", "raw \\n"],
    ["plain", "plain"],
  ])("%s", (quoted, text) => {
    expect(unquoteGo(quoted)).toBe(text);
  });
});
