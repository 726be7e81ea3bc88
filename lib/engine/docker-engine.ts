// The one door to Docker Engine: with its parts (docker-build.ts, docker-run.ts,
// docker-transfer.ts, docker-disk.ts, docker-connection.ts), the only code that imports dockerode.
// Connects through DOCKER_HOST or the default socket, as the docker CLI does. This file
// holds the connection and the metadata reads, and assembles the Engine.
import { createHash } from "node:crypto";
import Docker from "dockerode";
import { EngineUnavailableError, type BuilderInfo, type Engine, type EngineIdentity, type EngineVersion, type ImageInfo } from "./engine";
import type { HistoryRow } from "@/lib/measure/layers";
import type { Logger } from "@/lib/log";
import { describeConnection, reconnecting, statusOf, wrapConnection } from "./docker-connection";
import { buildCgroupFacts, dockerBuild, engineBuilder } from "./docker-build";
import { dataRootFreeBytes, diskUsage, pruneBuildCache } from "./docker-disk";
import { runSandboxed, sweepRunChecks } from "./docker-run";
import { pullImage, pushImage } from "./docker-transfer";

/** The engine answering on a unix socket (a second dockerd, a Podman service), for tests and scripts. */
export function dockerEngineAt(socketPath: string): Engine {
  return engineOf(new Docker({ socketPath }), socketPath);
}

/**
 * The engine behind `docker`: the one DOCKER_HOST names (dockerode reads it, with
 * DOCKER_TLS_VERIFY and DOCKER_CERT_PATH, as the docker CLI does: unix sockets, tcp://
 * with TLS, ssh://), else the default socket. `host` is only how messages name it.
 */
export function dockerEngine(host = process.env.DOCKER_HOST ?? "/var/run/docker.sock", log?: Logger): Engine {
  return engineOf(new Docker(), host, log);
}

/** `log`: where the engine's own warnings go (a build without a process limit, once). */
function engineOf(docker: Docker, host: string, log?: Logger): Engine {
  const unavailable = (error: unknown) => new EngineUnavailableError(describeConnection(error, host));
  let builder: Promise<BuilderInfo> | null = null;
  const runCgroupFacts = buildCgroupFacts(docker);
  return {
    async version(): Promise<EngineVersion> {
      try {
        const info = await reconnecting(() => docker.version());
        return { version: info.Version, apiVersion: info.ApiVersion };
      } catch (error) {
        throw unavailable(error);
      }
    },

    async identity(): Promise<EngineIdentity> {
      try {
        const info = (await reconnecting(() => docker.info())) as { ID?: string; Name?: string; DockerRootDir?: string };
        // The ID comes from /etc/docker/key.json, which two engines on one host share, so
        // the data root joins it: two engines never have one identity. (Podman answers
        // without an ID: its name stands in.)
        const id = createHash("sha256")
          .update(`${info.ID || `name:${info.Name ?? "unknown"}`}\n${info.DockerRootDir ?? ""}`)
          .digest("hex")
          .slice(0, 24);
        return { id, name: info.Name ?? "", host };
      } catch (error) {
        throw unavailable(error);
      }
    },

    builder(): Promise<BuilderInfo> {
      builder ??= reconnecting(() => engineBuilder(docker)).catch((error: unknown) => {
        builder = null;
        throw unavailable(error);
      });
      return builder;
    },

    async image(ref: string): Promise<ImageInfo | null> {
      try {
        const image = docker.getImage(ref);
        const info = await reconnecting(() => image.inspect());
        const history = (await image.history()) as unknown[];
        // Size: dockerd counts the layers' files; Podman their tars (2.47 MB vs 1.54 MB for the static stand-in).
        return {
          id: info.Id,
          sizeBytes: info.Size,
          historyLength: history.length,
          labels: info.Config?.Labels ?? {},
          exposedPorts: Object.keys(info.Config?.ExposedPorts ?? {}),
        };
      } catch (error) {
        if (statusOf(error) === 404) return null;
        throw wrapConnection(error, host);
      }
    },

    build: dockerBuild(docker, host, log),

    async history(imageId: string): Promise<HistoryRow[]> {
      const rows = (await docker.getImage(imageId).history()) as Array<{ Id: string; CreatedBy: string; Size: number }>;
      // Podman (4.3) differs from dockerd here: its rows' IDs lack the "sha256:" that its
      // inspect's Id has (added, so the base image's row is found by its ID), and a row's
      // Size is its layer's uncompressed tar, headers and padding included (564786688 for
      // the Go stand-in's toolchain layer, where dockerd counts the files: 548838764): ~3%
      // more for big files, up to 60% for many small ones (zoneinfo), and a RUN that wrote
      // nothing is a small layer there, not 0 B.
      return rows.map((row) => ({ id: /^[0-9a-f]{64}$/.test(row.Id) ? `sha256:${row.Id}` : row.Id, createdBy: row.CreatedBy ?? "", sizeBytes: row.Size ?? 0 }));
    },

    async exportImage(imageId: string): Promise<NodeJS.ReadableStream> {
      try {
        return await docker.getImage(imageId).get();
      } catch (error) {
        throw wrapConnection(error, host);
      }
    },

    push: (imageId, repository, tag, signal) => pushImage(docker, host, imageId, repository, tag, signal),
    pull: (ref, onProgress, signal) => pullImage(docker, host, ref, onProgress, signal),
    run: (input) => runSandboxed(docker, input, runCgroupFacts),
    sweepRunChecks: (owner) => sweepRunChecks(docker, host, owner),
    diskUsage: () => diskUsage(docker, host),
    pruneBuildCache: (keepBytes) => pruneBuildCache(docker, host, keepBytes),
    freeBytes: () => dataRootFreeBytes(docker),

    async removeImage(imageId: string): Promise<void> {
      try {
        await docker.getImage(imageId).remove({ force: true });
      } catch (error) {
        if (statusOf(error) !== 404) throw wrapConnection(error, host);
      }
    },
  };
}
