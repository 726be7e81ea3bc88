import { describe, expect, it } from "vitest";
import { classifyPackage, symbolPackage, type ModuleSet } from "@/lib/binary/packages";

describe("symbolPackage", () => {
  it.each([
    ["main.main", "main"],
    ["main.init.0", "main"],
    ["runtime.mallocgc", "runtime"],
    ["fmt.(*pp).doPrintf", "fmt"],
    ["net/http.(*Client).Do", "net/http"],
    ["net/http.(*Client).Do-fm", "net/http"],
    ["github.com/a/b.Func", "github.com/a/b"],
    ["github.com/a/b.Func.func1", "github.com/a/b"],
    ["github.com/a/b.(*T).M.func2.1", "github.com/a/b"],
    ["example.com/greet.Hello", "example.com/greet"],
    // The linker escapes dots in the last path element.
    ["gopkg.in/yaml%2ev3.Marshal", "gopkg.in/yaml.v3"],
    // Brackets may hold other packages' paths (with slashes and dots).
    ["slices.Sort[go.shape.[]string,go.shape.string]", "slices"],
    ["sort.Slice[go.shape.*net/http.Request]", "sort"],
    ["example.com/x/y.Map[go.shape.int,go.shape.*example.com/z.T].func1", "example.com/x/y"],
    ["internal/abi.(*Type).Kind", "internal/abi"],
    ["vendor/golang.org/x/net/dns/dnsmessage.(*Parser).Start", "vendor/golang.org/x/net/dns/dnsmessage"],
    ["sync/atomic.(*Int64).Add", "sync/atomic"],
    // Compiler-made functions belong to no package.
    ["type:.eq.[2]interface {}", ""],
    ["type:.eq.net/http.Header", ""],
    ["go:buildid", ""],
    ["type..eq.[2]string", ""],
    ["go.buildid", ""],
    ["noperiod", ""],
    ["", ""],
  ])("%s -> %j", (symbol, pkg) => {
    expect(symbolPackage(symbol)).toBe(pkg);
  });
});

describe("classifyPackage", () => {
  const modules: ModuleSet = {
    mainModule: { path: "example.com/app", version: "(devel)" },
    deps: [
      { path: "example.com/greet", version: "v1.2.3" },
      { path: "github.com/a/b", version: "v1.0.0" },
      { path: "github.com/a/b/v2/nested", version: "v0.4.0" },
      { path: "github.com/old/name", version: "v1.1.0", replace: { path: "github.com/fork/name", version: "v1.1.1" } },
      { path: "example.com/local", version: "v0.0.0", replace: { path: "../local", version: "" } },
    ],
  };

  it.each([
    ["main", { group: "main", module: "example.com/app", version: "(devel)" }],
    ["example.com/app", { group: "main", module: "example.com/app", version: "(devel)" }],
    ["example.com/app/internal/x", { group: "main", module: "example.com/app", version: "(devel)" }],
    ["example.com/greet", { group: "dependency", module: "example.com/greet", version: "v1.2.3" }],
    ["github.com/a/b/sub", { group: "dependency", module: "github.com/a/b", version: "v1.0.0" }],
    // The longest module path wins.
    ["github.com/a/b/v2/nested/pkg", { group: "dependency", module: "github.com/a/b/v2/nested", version: "v0.4.0" }],
    // A prefix that is not a path element boundary is not a match.
    ["example.com/greeter", { group: "dependency" }],
    ["example.com/application", { group: "dependency" }],
    // A replaced module reports the version actually built.
    ["github.com/old/name", { group: "dependency", module: "github.com/old/name", version: "v1.1.1" }],
    ["example.com/local/x", { group: "dependency", module: "example.com/local", version: "v0.0.0" }],
    ["runtime", { group: "std" }],
    ["net/http", { group: "std" }],
    ["internal/bytealg", { group: "std" }],
    ["vendor/golang.org/x/crypto/chacha20", { group: "std" }],
    ["", { group: "other" }],
  ] as const)("%s", (pkg, origin) => {
    expect(classifyPackage(pkg, modules)).toEqual(origin);
  });

  it("puts a main module without a dot in its path before the standard library", () => {
    const set: ModuleSet = { mainModule: { path: "myapp", version: "(devel)" }, deps: [] };
    expect(classifyPackage("myapp/internal/db", set)).toEqual({ group: "main", module: "myapp", version: "(devel)" });
    expect(classifyPackage("strings", set)).toEqual({ group: "std" });
  });

  it("without build info still tells main, the standard library and third-party code apart", () => {
    expect(classifyPackage("main", null)).toEqual({ group: "main" });
    expect(classifyPackage("os", null)).toEqual({ group: "std" });
    expect(classifyPackage("github.com/a/b", null)).toEqual({ group: "dependency" });
  });
});
