// What the rest of the app may ask of a container engine. The only implementation
// talks to Docker Engine (or a Docker-compatible API) in docker-engine.ts; tests of
// the pipeline's logic may pass their own.
import type { Readable } from "node:stream";
import type { HistoryRow } from "@/lib/measure/layers";
import type { PullFailureKind } from "./pull-errors";

export interface EngineVersion {
  version: string;
  apiVersion: string;
}

/** Which engine this is: its own ID (stable across restarts) and where it is reached. */
export interface EngineIdentity {
  id: string;
  name: string;
  host: string;
}

export interface ImageInfo {
  id: string;
  sizeBytes: number;
  historyLength: number;
  labels?: Record<string, string>;
  /** "8080/tcp", as the image's EXPOSE lines declare them. */
  exposedPorts?: string[];
}

/** One image as `docker system df` lists it. */
export interface DiskImage {
  id: string;
  sizeBytes: number;
  /** Bytes of its layers other images use too. */
  sharedBytes: number;
  containers: number;
  labels: Record<string, string>;
  tags: string[];
  createdAt: Date;
}

/** What an engine holds on disk, as `docker system df` counts it. */
export interface DiskUsage {
  /** Every image layer once. */
  imagesBytes: number;
  buildCacheBytes: number;
  images: DiskImage[];
}

/** The builder an engine offers, and why: BuildKit where it has one, else the classic builder. */
export interface BuilderInfo {
  kind: "buildkit" | "classic";
  why: string;
  /** The builder takes a RUN --mount target only as an absolute path (Podman's Buildah); BuildKit resolves it against WORKDIR. */
  absoluteMountTargets?: boolean;
}

export interface BuildInput {
  /** A tar stream holding the Dockerfile and everything it copies. */
  context: Readable;
  /** The Dockerfile's path inside the context. */
  dockerfile: string;
  labels: Record<string, string>;
  /** Tags the built image (stand-in base images); variants stay untagged. */
  tag?: string;
  /** Which builder runs it (Engine.builder() says which one the engine has); classic by default. */
  builder?: BuilderInfo["kind"];
  buildArgs?: Record<string, string>;
  /** "host" lets a build reach a module proxy on the host's loopback. */
  networkMode?: string;
  /** Processes all of the build's steps may run at once (a cgroup of its own; see build-cgroup.ts). */
  pidsLimit?: number;
  /** Where the per-build cgroups go, under /sys/fs/cgroup (default "slimstage-builds"). */
  cgroupParent?: string;
  /** Bytes the built image, and the layers the build wrote in any stage, may hold; over it: ImageTooLargeError. */
  maxImageBytes?: number;
  onLog: (line: string) => void;
  signal?: AbortSignal;
}

export interface RunInput {
  image: string;
  /** Arguments after the image's entrypoint. */
  args?: string[];
  /** "NAME=value" entries. */
  env?: string[];
  timeoutSeconds: number;
  labels: Record<string, string>;
  /** Bytes of output kept (stdout and stderr interleaved). */
  maxOutputBytes?: number;
  /** Aborting kills the container. */
  signal?: AbortSignal;
  /** The worker running the check, labelled so its own start-up sweep knows it (see run-sweep.ts). */
  owner?: string;
  /**
   * Ask a server for its answers: a prober container (`image`, lib/verify/prober-image.ts)
   * joined to the run's network namespace GETs / on `ports` ("8080/tcp", the image's
   * EXPOSEd ones) and on every port the program listens on, shortly after it starts.
   */
  probe?: { image: string; ports?: string[] };
  /** Read the program's peak memory (RunOutput.memory): its container runs in a cgroup of its own (run-memory.ts). */
  measureMemory?: boolean;
}

/** What a server answered to GET / on one TCP port, inside its own network namespace. */
export interface ProbeResult {
  port: number;
  /** Something listened on the port when it was asked (an EXPOSEd port may have nothing). */
  listening: boolean;
  /** Absent when no HTTP answer came: then `error` says why. */
  status?: number;
  contentType?: string;
  bodyBytes?: number;
  sha256?: string;
  error?: string;
}

export interface RunOutput {
  /** Null when the program was still running at the time limit or never started. */
  exitCode: number | null;
  timedOut: boolean;
  output: string;
  /** The answers of a probed server (RunInput.probe); absent when it was not probed (exited first). */
  probes?: ProbeResult[];
  /** Set when the run was stopped before its time limit, its answers in (timedOut is then true). */
  stoppedAfterSeconds?: number;
  /** Why the probe itself failed (not the program's fault); probes is then absent. */
  probeError?: string;
  /** With RunInput.measureMemory: the container's peak memory in bytes (page cache it touched included), or why it was not measured. */
  memory?: { bytes: number; reason: null } | { bytes: null; reason: string };
}

export interface Engine {
  /** Throws EngineUnavailableError with the reason when no engine answers. */
  version(): Promise<EngineVersion>;
  /** The engine's own ID and name (docker info); throws EngineUnavailableError. */
  identity(): Promise<EngineIdentity>;
  /** BuildKit or the classic builder, asked once. */
  builder(): Promise<BuilderInfo>;
  /** The image's ID, size and history length, or null when the engine does not have it. */
  image(ref: string): Promise<ImageInfo | null>;
  /** Resolves with the new image's ID; throws BuildFailedError when any step fails. */
  build(input: BuildInput): Promise<{ imageId: string }>;
  /** History rows, newest first, as the engine lists them. */
  history(imageId: string): Promise<HistoryRow[]>;
  removeImage(imageId: string): Promise<void>;
  /** The image as `docker save` writes it: a tar stream, read as it arrives. */
  exportImage(imageId: string): Promise<NodeJS.ReadableStream>;
  /**
   * Tags the image repository:tag (the tag stays, as a handle on the image) and pushes it;
   * throws PushFailedError with the engine's reason.
   */
  push(imageId: string, repository: string, tag: string, signal?: AbortSignal): Promise<void>;
  /**
   * Pulls `ref` from its registry (or the engine's registry mirror), passing the engine's
   * progress as log lines; throws PullFailedError saying why in words a user acts on.
   */
  pull(ref: string, onProgress: (line: string) => void, signal?: AbortSignal): Promise<void>;
  /** Runs the image once in a sandbox and removes the container and its volumes, whatever happens. */
  run(input: RunInput): Promise<RunOutput>;
  /**
   * At a worker's start: removes (with their volumes) the run-check containers a crash left
   * behind: all of them, or with `owner` only that worker's and those past their time.
   * Resolves with how many it removed.
   */
  sweepRunChecks(owner?: string): Promise<number>;
  /** Images and build cache on disk, as `docker system df` counts them. */
  diskUsage(): Promise<DiskUsage>;
  /** Prunes the build cache down to `keepBytes`; resolves with the bytes freed (0 where the engine cannot). */
  pruneBuildCache(keepBytes: number): Promise<number>;
  /** Free bytes under the engine's data root, or null when this process cannot see that file system. */
  freeBytes(): Promise<number | null>;
}

export class EngineUnavailableError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "EngineUnavailableError";
  }
}

export class BuildFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BuildFailedError";
  }
}

/** The build finished but wrote more than BuildInput.maxImageBytes; its images are removed. */
export class ImageTooLargeError extends BuildFailedError {
  constructor(
    readonly imageBytes: number,
    readonly writtenBytes: number,
    readonly limitBytes: number,
  ) {
    const mb = (bytes: number) => `${Math.round(bytes / 1e6).toLocaleString("en")} MB`;
    const what = imageBytes > limitBytes ? `the image is ${mb(imageBytes)}` : `its steps wrote ${mb(writtenBytes)}`;
    super(`The build was stopped at the size limit: ${what}, over this server's limit of ${mb(limitBytes)}.`);
    this.name = "ImageTooLargeError";
  }
}

export class PushFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PushFailedError";
  }
}

/** A pull failed: `kind` for code, `message` (the reason) for the user (lib/engine/pull-errors.ts). */
export class PullFailedError extends Error {
  constructor(
    readonly ref: string,
    readonly kind: PullFailureKind,
    reason: string,
    /** The engine's own words. */
    readonly detail = "",
  ) {
    super(reason);
    this.name = "PullFailedError";
  }
}

/** Every image and container the app creates carries these labels, for cleanup. */
export const LABEL_APP = "org.slimstage.app";
export const LABEL_COMPARISON = "org.slimstage.comparison";
export const LABEL_VARIANT = "org.slimstage.variant";
/** Run-check containers also carry their role, worker and deadline (run-sweep.ts). */
export const LABEL_ROLE = "org.slimstage.role";
export const LABEL_OWNER = "org.slimstage.owner";
export const LABEL_EXPIRES = "org.slimstage.expires";
export const ROLE_RUN_CHECK = "run-check";
