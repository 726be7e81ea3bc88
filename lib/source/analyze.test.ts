import { describe, expect, it } from "vitest";
import { UserError } from "@/lib/errors";
import { analyzeModule, moduleDirs, selectMainPackage, type Analysis, type GoFile } from "./analyze";

const GO_MOD = "module example.com/app\n\ngo 1.22\ntoolchain go1.23.1\nrequire (\n\tgithub.com/google/uuid v1.6.0\n\tgolang.org/x/text v0.14.0 // indirect\n)\n";
const main = (body: string, imports = ""): string => `package main\n\n${imports}\n\nfunc main() {\n${body}\n}\n`;
const file = (path: string, content: string): GoFile => ({ path, content });
const needsOf = (...files: GoFile[]) => analyzeModule(GO_MOD, files).needs;

describe("analyzeModule: go.mod facts", () => {
  it("reads the module, versions and third-party modules", () => {
    const analysis = analyzeModule(GO_MOD, [file("main.go", main(""))]);
    expect(analysis).toMatchObject({
      module: "example.com/app",
      goVersion: "1.22",
      toolchain: "go1.23.1",
      thirdParty: ["github.com/google/uuid", "golang.org/x/text"],
      vendored: false,
      embedsFiles: false,
    });
  });

  it("notices a vendor directory and //go:embed", () => {
    const embed = 'package main\n\nimport _ "embed"\n\n//go:embed index.html\nvar page string\n\nfunc main() {}\n';
    const analysis = analyzeModule(GO_MOD, [file("main.go", embed), file("vendor/modules.txt", "# github.com/google/uuid v1.6.0\n")]);
    expect(analysis.vendored).toBe(true);
    expect(analysis.embedsFiles).toBe(true);
  });
});

describe("analyzeModule: main packages", () => {
  it.each([
    ["a root program", [file("main.go", main(""))], ["."]],
    ["several commands, sorted", [file("cmd/worker/main.go", main("")), file("cmd/api/main.go", main("")), file("internal/db/db.go", "package db\n")], ["./cmd/api", "./cmd/worker"]],
    ["a library has none", [file("lib.go", "// Package app does things.\npackage app\n")], []],
    ["a comment before the clause does not count", [file("lib.go", "// package main\npackage app\n")], []],
    ["tests are skipped", [file("lib.go", "package app\n"), file("x/main_test.go", main(""))], []],
    ["vendor, testdata, hidden and _ dirs are skipped", [file("vendor/a/main.go", main("")), file("x/testdata/main.go", main("")), file(".tools/main.go", main("")), file("_old/main.go", main(""))], []],
    ["a //go:build ignore generator is skipped", [file("gen.go", `//go:build ignore\n\n${main("")}`), file("lib.go", "package app\n")], []],
    ["an old // +build ignore generator is skipped", [file("tools/gen.go", `// +build ignore\n\n${main("")}`)], []],
    ["a //go:build !ignore file counts", [file("main.go", `//go:build !ignore\n\n${main("")}`)], ["."]],
    ["a //go:build linux file counts", [file("main.go", `//go:build linux\n\n${main("")}`)], ["."]],
    ["a directory name the go tool cannot build is left out", [file("cmd/my app/main.go", main("")), file("cmd/ok/main.go", main(""))], ["./cmd/ok"]],
  ])("%s", (_name, files, expected) => {
    expect(analyzeModule(GO_MOD, files).mainPackages).toEqual(expected);
  });
});

describe("analyzeModule: run-time needs", () => {
  const none = { tzdata: false, caRoots: false, cgo: false };
  it.each([
    ["hello world", [file("main.go", main('fmt.Println("hello")', 'import "fmt"'))], none],
    ["LoadLocation", [file("main.go", main('loc, _ := time.LoadLocation("Europe/Berlin")\n_ = loc', 'import "time"'))], { ...none, tzdata: true }],
    ["LoadLocation through an alias", [file("main.go", main('_, _ = tm.LoadLocation(zone)', 'import tm "time"'))], { ...none, tzdata: true }],
    ["LoadLocation through a dot import", [file("main.go", main('_, _ = LoadLocation("Asia/Tokyo")', 'import . "time"'))], { ...none, tzdata: true }],
    ["LoadLocation of UTC needs no database", [file("main.go", main('_, _ = time.LoadLocation("UTC")', 'import "time"'))], none],
    ["LoadLocationFromTZData brings its own data", [file("main.go", main("_, _ = time.LoadLocationFromTZData(name, data)", 'import "time"'))], none],
    ["a comment mentioning LoadLocation", [file("main.go", main('// we could call time.LoadLocation("Europe/Berlin") here\n/* or time.LoadLocation( */', 'import "time"'))], none],
    ["a string mentioning LoadLocation", [file("main.go", main('fmt.Println("time.LoadLocation(x)", `http.Get(u)`)', 'import (\n\t"fmt"\n\t"time"\n\t"net/http"\n)'))], none],
    ["a rune literal with a quote does not open a string", [file("main.go", main(`_ = '"'\n_, _ = time.LoadLocation(z)\n_ = "\\""`, 'import "time"'))], { ...none, tzdata: true }],
    ["reading TZ", [file("main.go", main('fmt.Println(os.Getenv("TZ"))', 'import (\n\t"fmt"\n\t"os"\n)'))], { ...none, tzdata: true }],
    ["looking up TZ", [file("main.go", main('_, _ = os.LookupEnv("TZ")', 'import "os"'))], { ...none, tzdata: true }],
    ["reading another variable", [file("main.go", main('_ = os.Getenv("PORT")', 'import "os"'))], none],
    ["embedded tzdata covers LoadLocation", [file("main.go", main('_, _ = time.LoadLocation("Europe/Berlin")', 'import (\n\t"time"\n\t_ "time/tzdata"\n)'))], none],
    ["a tls import", [file("main.go", main("_ = tls.Config{}", 'import "crypto/tls"'))], { ...none, caRoots: true }],
    ["an aliased x509 import", [file("main.go", main("_, _ = cx.SystemCertPool()", 'import cx "crypto/x509"'))], { ...none, caRoots: true }],
    ["an HTTP client call", [file("cmd/fetch/main.go", main('_, _ = http.Get("https://example.com")', 'import "net/http"'))], { ...none, caRoots: true }],
    ["an HTTP client value", [file("main.go", main("c := &http.Client{Timeout: 5}\n_ = c", 'import "net/http"'))], { ...none, caRoots: true }],
    ["a custom transport", [file("main.go", main("_ = &web.Transport{}", 'import web "net/http"'))], { ...none, caRoots: true }],
    ["an HTTP server only", [file("main.go", main('http.HandleFunc("/", h)\nlog.Fatal(http.ListenAndServe(":8080", nil))', 'import (\n\t"log"\n\t"net/http"\n)'))], none],
    ["a Get on something else", [file("main.go", main("_ = cache.Get(key)", 'import "net/http"\nimport "example.com/app/cache"'))], none],
    ["import \"C\"", [file("main.go", `package main\n\n// #include <stdio.h>\nimport "C"\n\nfunc main() {}\n`)], { ...none, cgo: true }],
    ["\"C\" inside an import block", [file("main.go", main("", 'import (\n\t"fmt"\n\t"C"\n)'))], { ...none, cgo: true }],
    ["needs from a non-main package of the module count", [file("main.go", main("")), file("internal/clock/clock.go", 'package clock\n\nimport "time"\n\nvar Berlin, _ = time.LoadLocation("Europe/Berlin")\n')], { ...none, tzdata: true }],
    ["tests, vendor and testdata are skipped", [file("main.go", main("")), file("main_test.go", 'package main\nimport "net/http"\nvar _, _ = http.Get("x")\n'), file("vendor/x/x.go", 'package x\nimport "crypto/tls"\n'), file("testdata/c.go", 'package c\nimport "C"\n')], none],
  ])("%s", (_name, files, expected) => {
    expect(needsOf(...files)).toEqual(expected);
  });

  it("reports embedded tzdata", () => {
    expect(analyzeModule(GO_MOD, [file("main.go", main("", 'import _ "time/tzdata"'))]).embedsTzdata).toBe(true);
  });
});

describe("selectMainPackage", () => {
  const withMains = (...mainPackages: string[]): Analysis => ({ ...analyzeModule(GO_MOD, []), mainPackages });
  it.each([
    ["the only one", ["./cmd/api"], undefined, "./cmd/api"],
    ["the only one, empty request", ["."], "  ", "."],
    ["requested plainly", ["./cmd/api", "./cmd/worker"], "cmd/api", "./cmd/api"],
    ["requested with ./", ["./cmd/api", "./cmd/worker"], "./cmd/worker", "./cmd/worker"],
    ["requested with a trailing slash", ["./cmd/api", "./cmd/worker"], "./cmd/api/", "./cmd/api"],
    ["the root", [".", "./cmd/worker"], ".", "."],
    ["the root as ./", [".", "./cmd/worker"], "./", "."],
    ["the root over helpers under scripts/ (goawk)", [".", "./scripts/csvbench/count", "./scripts/csvbench/write"], undefined, "."],
    ["the root over tools/ and internal/", [".", "./tools/gen", "./internal/dev"], undefined, "."],
  ])("%s", (_name, mains, requested, expected) => {
    expect(selectMainPackage(withMains(...mains), requested).mainPackage).toBe(expected);
  });

  it("says so when it chose the root over helper programs", () => {
    const { note } = selectMainPackage(withMains(".", "./scripts/csvbench/count"), undefined);
    expect(note).toMatch(/module root.*"\.\/scripts\/csvbench\/count".*scripts\//);
    expect(selectMainPackage(withMains("./cmd/api"), undefined).note).toBeNull();
  });

  it.each([
    ["none found", [], "cmd/api", "NO_MAIN_PACKAGE", /no `package main`/i],
    ["several, none requested", ["./cmd/api", "./cmd/worker"], null, "SEVERAL_MAIN_PACKAGES", /"\.\/cmd\/api", "\.\/cmd\/worker".*choose/],
    ["the root and a real second program", [".", "./cmd/worker"], null, "SEVERAL_MAIN_PACKAGES", /choose/],
    ["not a main package", ["./cmd/api", "./cmd/worker"], "internal/db", "UNKNOWN_MAIN_PACKAGE", /"internal\/db".*"\.\/cmd\/api", "\.\/cmd\/worker"/],
    ["the root when it is not one", ["./cmd/api"], ".", "UNKNOWN_MAIN_PACKAGE", /"\.\/cmd\/api"/],
    ["a path escaping the module", ["./cmd/api"], "../cmd/api", "UNKNOWN_MAIN_PACKAGE", /choose one of/],
  ])("%s", (_name, mains, requested, code, message) => {
    const error = (() => {
      try {
        selectMainPackage(withMains(...mains), requested);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(UserError);
    expect(error).toMatchObject({ code, kind: "invalid", field: "mainPackage" });
    expect((error as UserError).message).toMatch(message);
  });
});

describe("moduleDirs", () => {
  it.each([
    ["a single module", ["go.mod", "main.go", "README.md"], ["."]],
    ["the article's monorepo", ["README.md", "loadlocation/go.mod", "hello/go.mod", "hello/main.go", "uuid/go.mod", "uuid/go.sum"], ["hello", "loadlocation", "uuid"]],
    ["nested, with a root module", ["go.mod", "tools/go.mod", "tools/gen/main.go"], [".", "tools"]],
    ["vendor, testdata and hidden dirs are left out", ["vendor/x/go.mod", "a/testdata/m/go.mod", ".github/go.mod", "svc/go.mod"], ["svc"]],
    ["none", ["main.go", "notgo.mod"], []],
  ])("%s", (_name, paths, expected) => {
    expect(moduleDirs(paths)).toEqual(expected);
  });
});
