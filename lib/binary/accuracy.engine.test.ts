// How right are the per-package sizes read from a STRIPPED binary? Each program is built
// twice in the builder image, stripped (-s -w, what the slim images ship) and not; the
// unstripped one still has its symbol table, so `go tool nm -size` gives every text
// symbol's size, the ground truth. Per package, and in total, the two must agree within 5%.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { analyzeGoBinary, OTHER_PACKAGE, type BinaryReport } from "@/lib/binary/analyze-binary";
import { symbolPackage } from "@/lib/binary/packages";
import { parseNm, runInBuilder } from "@/lib/testing/go-binaries";

const root = process.cwd();
const programs = [
  { name: "hello", dir: path.join(root, "examples", "hello"), deps: [] as string[] },
  { name: "loadlocation", dir: path.join(root, "examples", "loadlocation"), deps: [] },
  { name: "greetapp", dir: path.join(root, "lib", "binary", "fixtures", "greetapp"), deps: ["example.com/greet v1.2.3"] },
];

const BUILD = `
go build -trimpath -ldflags="-s -w" -o /out/stripped .
go build -trimpath -o /out/full .
go tool nm -size -sort address /out/full > /out/nm.txt
go version -m /out/stripped
`;

const THRESHOLD = 10 * 1024;
const TOLERANCE = 0.05;

const tmpDirs: string[] = [];
afterAll(async () => {
  await Promise.all(tmpDirs.map((d) => rm(d, { recursive: true, force: true })));
});

function within(actual: number, expected: number): boolean {
  return Math.abs(actual - expected) <= TOLERANCE * expected;
}

describe.each(programs)("$name: sizes from the stripped binary against go tool nm", ({ name, dir, deps }) => {
  let report: BinaryReport | null = null;
  let nmSizes = new Map<string, number>();
  let nmBySymbol = new Map<string, number>();
  let versionM = "";

  it("builds stripped and unstripped in the builder image", async () => {
    const out = await mkdtemp(path.join(os.tmpdir(), `slimstage-binary-${name}-`));
    tmpDirs.push(out);
    versionM = await runInBuilder(dir, out, BUILD);
    report = analyzeGoBinary(await readFile(path.join(out, "stripped")));
    const text = parseNm(await readFile(path.join(out, "nm.txt"), "utf8")).filter((s) => s.type === "T" || s.type === "t");
    expect(text.length).toBeGreaterThan(1000);
    nmSizes = new Map();
    nmBySymbol = new Map(text.map((s) => [s.name, s.size]));
    for (const s of text) {
      const pkg = symbolPackage(s.name) || OTHER_PACKAGE;
      nmSizes.set(pkg, (nmSizes.get(pkg) ?? 0) + s.size);
    }
    expect(report).not.toBeNull();
  });

  it("agrees with go version -m on the build info", () => {
    expect(versionM).toContain(`\tpath\t${report?.mainPackagePath}\n`);
    expect(versionM).toContain(`\tmod\t${report?.mainModule?.path}\t${report?.mainModule?.version}`);
    expect(versionM.split("\n")[0]).toMatch(new RegExp(`: ${report?.goVersion}$`));
    const depLines = versionM.split("\n").filter((l) => l.startsWith("\tdep\t")).map((l) => l.split("\t").slice(2, 4).join(" "));
    expect(depLines).toEqual(deps);
    const reported = report?.modules.filter((m) => m.group === "dependency").map((m) => `${m.path} ${m.version}`);
    expect(reported).toEqual(deps);
  });

  it("has every package above 10 KB within 5% of nm, and the total too", () => {
    const big = [...nmSizes].filter(([, bytes]) => bytes > THRESHOLD);
    expect(big.map(([pkg]) => pkg)).toEqual(expect.arrayContaining(["runtime", "fmt"]));
    for (const [pkg, expected] of big) {
      const ours = report?.packages.find((p) => p.path === pkg)?.bytes ?? 0;
      expect(within(ours, expected), `${pkg}: ${ours} vs nm ${expected}`).toBe(true);
    }
    // And nothing large that nm does not know.
    for (const p of report?.packages ?? []) {
      if (p.bytes > THRESHOLD) expect(nmSizes.has(p.path), p.path).toBe(true);
    }
    const nmTotal = [...nmSizes.values()].reduce((a, b) => a + b, 0);
    expect(within(report?.attributedBytes ?? 0, nmTotal), `${report?.attributedBytes} vs nm ${nmTotal}`).toBe(true);
  });

  it("sizes the largest functions as nm does", () => {
    const symbols = report?.largestSymbols ?? [];
    expect(symbols.length).toBe(30);
    for (const s of symbols) expect(nmBySymbol.get(s.name), s.name).toBe(s.bytes);
  });
});
