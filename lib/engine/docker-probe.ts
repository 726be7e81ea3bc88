// The prober beside a run check (docker-run.ts): a small container joined to the
// run's network namespace asks the server for its answers, so the sandbox itself gets no
// network. Also what both share: the sandbox's closing-off and the capped output.
import type Docker from "dockerode";
import { Writable } from "node:stream";
import type { RunOutput } from "./engine";
import { engineMessage } from "./docker-connection";
import { parseProbeOutput, type ProbePlan } from "./probe-output";

/** What closes off a run check and its prober alike. */
export const SANDBOX_LIMITS = {
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
export async function probeServer(
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
export class CappedText {
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

