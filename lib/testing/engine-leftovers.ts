// Vitest global setup of the engine and browser tests: with SLIMSTAGE_TEST_CLEANUP=1 (the
// README's test command sets it) the images the run made are removed at its end — every
// image that was not on the engine at the start, except the base images a worker makes
// on demand and keeps (tagged, labelled org.slimstage.managed=base-image): those are the
// next run's cache, as scripts/base-images.sh's are (with the images of their build steps,
// their parents); and the build cache is pruned to
// 4 GB. Left off when tests run one by one
// beside other work on the same engine, whose images it cannot tell from the run's own.
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

interface Listed {
  id: string;
  ref: string;
}

async function images(): Promise<Listed[]> {
  const { stdout } = await run("docker", ["image", "ls", "-a", "--no-trunc", "--format", "{{.ID}} {{.Repository}}:{{.Tag}}"], { maxBuffer: 16 * 1024 * 1024 });
  return stdout
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const [id, ref] = line.split(" ");
      return { id, ref };
    });
}

async function keptBaseImage(id: string): Promise<boolean> {
  const { stdout } = await run("docker", ["image", "inspect", "--format", '{{index .Config.Labels "org.slimstage.managed"}} {{len .RepoTags}}', id]).catch(() => ({ stdout: "" }));
  const [managed, tags] = stdout.trim().split(" ");
  return managed === "base-image" && Number(tags) > 0;
}

async function parentOf(id: string): Promise<string | null> {
  const { stdout } = await run("docker", ["image", "inspect", "--format", "{{.Parent}}", id]).catch(() => ({ stdout: "" }));
  return stdout.trim() || null;
}

export default async function setup(): Promise<(() => Promise<void>) | void> {
  if (process.env.SLIMSTAGE_TEST_CLEANUP !== "1") return;
  const before = await images().catch(() => null);
  if (before === null) return; // no engine: the tests say why they skip
  const known = new Set(before.map((image) => image.id));
  return async () => {
    const made = (await images()).filter((image) => !known.has(image.id));
    // A kept base image made by the classic builder has the images of its steps as parents: kept with it.
    const kept = new Set<string>();
    for (const image of made) {
      if (!(await keptBaseImage(image.id))) continue;
      for (let id: string | null = image.id; id && !kept.has(id); id = await parentOf(id)) kept.add(id);
    }
    const doomed = new Map<string, string[]>();
    for (const image of made) {
      if (kept.has(image.id)) continue;
      doomed.set(image.id, [...(doomed.get(image.id) ?? []), image.ref]);
    }
    let removed = 0;
    // Tags first (an image tagged twice cannot be removed by ID without force), children before parents.
    for (const [id, refs] of doomed) {
      for (const ref of refs.filter((r) => !r.includes("<none>"))) await run("docker", ["image", "rm", ref]).catch(() => {});
      if (await run("docker", ["image", "rm", "-f", id]).then(() => true, () => false)) removed++;
    }
    for (const id of doomed.keys()) await run("docker", ["image", "rm", "-f", id]).catch(() => {});
    const left = (await images()).filter((image) => doomed.has(image.id)).length;
    // The build cache the run filled, down to what keeps the next run's first builds warm.
    await run("docker", ["builder", "prune", "-f", "--keep-storage", "4gb"]).catch(() => {});
    console.log(`[slimstage] the tests made ${doomed.size} image(s) that are not base images: ${removed} removed${left ? `, ${left} still there` : ""}`);
  };
}
