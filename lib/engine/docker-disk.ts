// What the engine holds on disk, as `docker system df` counts it (the images' layers
// once each, and the build cache), the free space under its data root when this process
// can see it, and the build-cache prune that keeps a given number of bytes.
import { statfs } from "node:fs/promises";
import type Docker from "dockerode";
import type { DiskImage, DiskUsage } from "./engine";
import { reconnecting, statusOf, wrapConnection } from "./docker-connection";

interface DfAnswer {
  LayersSize?: number;
  Images?: Array<{ Id: string; Size?: number; SharedSize?: number; Containers?: number; Labels?: Record<string, string> | null; RepoTags?: string[] | null; Created?: number }>;
  BuildCache?: Array<{ Size?: number; Shared?: boolean; InUse?: boolean }> | null;
}

export async function diskUsage(docker: Docker, host: string): Promise<DiskUsage> {
  let answer: DfAnswer;
  try {
    answer = (await reconnecting(() => docker.df())) as DfAnswer;
  } catch (error) {
    throw wrapConnection(error, host);
  }
  const images: DiskImage[] = (answer.Images ?? []).map((image) => ({
    id: image.Id,
    sizeBytes: image.Size ?? 0,
    // -1: the engine did not compute it (Podman); then nothing is known to be shared.
    sharedBytes: Math.max(0, image.SharedSize ?? 0),
    containers: Math.max(0, image.Containers ?? 0),
    labels: image.Labels ?? {},
    tags: (image.RepoTags ?? []).filter((tag) => tag !== "<none>:<none>"),
    createdAt: new Date((image.Created ?? 0) * 1000),
  }));
  // As the docker CLI sums them: a cache record shared with an image is counted there.
  const buildCacheBytes = (answer.BuildCache ?? []).filter((record) => !record.Shared).reduce((sum, record) => sum + (record.Size ?? 0), 0);
  const imagesBytes = answer.LayersSize ?? images.reduce((sum, image) => sum + image.sizeBytes - image.sharedBytes, 0);
  return { imagesBytes, buildCacheBytes, images };
}

/** Prunes the build cache down to `keepBytes` (BuildKit's keep-storage); resolves with the bytes it freed, 0 where the engine has no such endpoint. */
export async function pruneBuildCache(docker: Docker, host: string, keepBytes: number): Promise<number> {
  try {
    const answer = await new Promise<{ SpaceReclaimed?: number }>((resolve, reject) => {
      // dockerode's pruneBuilder sends no parameters; keep-storage is the point here.
      docker.modem.dial(
        {
          path: "/build/prune?",
          method: "POST",
          options: { "keep-storage": Math.max(0, Math.floor(keepBytes)) },
          statusCodes: { 200: true, 404: "no build cache endpoint", 500: "server error" },
        },
        (error: unknown, data: unknown) => (error ? reject(error) : resolve((data ?? {}) as { SpaceReclaimed?: number })),
      );
    });
    return answer.SpaceReclaimed ?? 0;
  } catch (error) {
    if (statusOf(error) === 404 || statusOf(error) === 501) return 0;
    throw wrapConnection(error, host);
  }
}

/** Free bytes of the file system under the engine's data root, or null when this process cannot see it (a remote engine, a container). */
export async function dataRootFreeBytes(docker: Docker): Promise<number | null> {
  try {
    const info = (await reconnecting(() => docker.info())) as { DockerRootDir?: string };
    if (!info.DockerRootDir) return null;
    const stats = await statfs(info.DockerRootDir);
    return stats.bavail * stats.bsize;
  } catch {
    return null;
  }
}
