// The run-check sandbox on Docker: runs an image once, closed off, collects what it
// printed and, for a server, what it answers (the prober, lib/verify/probe); and the
// sweep of run-check containers a crashed worker left behind.
import type Docker from "dockerode";
import { LABEL_APP, type RunInput, type RunOutput } from "./engine";
import { engineMessage, statusOf, wrapConnection } from "./docker-connection";
import { CappedText, probeServer, SANDBOX_LIMITS } from "./docker-probe";
import { isLeftBehind, runCheckLabels } from "./run-sweep";
import { probePlan } from "./probe-output";
import type { EngineCgroupFacts } from "./build-cgroup";
import { openRunMemory, type MemoryPeak } from "./run-memory";

// The run-check sandbox: no network but its own loopback (network mode "none" keeps lo
// and an /etc/hosts where localhost resolves; NetworkDisabled would leave neither, and a
// server listening on localhost:8080 would fail), read-only root, no capabilities, no
// privilege gain, bounded memory, processes, open files and CPU; an init reaps what the
// program leaves; a small /tmp in memory (counted in the memory limit) so programs that
// write there fail, if they fail, for their own reasons. Output is collected as it
// arrives and cut at maxOutputBytes; the container is always removed with its anonymous
// volumes. Labels say it is a run check, whose and until when (run-sweep.ts). With
// `probe`, a server still running shortly after its start is asked for its answers
// (probeServer) and, once it answered, stopped rather than kept to the time limit. With
// `measureMemory`, the program runs in a cgroup of its own whose peak is read after it
// (run-memory.ts).
export async function runSandboxed(docker: Docker, input: RunInput, cgroupFacts?: () => Promise<EngineCgroupFacts>): Promise<RunOutput> {
  if (!input.measureMemory) return runOnce(docker, input, undefined);
  const memory = cgroupFacts
    ? await cgroupFacts().then((facts) => openRunMemory(facts), (error: unknown) => ({ cgroupParent: undefined, finish: async (): Promise<MemoryPeak> => ({ bytes: null, reason: engineMessage(error) }) }))
    : { cgroupParent: undefined, finish: async (): Promise<MemoryPeak> => ({ bytes: null, reason: "this engine does not say how its cgroups are kept" }) };
  let result: RunOutput | undefined;
  try {
    result = await runOnce(docker, input, memory.cgroupParent);
  } finally {
    const peak = await memory.finish();
    if (result) result.memory = result.exitCode === null && !result.timedOut ? { bytes: null, reason: "the program did not start" } : peak;
  }
  return result;
}

async function runOnce(docker: Docker, input: RunInput, cgroupParent: string | undefined): Promise<RunOutput> {
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
        ...(cgroupParent ? { CgroupParent: cgroupParent } : {}),
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
