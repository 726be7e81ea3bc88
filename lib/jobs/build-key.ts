// Pure: what a comparison's results depend on, as one hash. Two comparisons with the same
// key would build the same images and measure the same numbers: the source (its commit,
// or for a bundled example the digest of its files), the folder and main package, the
// variants with the Dockerfiles they build, the base images by ID (a base that moved is a
// new build), the run check's arguments and environment, and the engine that holds the
// images. A later comparison with the same key reuses the earlier results (reuse.ts).
import { createHash } from "node:crypto";

export interface BuildInputs {
  repo: string;
  /** The commit, or a digest of the files when the source has none (an example). */
  sourceVersion: string;
  subdir: string | null;
  mainPackage: string;
  runArgs: string | null;
  runEnv: string | null;
  engineId: string;
  variants: Array<{ key: string; dockerfile: string; baseImageIds: string[] }>;
}

export function buildKey(inputs: BuildInputs): string {
  const variants = [...inputs.variants].sort((a, b) => a.key.localeCompare(b.key)).map((v) => [v.key, v.dockerfile, v.baseImageIds]);
  const text = JSON.stringify([inputs.repo, inputs.sourceVersion, inputs.subdir ?? "", inputs.mainPackage, inputs.runArgs ?? "", inputs.runEnv ?? "", inputs.engineId, variants]);
  return createHash("sha256").update(text).digest("hex");
}
