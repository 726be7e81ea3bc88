// The run-check sandbox on Docker: runs an image once, closed off, collects what it
// printed and, for a server, what it answers (the prober, lib/verify/probe); and the
// sweep of run-check containers a crashed worker left behind.
import type Docker from "dockerode";
import { Writable } from "node:stream";
import { LABEL_APP, type RunInput, type RunOutput } from "./engine";
import { engineMessage, statusOf, wrapConnection } from "./docker-connection";
import { isLeftBehind, runCheckLabels } from "./run-sweep";
import { parseProbeOutput, probePlan, type ProbePlan } from "@/lib/verify/probe-output";

// The run-check sandbox: no network but its own loopback (network mode "none" keeps lo
// and an /etc/hosts where localhost resolves; NetworkDisabled would leave neither, and a
// server listening on localhost:8080 would fail), read-only root, no capabilities, no
// privilege gain, bounded memory, processes, open files and CPU; an init reaps what the
// program leaves; a small /tmp in memory (counted in the memory limit) so programs that
// write there fail, if they fail, for their own reasons. Output is collected as it
// arrives and cut at maxOutputBytes; the container is always removed with its anonymous
// volumes. Labels say it is a run check, whose and until when (run-sweep.ts). With
// `probe`, a server still running shortly after its start is asked for its answers
// (probeServer) and, once it answered, stopped rather than kept to the time limit.
export async function runSandboxed(docker: Docker, input: RunInput): Promise<RunOutput> {
  const output = new CappedText(input.maxOutputBytes ?? 8192);
  const labels = { ...input.labels, ...runCheckLabels(Date.now() / 1000, input.timeoutSeconds, input.owner) };
  let container: Docker.Container;
  try {
    container = await docker.createContainer({
      Image: input.image,
      Cmd: input.args?.length ? input.args : undefined,
      Env: input.env,
      Labels: labels,
      HostConfig: {
        NetworkMode: "none",
        ...SANDBOX_LIMITS,
        Memory: 256 * 1024 * 1024,
        MemorySwap: 256 * 1024 * 1024,
        PidsLimit: 128,
        NanoCpus: 1_000_000_000,
        Init: true,
        // Not noexec: `go test` binaries and some programs run what they write there.
        Tmpfs: { "/tmp": "rw,nosuid,nodev,size=16m" },
        Ulimits: [{ Name: "nofile", Soft: 1024, Hard: 1024 }],
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
    const started = Date.now();
    let exited = false;
    const waited = container.wait().then(() => void (exited = true));
    waited.catch(() => {}); // raced below; never left unhandled while the probe runs
    const timers: NodeJS.Timeout[] = [];
    const after = (ms: number) => new Promise<void>((resolve) => void timers.push(setTimeout(resolve, Math.max(0, ms))));
    const kill = () => void container.kill().catch(() => {});
    input.signal?.addEventListener("abort", kill, { once: true });
    let probed: Pick<RunOutput, "probes" | "probeError"> = {};
    let answered = false;
    try {
      if (input.probe) {
        const plan = probePlan(input.probe.ports ?? [], input.timeoutSeconds);
        await Promise.race([waited, after(plan.afterMs)]);
        if (!exited && !input.signal?.aborted) {
          probed = await probeServer(docker, container.id, input.probe.image, plan, labels, input.signal);
          answered = !exited && (probed.probes ?? []).some((p) => p.status !== undefined);
        }
      }
      if (!answered) await Promise.race([waited, after(input.timeoutSeconds * 1000 - (Date.now() - started))]);
    } finally {
      timers.forEach(clearTimeout);
      input.signal?.removeEventListener("abort", kill);
    }
    input.signal?.throwIfAborted();
    const timedOut = !exited;
    if (timedOut) await container.kill().catch(() => {});
    const state = (await container.inspect()).State;
    // Let the attached stream deliver what the program printed last.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const engineError = state.Error ? `\n${state.Error}` : "";
    return {
      exitCode: timedOut ? null : state.ExitCode,
      timedOut,
      output: `${output.text()}${engineError}`.trim(),
      ...probed,
      ...(answered ? { stoppedAfterSeconds: Math.max(1, Math.round((Date.now() - started) / 1000)) } : {}),
    };
  } finally {
    // v: an image's VOLUME gets an anonymous volume, which would otherwise stay forever.
    await container.remove({ force: true, v: true }).catch(() => {});
  }
}

const SANDBOX_LIMITS = {
  ReadonlyRootfs: true,
  CapDrop: ["ALL"],
  SecurityOpt: ["no-new-privileges"],
  LogConfig: { Type: "json-file", Config: { "max-size": "1m" } },
};

/**
 * Runs the prober in the network namespace of container `targetId` (so the sandbox gets
 * no network of its own), as closed off as the run check and labelled as it is, so the
 * start-up sweep finds it too; always removed. A prober that fails is the run check's
 * problem, not the program's: it is reported in probeError, never thrown.
 */
async function probeServer(
  docker: Docker,
  targetId: string,
  image: string,
  plan: ProbePlan,
  labels: Record<string, string>,
  signal?: AbortSignal,
): Promise<Pick<RunOutput, "probes" | "probeError">> {
  const stdout = new CappedText(64 * 1024);
  const stderr = new CappedText(2048);
  let prober: Docker.Container | undefined;
  const kill = () => void prober?.kill().catch(() => {});
  signal?.addEventListener("abort", kill, { once: true });
  let timer: NodeJS.Timeout | undefined;
  try {
    prober = await docker.createContainer({
      Image: image,
      Cmd: plan.args,
      Labels: labels,
      HostConfig: {
        NetworkMode: `container:${targetId}`,
        ...SANDBOX_LIMITS,
        Memory: 64 * 1024 * 1024,
        MemorySwap: 64 * 1024 * 1024,
        PidsLimit: 32,
        NanoCpus: 500_000_000,
      },
    });
    const stream = await prober.attach({ stream: true, stdout: true, stderr: true });
    const ended = new Promise<void>((resolve) => ["end", "close", "error"].forEach((event) => stream.once(event, () => resolve())));
    docker.modem.demuxStream(stream, stdout.writable(), stderr.writable());
    await prober.start();
    const finished = await Promise.race([
      prober.wait().then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), plan.limitMs))),
    ]);
    if (!finished) await prober.kill().catch(() => {});
    await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, 1000))]);
    const probes = parseProbeOutput(stdout.text());
    if (probes.length === 0 && (!finished || stderr.text())) {
      return { probeError: finished ? stderr.text().trim() : `the prober did not finish within ${plan.limitMs} ms` };
    }
    return { probes };
  } catch (error) {
    return { probeError: engineMessage(error) };
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", kill);
    await prober?.remove({ force: true, v: true }).catch(() => {});
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

/** Removes (with their volumes) the run-check containers left behind; see Engine.sweepRunChecks. */
export async function sweepRunChecks(docker: Docker, host: string, owner?: string): Promise<number> {
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
}
