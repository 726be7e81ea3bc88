// The binary analysis on real Go binaries: the committed fixtures (made by
// fixtures/make.sh with Go 1.23 in the builder image, stripped with -s -w).
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { analyzeGoBinary, isElf, MAX_PACKAGES, OTHER_PACKAGE, STD_MODULE } from "@/lib/binary/analyze-binary";
import { parseBuildInfo } from "@/lib/binary/buildinfo";
import { findSection, parseElf, sectionBytes } from "@/lib/binary/elf";
import { parsePclntab } from "@/lib/binary/pclntab";

const fixtures = path.join(process.cwd(), "lib", "binary", "fixtures");
const hello = readFileSync(path.join(fixtures, "hello.stripped"));
const greetapp = readFileSync(path.join(fixtures, "greetapp.stripped"));

function section(bytes: Buffer, name: string): Buffer {
  const elf = parseElf(bytes);
  const s = elf && findSection(elf, name);
  const data = s && sectionBytes(bytes, s);
  if (!data) throw new Error(`no ${name}`);
  return data;
}

describe("elf", () => {
  it("recognises an ELF file by its first bytes, and nothing else", () => {
    expect(isElf(hello.subarray(0, 4))).toBe(true);
    expect(isElf(readFileSync(path.join(fixtures, "make.sh")))).toBe(false);
    expect(isElf(Buffer.alloc(0))).toBe(false);
  });

  it("lists the sections of a stripped Go binary", () => {
    const names = parseElf(hello)?.sections.map((s) => s.name) ?? [];
    for (const name of [".text", ".rodata", ".gopclntab", ".go.buildinfo", ".noptrdata", ".data", ".bss"]) {
      expect(names).toContain(name);
    }
    expect(names).not.toContain(".symtab"); // -s
    expect(names.some((n) => n.includes("debug"))).toBe(false); // -w
  });

  it("answers null for a file that is not ELF, or one cut short before its section headers", () => {
    expect(parseElf(readFileSync(path.join(fixtures, "make.sh")))).toBeNull();
    expect(parseElf(hello.subarray(0, 4096))).toBeNull();
  });
});

describe("build info", () => {
  it("reads the toolchain, the main module and the dependency", () => {
    const info = parseBuildInfo(section(greetapp, ".go.buildinfo"));
    expect(info?.goVersion).toMatch(/^go1\.23(\.|$)/);
    expect(info?.mainPackagePath).toBe("example.com/slimstage/greetapp");
    expect(info?.mainModule).toEqual({ path: "example.com/slimstage/greetapp", version: "(devel)" });
    expect(info?.deps).toEqual([{ path: "example.com/greet", version: "v1.2.3" }]);
    // With -trimpath, Go leaves -ldflags out of the build info (go.dev/issue/52372).
    expect(info?.settings).toMatchObject({ "-buildmode": "exe", "-trimpath": "true", CGO_ENABLED: "0", GOOS: "linux" });
  });

  it("answers null for bytes that are not a build info section", () => {
    expect(parseBuildInfo(section(hello, ".rodata"))).toBeNull();
  });
});

describe("pclntab", () => {
  const tab = parsePclntab(section(hello, ".gopclntab"));

  it("reads every function with a name, in address order, code within its slot", () => {
    expect(tab?.format).toBe("1.20");
    expect(tab?.ptrSize).toBe(8);
    const functions = tab?.functions ?? [];
    expect(functions.length).toBeGreaterThan(1000);
    expect(functions.map((f) => f.name)).toEqual(expect.arrayContaining(["main.main", "runtime.main", "fmt.Fprintln"]));
    for (const [i, fn] of functions.entries()) {
      expect(fn.name).not.toBe("");
      expect(fn.codeSize).toBeGreaterThan(0);
      expect(fn.codeSize).toBeLessThanOrEqual(fn.size);
      if (i > 0) expect(fn.entryOffset).toBe(functions[i - 1].entryOffset + functions[i - 1].size);
    }
  });

  it("answers null for bytes that are not a pclntab", () => {
    expect(parsePclntab(section(hello, ".rodata"))).toBeNull();
  });
});

describe("analyzeGoBinary", () => {
  const report = analyzeGoBinary(greetapp);
  const pkg = (p: string) => report?.packages.find((x) => x.path === p);

  it("reports the file, its sections largest first, and the build info", () => {
    expect(report?.fileBytes).toBe(greetapp.length);
    const names = report?.sections.map((s) => s.name) ?? [];
    for (const name of [".text", ".rodata", ".gopclntab", ".go.buildinfo"]) expect(names).toContain(name);
    const sizes = report?.sections.map((s) => s.bytes) ?? [];
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    expect(report?.goVersion).toMatch(/^go1\.23/);
    expect(report?.mainModule).toEqual({ path: "example.com/slimstage/greetapp", version: "(devel)" });
  });

  it("lists every module the build information names, even one with no code of its own", () => {
    const info = parseBuildInfo(section(greetapp, ".go.buildinfo"));
    expect(info?.deps.length).toBeGreaterThan(0);
    for (const dep of info?.deps ?? []) {
      expect(report?.modules.find((m) => m.path === dep.path)).toMatchObject({ version: dep.version, group: "dependency" });
    }
  });

  it("puts each package in its group and module", () => {
    expect(pkg("main")).toMatchObject({ group: "main", module: "example.com/slimstage/greetapp", version: "(devel)" });
    expect(pkg("example.com/greet")).toMatchObject({ group: "dependency", module: "example.com/greet", version: "v1.2.3" });
    expect(pkg("runtime")).toMatchObject({ group: "std" });
    expect(pkg("fmt")).toMatchObject({ group: "std" });
    expect(pkg(OTHER_PACKAGE)).toMatchObject({ group: "other" });
    for (const p of report?.packages ?? []) expect(p.bytes).toBeGreaterThan(0);
  });

  it("sums modules from packages, the standard library as one", () => {
    const modules = report?.modules ?? [];
    expect(modules.map((m) => m.path).sort()).toEqual(
      [STD_MODULE, OTHER_PACKAGE, "example.com/greet", "example.com/slimstage/greetapp"].sort(),
    );
    expect(modules.find((m) => m.path === STD_MODULE)).toMatchObject({ group: "std", version: report?.goVersion });
    expect(modules.find((m) => m.path === "example.com/greet")).toMatchObject({ version: "v1.2.3", bytes: pkg("example.com/greet")?.bytes });
    expect(modules.reduce((s, m) => s + m.bytes, 0)).toBe(report?.attributedBytes);
    expect(modules.reduce((s, m) => s + m.packages, 0)).toBe((report?.packages.length ?? 0) + (report?.omittedPackages.count ?? 0));
  });

  it("attributes the functions' bytes, close to the size of .text", () => {
    const text = report?.sections.find((s) => s.name === ".text")?.bytes ?? 0;
    expect(text).toBeGreaterThan(0);
    expect(report?.textBytes).toBe(text);
    expect(report?.packages.reduce((s, p) => s + p.bytes, 0)).toBe(report?.attributedBytes);
    expect(report?.attributedBytes).toBeLessThanOrEqual(text);
    expect(report?.attributedBytes).toBeGreaterThan(text * 0.9);
  });

  it("lists the largest functions, largest first, and stays small", () => {
    const symbols = report?.largestSymbols ?? [];
    expect(symbols).toHaveLength(30);
    expect(symbols.map((s) => s.bytes)).toEqual(symbols.map((s) => s.bytes).sort((a, b) => b - a));
    expect(symbols[0].bytes).toBeGreaterThan(1000);
    expect(report?.packages.map((p) => p.bytes)).toEqual(report?.packages.map((p) => p.bytes).sort((a, b) => b - a));
    expect(report?.packages.length).toBeLessThanOrEqual(MAX_PACKAGES);
    expect(JSON.stringify(report).length).toBeLessThan(32_000);
  });

  it("finds no dependency in hello", () => {
    const r = analyzeGoBinary(hello);
    expect(r?.mainModule?.path).toBe("example.com/slimstage/hello");
    expect(r?.packages.find((p) => p.path === "main")?.group).toBe("main");
    expect(r?.modules.filter((m) => m.group === "dependency")).toEqual([]);
  });

  it("answers null for a file that is not a Go ELF binary", () => {
    expect(analyzeGoBinary(readFileSync(path.join(fixtures, "make.sh")))).toBeNull();
    // Node itself: an ELF file, not built by Go.
    const node = readFileSync(process.execPath);
    expect(isElf(node)).toBe(true);
    expect(analyzeGoBinary(node)).toBeNull();
  });
});
