// The prober's image (lib/verify/probe/main.go on scratch), made without a registry:
// built through the engine from a Go builder image the caller names, tagged with a hash
// of its source so a changed prober gets a new image, and built at most once per engine
// at a time; later calls find it by its tag.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { buildContext, DOCKERFILE_NAME } from "@/lib/engine/build-context";
import { BuildFailedError, LABEL_APP, type Engine } from "@/lib/engine/engine";

export const PROBER_REPOSITORY = "slimstage/prober";
const LABEL_MANAGED = "org.slimstage.managed";
const SOURCE_FILES = ["go.mod", "main.go"] as const;
// An image reference, nothing that could end the FROM line or add another.
const IMAGE_REF = /^[a-z0-9][a-z0-9._\/:@-]{0,254}$/i;

export function proberDockerfile(builderImage: string): string {
  if (!IMAGE_REF.test(builderImage)) throw new Error(`not an image reference: ${JSON.stringify(builderImage)}`);
  return dockerfileFrom(builderImage);
}

const dockerfileFrom = (builderImage: string) =>
  [
    `FROM ${builderImage} AS builder`,
    "ENV CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS=-mod=mod GOCACHE=/tmp/gocache",
    "WORKDIR /src",
    "COPY src/ /src/",
    'RUN ["go", "build", "-trimpath", "-ldflags=-s -w", "-o", "/prober", "."]',
    "FROM scratch",
    "COPY --from=builder /prober /prober",
    // Reading /proc/net/tcp and dialing the loopback need no privileges.
    "USER 65534:65534",
    'ENTRYPOINT ["/prober"]',
    "",
  ].join("\n");

/**
 * slimstage/prober:<hash of the source and the Dockerfile>. Not of the builder image:
 * any Go from 1.21 on builds the same prober, so one image serves every comparison.
 */
export function proberTag(sources: ReadonlyArray<readonly [string, string]>): string {
  const hash = createHash("sha256").update(dockerfileFrom("BUILDER"));
  for (const [name, text] of sources) hash.update(`\0${name}\0${text}`);
  return `${PROBER_REPOSITORY}:${hash.digest("hex").slice(0, 16)}`;
}

// Per engine object: two run checks that need the prober at once share one build.
const building = new WeakMap<object, Map<string, Promise<string>>>();

/**
 * The prober image's tag on this engine, built first when the engine lacks it.
 * Throws BuildFailedError (with the build's last lines) when it cannot be built.
 */
export async function ensureProber(
  engine: Pick<Engine, "image" | "build" | "builder">,
  builderImage: string,
  sourceDir = path.join(process.cwd(), "lib", "verify", "probe"),
): Promise<string> {
  const dockerfile = proberDockerfile(builderImage);
  const sources = await Promise.all(SOURCE_FILES.map(async (name) => [name, await readFile(path.join(sourceDir, name), "utf8")] as const));
  const tag = proberTag(sources);
  if (await engine.image(tag)) return tag;
  const inFlight = building.get(engine) ?? new Map<string, Promise<string>>();
  building.set(engine, inFlight);
  let build = inFlight.get(tag);
  if (!build) {
    build = buildProber(engine, tag, dockerfile, sourceDir).finally(() => inFlight.delete(tag));
    inFlight.set(tag, build);
  }
  return build;
}

async function buildProber(engine: Pick<Engine, "build" | "builder">, tag: string, dockerfile: string, sourceDir: string): Promise<string> {
  const log: string[] = [];
  // BuildKit where the engine has it: the classic builder would leave the builder stage
  // behind as an untagged image of the Go builder's size, which nothing accounts for.
  const builder = (await engine.builder().catch(() => ({ kind: "classic" as const }))).kind;
  try {
    await engine.build({
      context: buildContext({ sourceDir, dockerfile }),
      dockerfile: DOCKERFILE_NAME,
      labels: { [LABEL_APP]: "slimstage", [LABEL_MANAGED]: "base-image" },
      tag,
      builder,
      onLog: (line) => {
        log.push(line);
        if (log.length > 20) log.shift();
      },
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new BuildFailedError(`the prober image ${tag} did not build: ${reason}\n${log.join("\n")}`.trim());
  }
  return tag;
}
