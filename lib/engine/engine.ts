// What the rest of the app may ask of a container engine. The only implementation
// talks to Docker Engine (or a Docker-compatible API) in docker-engine.ts; tests of
// the pipeline's logic may pass their own.
import type { Readable } from "node:stream";
import type { HistoryRow } from "@/lib/measure/layers";

export interface EngineVersion {
  version: string;
  apiVersion: string;
}

export interface ImageInfo {
  id: string;
  sizeBytes: number;
  historyLength: number;
}

export interface BuildInput {
  /** A tar stream holding the Dockerfile and everything it copies. */
  context: Readable;
  /** The Dockerfile's path inside the context. */
  dockerfile: string;
  labels: Record<string, string>;
  buildArgs?: Record<string, string>;
  /** "host" lets a build reach a module proxy on the host's loopback. */
  networkMode?: string;
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
}

export interface RunOutput {
  /** Null when the program was still running at the time limit or never started. */
  exitCode: number | null;
  timedOut: boolean;
  output: string;
}

export interface Engine {
  /** Throws EngineUnavailableError with the reason when no engine answers. */
  version(): Promise<EngineVersion>;
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
  /** Runs the image once in a sandbox and removes the container, whatever happens. */
  run(input: RunInput): Promise<RunOutput>;
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

export class PushFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PushFailedError";
  }
}

/** Every image and container the app creates carries these labels, for cleanup. */
export const LABEL_APP = "org.slimstage.app";
export const LABEL_COMPARISON = "org.slimstage.comparison";
export const LABEL_VARIANT = "org.slimstage.variant";
