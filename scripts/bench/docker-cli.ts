// The docker CLI, for the benchmark's baselines and its own cleanup. Every command is
// a fixed argument list (execFile, no shell), except the one `docker save | gzip | wc`
// pipeline, whose script is a fixed string that takes a validated image ID as "$1".
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { LABEL_APP, LABEL_COMPARISON } from "@/lib/engine/engine";

const run = promisify(execFile);
const IMAGE_ID = /^sha256:[0-9a-f]{64}$/;
/** What the benchmark's comparison IDs (and so its image labels) start with. */
export const BENCH_PREFIX = "bench-";

function checkedId(imageId: string): string {
  if (!IMAGE_ID.test(imageId)) throw new Error(`not an image ID: ${JSON.stringify(imageId)}`);
  return imageId;
}

/** The environment of a docker command for the engine `dockerHost` names (undefined: the default one). */
const engineEnv = (dockerHost?: string) => (dockerHost ? { env: { ...process.env, DOCKER_HOST: dockerHost } } : {});

/** The baseline of P2 and P7: the whole image through `gzip -1`, bytes out. */
export async function savedGzipBytes(imageId: string, dockerHost?: string): Promise<number> {
  const script = 'set -euo pipefail; docker save "$1" | gzip -1 | wc -c';
  const { stdout } = await run("bash", ["-c", script, "bench-save", checkedId(imageId)], { maxBuffer: 1024 * 1024, ...engineEnv(dockerHost) });
  const bytes = Number(stdout.trim());
  if (!Number.isInteger(bytes) || bytes <= 0) throw new Error(`docker save | gzip -1 | wc -c printed ${JSON.stringify(stdout)}`);
  return bytes;
}

/**
 * Bytes of the files (and symlinks) under a folder of an image, counted as the engine
 * counts layer sizes (directories are not counted), plus `du -sb` for reference.
 */
export async function folderBytes(image: string, folder: "/usr/share/zoneinfo"): Promise<{ files: number; du: number }> {
  if (image.startsWith("-")) throw new Error(`not an image reference: ${image}`);
  const sandbox = ["run", "--rm", "--network", "none", "--read-only"];
  const [find, du] = await Promise.all([
    run("docker", [...sandbox, "--entrypoint", "find", image, folder, "!", "-type", "d", "-printf", "%s\\n"], { maxBuffer: 16 * 1024 * 1024 }),
    run("docker", [...sandbox, "--entrypoint", "du", image, "-sb", folder]),
  ]);
  const files = find.stdout
    .split("\n")
    .filter(Boolean)
    .reduce((sum, line) => sum + Number(line), 0);
  const duBytes = Number(du.stdout.split(/\s/)[0]);
  if (!(files > 0) || !(duBytes > 0)) throw new Error(`could not measure ${folder} in ${image}`);
  return { files, du: duBytes };
}

/** Every image (intermediate ones too) labelled with this comparison ID. */
export async function imagesLabelled(comparisonId: string, dockerHost?: string): Promise<string[]> {
  const filter = `label=${LABEL_COMPARISON}=${comparisonId}`;
  const { stdout } = await run("docker", ["image", "ls", "-a", "-q", "--no-trunc", "--filter", filter], engineEnv(dockerHost));
  return unique(stdout);
}

/** Images left by earlier benchmark runs: labelled by the app with a comparison ID of ours. */
export async function leftoverBenchImages(): Promise<string[]> {
  const { stdout } = await run("docker", ["image", "ls", "-a", "-q", "--no-trunc", "--filter", `label=${LABEL_APP}=slimstage`]);
  const ids = unique(stdout);
  if (ids.length === 0) return [];
  // An image removed meanwhile (the machine is shared) makes inspect fail for that one only.
  const format = `{{.Id}}\t{{index .Config.Labels "${LABEL_COMPARISON}"}}`;
  const inspected = await run("docker", ["image", "inspect", "--format", format, ...ids]).catch(
    (error: { stdout?: string }) => ({ stdout: error.stdout ?? "" }),
  );
  return inspected.stdout
    .split("\n")
    .map((line) => line.split("\t"))
    .filter(([id, comparison]) => IMAGE_ID.test(id ?? "") && (comparison ?? "").startsWith(BENCH_PREFIX))
    .map(([id]) => id);
}

export async function dockerClientVersion(): Promise<string> {
  const { stdout } = await run("docker", ["version", "--format", "{{.Client.Version}}"]).catch(() => ({ stdout: "?" }));
  return stdout.trim();
}

const unique = (text: string): string[] => [...new Set(text.split("\n").map((line) => line.trim()).filter((id) => IMAGE_ID.test(id)))];
