// Moving images between the engine and registries: pushes (to the size registry, for
// compressed sizes) and pulls (base images), each checked event by event.
import type Docker from "dockerode";
import { EngineUnavailableError, PullFailedError, PushFailedError } from "./engine";
import { engineMessage, statusOf, wrapConnection } from "./docker-connection";
import { classifyPullFailure } from "./pull-errors";
import { pullProgress, type PullEvent } from "./pull-progress";

/** Tags the image repository:tag and pushes it; see Engine.push. */
export async function pushImage(docker: Docker, host: string, imageId: string, repository: string, tag: string, signal?: AbortSignal): Promise<void> {
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
      (event: PullEvent) => {
        if (event.error || event.errorDetail) failure = event.errorDetail?.message ?? event.error ?? "the push failed";
      },
    );
  });
}

// A pull answers HTTP 200 and reports a failure mid-way as an event, like a build: every
// event is checked. A failure before the stream starts (an unknown name, no network) is an
// HTTP error carrying the engine's message. Both become a PullFailedError whose message
// says why (pull-errors.ts); a broken connection to the engine itself is the engine's.
// Podman's compat API resolves short names ("golang:1.23") to docker.io as Docker does.
export async function pullImage(docker: Docker, host: string, ref: string, onProgress: (line: string) => void, signal?: AbortSignal): Promise<void> {
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
