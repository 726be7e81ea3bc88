// The one door to Docker Engine: the only module that imports dockerode. Connects
// through DOCKER_HOST or the default socket, as the docker CLI does.
import { createHash } from "node:crypto";
import Docker from "dockerode";
import { Writable } from "node:stream";
import {
  BuildFailedError,
  EngineUnavailableError,
  ImageTooLargeError,
  LABEL_APP,
  PushFailedError,
  type BuildInput,
  type Engine,
  type EngineIdentity,
  type EngineVersion,
  type ImageInfo,
  type RunInput,
  type RunOutput,
  PullFailedError,
} from "./engine";
import type { HistoryRow } from "@/lib/measure/layers";
import { hostCgroupVersion, openBuildCgroup, type EngineCgroupFacts } from "./build-cgroup";
import { CommittedImages, removeCommittedImages, type ImageStore } from "./build-leftovers";
import { isLeftBehind, runCheckLabels } from "./run-sweep";
import { classifyPullFailure } from "./pull-errors";
import { pullProgress, type PullEvent } from "./pull-progress";

interface BuildEvent {
  stream?: string;
  status?: string;
  error?: string;
  errorDetail?: { message?: string };
  aux?: { ID?: string };
}

const BUILD_MEMORY_BYTES = 3 * 1024 * 1024 * 1024;
const CANCELED_BUILD_GRACE_MS = 10_000;

/** The engine answering on a unix socket (a second dockerd, a Podman service), for tests and scripts. */
export function dockerEngineAt(socketPath: string): Engine {
  return dockerEngine(new Docker({ socketPath }), socketPath);
}

/**
 * The engine behind `docker`: by default the one DOCKER_HOST names (dockerode reads it,
 * with DOCKER_TLS_VERIFY and DOCKER_CERT_PATH, as the docker CLI does: unix sockets,
 * tcp:// with TLS, ssh://), else the default socket. `host` is only how messages name it.
 */
export function dockerEngine(docker: Docker = new Docker(), host = "/var/run/docker.sock"): Engine {
  const engineAddress = () => host;
  const describeConnectionError = (error: unknown) => describeConnection(error, host);
  const cgroupFacts = buildCgroupFacts(docker);
  return {
    async version(): Promise<EngineVersion> {
      try {
        const info = await reconnecting(() => docker.version());
        return { version: info.Version, apiVersion: info.ApiVersion };
      } catch (error) {
        throw new EngineUnavailableError(describeConnectionError(error));
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
        return { id, name: info.Name ?? "", host: engineAddress() };
      } catch (error) {
        throw new EngineUnavailableError(describeConnectionError(error));
      }
    },

    async image(ref: string): Promise<ImageInfo | null> {
      try {
        const image = docker.getImage(ref);
        const info = await reconnecting(() => image.inspect());
        const history = (await image.history()) as unknown[];
        // Size: dockerd counts the layers' files; Podman their tars (2.47 MB vs 1.54 MB for the static stand-in).
        return { id: info.Id, sizeBytes: info.Size, historyLength: history.length };
      } catch (error) {
        if (statusOf(error) === 404) return null;
        throw wrapConnection(error, host);
      }
    },

    async build(input: BuildInput): Promise<{ imageId: string }> {
      // A process limit needs a cgroup of the build's own (build-cgroup.ts); without one it builds unlimited.
      const cgroup = input.pidsLimit
        ? await openBuildCgroup(await cgroupFacts(), { parent: input.cgroupParent ?? "slimstage-builds", pids: input.pidsLimit })
        : null;
      const committed = new CommittedImages();
      try {
        let stream: NodeJS.ReadableStream;
        try {
          stream = await docker.buildImage(input.context, {
            dockerfile: input.dockerfile,
            labels: input.labels,
            buildargs: input.buildArgs,
            networkmode: input.networkMode,
            rm: true,
            forcerm: true,
            // Untrusted code runs in RUN steps too: bounded memory and two CPUs' worth of time.
            memory: BUILD_MEMORY_BYTES,
            memswap: BUILD_MEMORY_BYTES,
            cpuperiod: 100_000,
            cpuquota: 200_000,
            abortSignal: input.signal,
            ...(cgroup?.cgroupParent ? { cgroupparent: cgroup.cgroupParent } : {}),
          });
        } catch (error) {
          throw wrapConnection(error, host);
        }
        const built = await followBuild(docker, stream, (line) => {
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
    },

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

    async push(imageId: string, repository: string, tag: string, signal?: AbortSignal): Promise<void> {
      let stream: NodeJS.ReadableStream;
      try {
        await docker.getImage(imageId).tag({ repo: repository, tag });
        // No credentials: the engine still wants the header. dockerd pushes to a registry on
        // 127.0.0.0/8 over plain HTTP; Podman insists on TLS unless told (tlsVerify, a Podman
        // parameter dockerd ignores).
        const plainHttp = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?\//.test(repository) ? { tlsVerify: false } : {};
        stream = await docker.getImage(`${repository}:${tag}`).push({ authconfig: {}, abortSignal: signal, ...plainHttp });
      } catch (error) {
        throw wrapConnection(error, host);
      }
      await new Promise<void>((resolve, reject) => {
        let failure: string | null = null;
        docker.modem.followProgress(
          stream,
          (error: Error | null) => {
            if (error) return reject(new PushFailedError(`the engine stopped answering during the push: ${error.message}`));
            if (failure !== null) return reject(new PushFailedError(failure));
            resolve();
          },
          (event: BuildEvent) => {
            if (event.error || event.errorDetail) failure = event.errorDetail?.message ?? event.error ?? "the push failed";
          },
        );
      });
    },

    pull: (ref, onProgress, signal) => pullImage(docker, host, ref, onProgress, signal),

    run: (input) => runSandboxed(docker, input),

    async sweepRunChecks(owner?: string): Promise<number> {
      let listed: Docker.ContainerInfo[];
      try {
        listed = await docker.listContainers({ all: true, filters: { label: [`${LABEL_APP}=slimstage`] } });
      } catch (error) {
        throw wrapConnection(error, host);
      }
      const now = Date.now() / 1000;
      let removed = 0;
      for (const container of listed) {
        if (!isLeftBehind({ labels: container.Labels ?? {}, state: container.State }, now, owner)) continue;
        // Anonymous volumes (an image's VOLUME) go with it.
        const gone = await docker.getContainer(container.Id).remove({ force: true, v: true }).then(() => true, () => false);
        if (gone) removed++;
      }
      return removed;
    },

    async removeImage(imageId: string): Promise<void> {
      try {
        await docker.getImage(imageId).remove({ force: true });
      } catch (error) {
        if (statusOf(error) !== 404) throw wrapConnection(error, host);
      }
    },
  };
}

// A connection kept alive to an engine that has since restarted fails once (EPIPE,
// ECONNRESET); the next request opens a new one. Only idempotent reads are retried.
async function reconnecting<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    const code = typeof error === "object" && error !== null && "code" in error ? (error as { code: unknown }).code : undefined;
    if (code !== "EPIPE" && code !== "ECONNRESET") throw error;
    return read();
  }
}

// The run-check sandbox: no network, read-only root, no capabilities, no privilege
// gain, bounded memory, processes, open files and CPU; an init reaps what the program
// leaves; a small /tmp in memory (counted in the memory limit) so programs that write
// there fail, if they fail, for their own reasons. Output is collected as it arrives and
// cut at maxOutputBytes; the container is always removed with its anonymous volumes.
// Labels say it is a run check, whose and until when (run-sweep.ts).
async function runSandboxed(docker: Docker, input: RunInput): Promise<RunOutput> {
  const output = new CappedText(input.maxOutputBytes ?? 8192);
  let container: Docker.Container;
  try {
    container = await docker.createContainer({
      Image: input.image,
      Cmd: input.args?.length ? input.args : undefined,
      Env: input.env,
      Labels: { ...input.labels, ...runCheckLabels(Date.now() / 1000, input.timeoutSeconds, input.owner) },
      NetworkDisabled: true,
      HostConfig: {
        NetworkMode: "none",
        ReadonlyRootfs: true,
        CapDrop: ["ALL"],
        SecurityOpt: ["no-new-privileges"],
        Memory: 256 * 1024 * 1024,
        MemorySwap: 256 * 1024 * 1024,
        PidsLimit: 128,
        NanoCpus: 1_000_000_000,
        Init: true,
        // Not noexec: `go test` binaries and some programs run what they write there.
        Tmpfs: { "/tmp": "rw,nosuid,nodev,size=16m" },
        Ulimits: [{ Name: "nofile", Soft: 1024, Hard: 1024 }],
        LogConfig: { Type: "json-file", Config: { "max-size": "1m" } },
      },
    });
  } catch (error) {
    throw wrapConnection(error);
  }
  try {
    let stream: NodeJS.ReadableStream;
    try {
      stream = await container.attach({ stream: true, stdout: true, stderr: true });
    } catch (error) {
      // Podman creates the container's process when it attaches (dockerd when it starts),
      // so a container its runtime cannot create (409) fails here: a start that failed.
      if (statusOf(error) === undefined) throw error;
      return { exitCode: null, timedOut: false, output: engineMessage(error).trim() };
    }
    docker.modem.demuxStream(stream, output.writable(), output.writable());
    try {
      await container.start();
    } catch (error) {
      // The engine could not start the program at all (no such file, exec format...).
      return { exitCode: null, timedOut: false, output: `${output.text()}${engineMessage(error)}`.trim() };
    }
    let timer: NodeJS.Timeout | undefined;
    const kill = () => void container.kill().catch(() => {});
    input.signal?.addEventListener("abort", kill, { once: true });
    const timedOut = await Promise.race([
      container.wait().then(() => false),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), input.timeoutSeconds * 1000))),
    ]);
    clearTimeout(timer);
    input.signal?.removeEventListener("abort", kill);
    input.signal?.throwIfAborted();
    if (timedOut) await container.kill().catch(() => {});
    const state = (await container.inspect()).State;
    // Let the attached stream deliver what the program printed last.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const engineError = state.Error ? `\n${state.Error}` : "";
    return { exitCode: timedOut ? null : state.ExitCode, timedOut, output: `${output.text()}${engineError}`.trim() };
  } finally {
    // v: an image's VOLUME gets an anonymous volume, which would otherwise stay forever.
    await container.remove({ force: true, v: true }).catch(() => {});
  }
}

/** Keeps the first maxBytes of everything written to any of its writables. */
class CappedText {
  private chunks: Buffer[] = [];
  private size = 0;
  private cut = false;
  constructor(private readonly maxBytes: number) {}
  writable(): Writable {
    return new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        const room = this.maxBytes - this.size;
        if (room > 0) {
          const kept = chunk.subarray(0, room);
          this.chunks.push(kept);
          this.size += kept.length;
        }
        if (chunk.length > room) this.cut = true;
        done();
      },
    });
  }
  text(): string {
    return Buffer.concat(this.chunks).toString("utf8") + (this.cut ? "\n… (output cut)" : "");
  }
}

function engineMessage(error: unknown): string {
  const json = typeof error === "object" && error !== null && "json" in error ? (error as { json?: { message?: string } }).json : undefined;
  return json?.message ?? (error instanceof Error ? error.message : String(error));
}

// A failed build still answers HTTP 200: the failure is an event in the stream, so
// every event is checked, and the stream's own errors reject too.
function followBuild(docker: Docker, stream: NodeJS.ReadableStream, onLog: (line: string) => void): Promise<{ imageId: string }> {
  return new Promise((resolve, reject) => {
    let imageId: string | null = null;
    let failure: string | null = null;
    docker.modem.followProgress(
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

function statusOf(error: unknown): number | undefined {
  return typeof error === "object" && error !== null && "statusCode" in error
    ? (error as { statusCode?: number }).statusCode
    : undefined;
}

function wrapConnection(error: unknown, where = "its address"): Error {
  if (statusOf(error) !== undefined) return error instanceof Error ? error : new Error(String(error));
  return new EngineUnavailableError(describeConnection(error, where));
}

function describeConnection(error: unknown, where: string): string {
  const code = typeof error === "object" && error !== null && "code" in error ? String((error as { code: unknown }).code) : "";
  if (code === "ENOENT" || code === "ECONNREFUSED") return `no Docker Engine answers at ${where}; start it (scripts/engine.sh) or set DOCKER_HOST`;
  if (code === "EACCES") return `permission denied on ${where}; run as a user in the docker group or set DOCKER_HOST`;
  return `the Docker Engine at ${where} did not answer: ${error instanceof Error ? error.message : String(error)}`;
}

// What build-cgroup.ts needs to know about the engine: asked once, again after a failure.
function buildCgroupFacts(docker: Docker): () => Promise<EngineCgroupFacts> {
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

// A pull answers HTTP 200 and reports a failure mid-way as an event, like a build: every
// event is checked. A failure before the stream starts (an unknown name, no network) is an
// HTTP error carrying the engine's message. Both become a PullFailedError whose message
// says why (pull-errors.ts); a broken connection to the engine itself is the engine's.
// Podman's compat API resolves short names ("golang:1.23") to docker.io as Docker does.
async function pullImage(docker: Docker, host: string, ref: string, onProgress: (line: string) => void, signal?: AbortSignal): Promise<void> {
  const progress = pullProgress();
  const failed = (message: string) => {
    const failure = classifyPullFailure(ref, message, progress.started());
    return new PullFailedError(ref, failure.kind, failure.reason, failure.detail);
  };
  let stream: NodeJS.ReadableStream;
  try {
    // No credentials: the engine uses its own (docker login) for the registry, if any.
    stream = await docker.pull(ref, { abortSignal: signal });
  } catch (error) {
    if (signal?.aborted || statusOf(error) === undefined) throw signal?.aborted ? error : wrapConnection(error, host);
    throw failed(engineMessage(error));
  }
  await new Promise<void>((resolve, reject) => {
    let failure: string | null = null;
    docker.modem.followProgress(
      stream,
      (error: Error | null) => {
        if (signal?.aborted) return reject(signal.reason ?? error);
        if (error) return reject(new EngineUnavailableError(`the engine at ${host} stopped answering during the pull of ${ref}: ${error.message}`));
        if (failure !== null) return reject(failed(failure));
        resolve();
      },
      (event: PullEvent) => {
        if (event.error || event.errorDetail) {
          failure = event.errorDetail?.message ?? event.error ?? "the pull failed";
          return;
        }
        for (const line of progress.lines(event)) onProgress(line);
      },
    );
  });
}
