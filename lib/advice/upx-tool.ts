// The UPX tool image: the comparison's Go builder image with Debian's upx-ucl installed,
// made once per builder image and engine and found by its tag afterwards. It is the only
// advice build that needs a network (Debian's package archive); it runs none of the
// repository's code, so the candidates that use it build with the comparison's own
// network setting (none, for vendored modules). Never installed on the host.
import { createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { buildContext, DOCKERFILE_NAME } from "@/lib/engine/build-context";
import { BuildFailedError, LABEL_APP, type Engine } from "@/lib/engine/engine";

export const UPX_REPOSITORY = "slimstage/upx";
const LABEL_MANAGED = "org.slimstage.managed";
const IMAGE_REF = /^[a-z0-9][a-z0-9._\/:@-]{0,254}$/i;

export function upxToolDockerfile(builderImage: string): string {
  if (!IMAGE_REF.test(builderImage)) throw new Error(`not an image reference: ${JSON.stringify(builderImage)}`);
  return [
    `FROM ${builderImage}`,
    "RUN apt-get update -o Acquire::Retries=2 && apt-get install -y --no-install-recommends upx-ucl && rm -rf /var/lib/apt/lists/* && upx --version | head -1",
    "",
  ].join("\n");
}

/** slimstage/upx:<hash of the builder image's ID and the recipe>. */
export function upxToolTag(builderImageId: string, builderImage: string): string {
  const hash = createHash("sha256").update(builderImageId).update("\0").update(upxToolDockerfile(builderImage)).digest("hex").slice(0, 16);
  return `${UPX_REPOSITORY}:${hash}`;
}

const building = new WeakMap<object, Map<string, Promise<string>>>();

/**
 * The tool image's tag, built first when the engine lacks it; throws BuildFailedError
 * saying why (no archive reachable, most often) with the build's last lines.
 */
export async function ensureUpxTool(engine: Pick<Engine, "image" | "build">, builderImage: string, networkMode?: string, signal?: AbortSignal): Promise<string> {
  const builder = await engine.image(builderImage);
  if (!builder) throw new BuildFailedError(`the Go builder image ${builderImage} is not on the engine`);
  const tag = upxToolTag(builder.id, builderImage);
  if (await engine.image(tag)) return tag;
  const inFlight = building.get(engine) ?? new Map<string, Promise<string>>();
  building.set(engine, inFlight);
  let build = inFlight.get(tag);
  if (!build) {
    build = buildTool(engine, tag, builderImage, networkMode, signal).finally(() => inFlight.delete(tag));
    inFlight.set(tag, build);
  }
  return build;
}

async function buildTool(engine: Pick<Engine, "build">, tag: string, builderImage: string, networkMode: string | undefined, signal?: AbortSignal): Promise<string> {
  const log: string[] = [];
  const empty = await mkdtemp(path.join(os.tmpdir(), "slimstage-upx-"));
  try {
    await engine.build({
      context: buildContext({ sourceDir: empty, dockerfile: upxToolDockerfile(builderImage) }),
      dockerfile: DOCKERFILE_NAME,
      labels: { [LABEL_APP]: "slimstage", [LABEL_MANAGED]: "base-image" },
      tag,
      builder: "classic",
      networkMode,
      signal,
      onLog: (line) => {
        log.push(line);
        if (log.length > 12) log.shift();
      },
    });
    return tag;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new BuildFailedError(`upx-ucl could not be installed from Debian's archive (${reason.split("\n")[0]})`);
  } finally {
    await rm(empty, { recursive: true, force: true });
  }
}
