// Test helper: compile Go programs inside the builder image (the Go toolchain exists only
// there) and read what `go tool nm` says about them, for the binary analysis' engine
// test. Uses the docker CLI through execFile (tests may; the app talks to the engine only
// through lib/engine). Every container is started with --rm.
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

export const BUILDER_IMAGE = "slimstage/golang:1.23-local";

/** The environment every fixture build uses: no network, no toolchain download, no cgo. */
export const BUILD_ENV = ["GOTOOLCHAIN=local", "CGO_ENABLED=0", "GOFLAGS=-mod=vendor", "GOCACHE=/tmp/gocache"];

/**
 * Runs a shell script in the builder image with srcDir mounted read-only at /src (the
 * working directory) and outDir writable at /out. Resolves with stdout; rejects with the
 * command's stderr when it fails.
 */
export async function runInBuilder(srcDir: string, outDir: string, script: string): Promise<string> {
  const env = BUILD_ENV.flatMap((e) => ["-e", e]);
  const args = ["run", "--rm", "--network", "none", ...env, "-v", `${srcDir}:/src:ro`, "-v", `${outDir}:/out`, "-w", "/src"];
  const { stdout } = await run("docker", [...args, BUILDER_IMAGE, "sh", "-ec", script], { maxBuffer: 64 << 20 });
  return stdout;
}

export interface NmSymbol {
  address: number;
  size: number;
  /** nm's letter: T/t text, D/d data, B/b bss, R/r read-only data, U undefined. */
  type: string;
  name: string;
}

/**
 * Parses `go tool nm -size` output: "address size type name" per line, where the name
 * may itself contain spaces ("type:.eq.[2]interface {}").
 */
export function parseNm(output: string): NmSymbol[] {
  const symbols: NmSymbol[] = [];
  for (const line of output.split("\n")) {
    const m = /^\s*([0-9a-f]+)\s+(\d+)\s+(\S)\s(.*)$/.exec(line);
    if (m) symbols.push({ address: parseInt(m[1], 16), size: Number(m[2]), type: m[3], name: m[4] });
  }
  return symbols;
}
