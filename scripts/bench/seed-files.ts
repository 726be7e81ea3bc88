// What the bench seed stores for the few comparisons whose analysis and compare pages are
// measured: each variant's analysis as a worker stores it (every file of its layers, a
// real Go binary's packages, committed as a fixture) and each layer's file list under its
// digest (BlobFiles), base layers shared by both comparisons of the pair as on an engine.
import { readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { summarizeAnalysis } from "@/lib/comparisons/analysis-schema";
import { analyzeImage } from "@/lib/measure/image-analysis";
import type { LayerEntry, LayerFiles } from "@/lib/measure/layer-files";

export const VARIANT_KEYS = ["single", "scratch", "scratch-naive", "distroless"] as const;
export type Key = (typeof VARIANT_KEYS)[number];

let binaryBytes: Buffer | null = null;
const greetapp = () => (binaryBytes ??= readFileSync(path.join(process.cwd(), "lib", "binary", "fixtures", "greetapp.stripped")));

const file = (p: string, size: number, mode = 0o644): LayerEntry => ({ path: p, size, type: "file", mode });
const files = (folder: string, count: number, size: number) => Array.from({ length: count }, (_, i) => file(`${folder}/f${i}.go`, size + i));
const zoneinfo = () => Array.from({ length: 600 }, (_, i) => file(`usr/share/zoneinfo/Area${i % 12}/City${i}`, 2_200));
const appFile = (grow: number) => file("app", greetapp().length + grow, 0o755);

const analyses = new Map<Key, { analysis: string; analysisSummary: string }>();

/** A variant's analysis and its summary, as the worker stores them. */
export function analysisColumns(key: Key): { analysis: string; analysisSummary: string } {
  const known = analyses.get(key);
  if (known) return known;
  const app = { files: { entries: [appFile(0)], truncated: false }, captured: [{ path: "app", bytes: greetapp() }], fromBase: false };
  const layers =
    key === "single"
      ? [
          { files: { entries: [...files("usr/lib/go-1.23/src/net/http", 400, 9_000), ...files("usr/lib/go-1.23/pkg/tool", 60, 4_000_000), ...files("var/lib/dpkg/info", 300, 2_000)], truncated: false }, captured: null, fromBase: true },
          { files: { entries: [...files("root/.cache/go-build/ab", 800, 30_000), ...files("src", 40, 3_000)], truncated: false }, captured: null, fromBase: false },
          app,
        ]
      : [{ files: { entries: key === "scratch-naive" ? [] : zoneinfo(), truncated: false }, captured: null, fromBase: key === "distroless" }, app];
  const analysis = analyzeImage(layers);
  const columns = { analysis: JSON.stringify(analysis), analysisSummary: JSON.stringify(summarizeAnalysis(analysis)) };
  analyses.set(key, columns);
  return columns;
}

/**
 * The file list of layer `index` of variant `key` (as seed.ts's layers are), in comparison
 * `side` of the compared pair: the base layers, the time zones and go.mod are the same
 * layer on both sides (one digest); the sources and the binary changed.
 */
export function layerListing(key: Key, index: number, side: number): { digest: string; files: LayerFiles } {
  const shared = (name: string, entries: LayerEntry[]) => ({ digest: digestOf(name), files: { entries, truncated: false } });
  const changed = (name: string, entries: LayerEntry[]) => ({ digest: digestOf(`${name} ${side}`), files: { entries, truncated: false } });
  const app = () => changed(`${key} app`, [appFile(side * 4_096)]);
  switch (key) {
    case "single":
      return [
        () => shared("debootstrap", [...files("usr/bin", 200, 40_000), ...files("var/lib/dpkg/info", 300, 2_000)]),
        () => shared("golang", [...files("usr/lib/go-1.23/src/net/http", 400, 9_000), ...files("usr/lib/go-1.23/pkg/tool", 60, 4_000_000)]),
        () => shared("go.mod", [file("src/go.mod", 120)]),
        () => changed("src", files("src", 40 + side * 3, 3_000 + side * 50)),
        () => changed("go build", [...files("root/.cache/go-build/ab", 800, 30_000 + side), appFile(side * 4_096)]),
      ][index]();
    case "scratch":
      return index === 0 ? shared("zoneinfo", zoneinfo()) : app();
    case "scratch-naive":
      return app();
    case "distroless":
      return index === 0 ? shared("static", [...zoneinfo(), file("etc/ssl/certs/ca-certificates.crt", 220_000)]) : app();
  }
}

/** A BlobFiles row's column, as lib/db/blob-stores.ts writes it. */
export const storedFiles = (listing: LayerFiles): Uint8Array<ArrayBuffer> => new Uint8Array(gzipSync(JSON.stringify(listing)));

function digestOf(name: string): string {
  let hash = 0x811c9dc5;
  for (const char of name) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
  return `sha256:${hash.toString(16).padStart(8, "0").repeat(8)}`;
}
