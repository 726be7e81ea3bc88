// Builds on Docker: with the engine's BuildKit (build API version 2, a session opened
// by dockerode, progress decoded by buildkit-progress.ts) or, on engines without
// it, the classic builder. Both answer HTTP 200 for a failed build and report the
// failure as an event, so every event is checked. Also: which builder an engine has,
// the per-build process limit (build-cgroup.ts) and the size limit.
import type Docker from "dockerode";
import { BuildFailedError, ImageTooLargeError, type BuildInput, type BuilderInfo } from "./engine";
import { hostCgroupVersion, openBuildCgroup, type EngineCgroupFacts } from "./build-cgroup";
import type { Logger } from "@/lib/log";
import { CommittedImages, removeCommittedImages, type ImageStore } from "./build-leftovers";
import { engineMessage, statusOf, wrapConnection } from "./docker-connection";
import { followBuildKit, type BuildEvent } from "./buildkit-progress";

const BUILD_MEMORY_BYTES = 3 * 1024 * 1024 * 1024;
const CANCELED_BUILD_GRACE_MS = 10_000;

/** Which builder the engine offers: BuildKit from Docker Engine 18.09 (API 1.39) on; Podman's API has none. */
export async function engineBuilder(docker: Docker): Promise<BuilderInfo> {
  const version = (await docker.version()) as { ApiVersion?: string; Version?: string; Components?: Array<{ Name?: string }> };
  const podman = (version.Components ?? []).some((c) => /podman/i.test(c.Name ?? ""));
  if (podman) {
    const why = `Podman ${version.Version ?? ""} speaks the Docker API without BuildKit; its builder (Buildah) takes the classic build endpoint`.replace("  ", " ");
    return { kind: "classic", why, absoluteMountTargets: true };
  }
  const [major, minor] = (version.ApiVersion ?? "0.0").split(".").map(Number);
  if (major > 1 || (major === 1 && minor >= 39)) return { kind: "buildkit", why: `Docker Engine ${version.Version} (API ${version.ApiVersion}) has BuildKit` };
  return { kind: "classic", why: `Docker Engine ${version.Version} (API ${version.ApiVersion}) predates BuildKit (API 1.39)` };
}

export function dockerBuild(docker: Docker, host: string, log?: Logger) {
  const cgroupFacts = buildCgroupFacts(docker);
  return async (input: BuildInput): Promise<{ imageId: string }> => {
    // A process limit needs a cgroup of the build's own (build-cgroup.ts); without one it builds unlimited.
    const cgroup = input.pidsLimit
      ? await openBuildCgroup(await cgroupFacts(), { parent: input.cgroupParent ?? "slimstage-builds", pids: input.pidsLimit, warn: log && ((line) => log.warn(line)) })
      : null;
    const committed = new CommittedImages();
    const buildkitOn = input.builder === "buildkit";
    try {
      let stream: NodeJS.ReadableStream;
      try {
        stream = await docker.buildImage(input.context, {
          dockerfile: input.dockerfile,
          ...(input.tag ? { t: input.tag } : {}),
          labels: input.labels,
          // Always sent: Podman answers a build without it with HTTP 400 "unexpected -".
          buildargs: input.buildArgs ?? {},
          networkmode: input.networkMode,
          rm: true,
          forcerm: true,
          // Untrusted code runs in RUN steps too: bounded memory and two CPUs' worth of time.
          memory: BUILD_MEMORY_BYTES,
          memswap: BUILD_MEMORY_BYTES,
          cpuperiod: 100_000,
          cpuquota: 200_000,
          abortSignal: input.signal,
          ...(buildkitOn ? { version: "2" as const } : {}),
          ...(cgroup?.cgroupParent ? { cgroupparent: cgroup.cgroupParent } : {}),
        } as Docker.ImageBuildOptions);
      } catch (error) {
        if (statusOf(error) !== undefined) throw new BuildFailedError(engineMessage(error));
        throw wrapConnection(error, host);
      }
      const built = await followBuild(docker, stream, buildkitOn, (line) => {
        committed.read(line);
        input.onLog(line);
      });
      if (input.maxImageBytes !== undefined) await checkSize(docker, built.imageId, committed.list(), input.maxImageBytes);
      return built;
    } catch (error) {
      // A failed, canceled or too large build's own images are found by nothing: remove them.
      await removeCommittedImages(committed.list(), imageStore(docker), 10).catch(() => {});
      throw error;
    } finally {
      // Canceled: the engine may yet start the step it was on; keep the limit in place a while.
      if (input.signal?.aborted) void cgroup?.release(CANCELED_BUILD_GRACE_MS);
      else await cgroup?.release();
    }
  };
}

// A failed build still answers HTTP 200: the failure is an event in the stream, so
// every event is checked, and the stream's own errors reject too. BuildKit's trace
// events arrive decoded as plain lines (buildkit-progress.ts), its image ID as aux.ID.
function followBuild(docker: Docker, stream: NodeJS.ReadableStream, buildkitOn: boolean, onLog: (line: string) => void): Promise<{ imageId: string }> {
  const follow = buildkitOn ? followBuildKit : docker.modem.followProgress.bind(docker.modem);
  return new Promise((resolve, reject) => {
    let imageId: string | null = null;
    let failure: string | null = null;
    follow(
      stream,
      (error: Error | null) => {
        if (error) return reject(new BuildFailedError(`the engine stopped answering during the build: ${error.message}`));
        if (failure !== null) return reject(new BuildFailedError(failure));
        if (!imageId) return reject(new BuildFailedError("the engine finished the build without reporting an image"));
        resolve({ imageId });
      },
      (event: BuildEvent) => {
        if (event.error || event.errorDetail) {
          failure = event.errorDetail?.message ?? event.error ?? "the build failed";
          onLog(failure);
          return;
        }
        if (event.aux?.ID) imageId = event.aux.ID;
        const text = event.stream ?? event.status;
        if (!text) return;
        const built = text.match(/^Successfully built ([0-9a-f]{12,64})/);
        if (built && !imageId) imageId = built[1];
        for (const line of text.split("\n")) if (line.trim()) onLog(line.trimEnd());
      },
    );
  });
}

// What build-cgroup.ts (and run-memory.ts) need to know about the engine: asked once, again after a failure.
export function buildCgroupFacts(docker: Docker): () => Promise<EngineCgroupFacts> {
  let facts: Promise<EngineCgroupFacts> | null = null;
  return () => {
    facts ??= docker.info().then(
      (info: { CgroupDriver?: string; CgroupVersion?: string }) => ({
        // A unix socket is an engine on this host; tcp:// and ssh:// are not.
        remote: !(docker.modem as { socketPath?: unknown }).socketPath,
        hostVersion: hostCgroupVersion(),
        engineDriver: info.CgroupDriver,
        engineVersion: info.CgroupVersion,
      }),
      (error: unknown) => {
        facts = null;
        throw wrapConnection(error);
      },
    );
    return facts;
  };
}

function imageStore(docker: Docker): ImageStore {
  return {
    tags: (id) =>
      docker
        .getImage(id)
        .inspect()
        .then(
          (info) => (info.RepoTags ?? []).filter((tag) => tag !== "<none>:<none>"),
          (error: unknown) => {
            if (statusOf(error) === 404) return null;
            throw error;
          },
        ),
    removeOne: async (id) => {
      try {
        await docker.getImage(id).remove({ noprune: true });
      } catch (error) {
        throw new Error(engineMessage(error));
      }
    },
  };
}

// The limit on what a build may write: the image itself, and what the build's own steps
// wrote in every stage (a builder stage can write far more than the final image keeps).
// Both are known only once the build is done, so this bounds what stays, not what a step
// writes and deletes again before it ends.
async function checkSize(docker: Docker, imageId: string, committed: string[], limitBytes: number): Promise<void> {
  const size = async (id: string) => (await docker.getImage(id).inspect()) as { Size: number; Parent?: string };
  const image = await size(imageId);
  let writtenBytes = 0;
  for (const id of committed) {
    const own = await size(id);
    const parent = own.Parent ? await size(own.Parent).catch(() => null) : null;
    writtenBytes += Math.max(0, own.Size - (parent?.Size ?? 0));
  }
  if (image.Size > limitBytes || writtenBytes > limitBytes) throw new ImageTooLargeError(image.Size, writtenBytes, limitBytes);
}
