// Pure: what the prober (lib/verify/probe/main.go) printed, one JSON line per port, read
// into ProbeResults; and the arguments it is started with. The prober runs next to an
// untrusted program, so every line is validated and anything malformed is left out.
import { z } from "zod";
import type { ProbeResult } from "./engine";

const Line = z.object({
  port: z.number().int().min(1).max(65535),
  listening: z.boolean().default(false),
  status: z.number().int().min(100).max(999).optional(),
  contentType: z.string().max(200).optional(),
  bytes: z.number().int().min(0).optional(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  error: z.string().optional(),
});

/** The prober's lines, in port order, one result per port (the first line wins). */
export function parseProbeOutput(text: string): ProbeResult[] {
  const byPort = new Map<number, ProbeResult>();
  for (const line of text.split("\n")) {
    if (!line.trim().startsWith("{")) continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      continue;
    }
    const parsed = Line.safeParse(json);
    if (!parsed.success || byPort.has(parsed.data.port)) continue;
    const { port, listening, status, contentType, bytes, sha256, error } = parsed.data;
    const result: ProbeResult = { port, listening };
    if (status !== undefined) Object.assign(result, { status, contentType: contentType ?? "", bodyBytes: bytes ?? 0, sha256 });
    if (error) result.error = error.slice(0, 300);
    byPort.set(port, result);
  }
  return [...byPort.values()].sort((a, b) => a.port - b.port);
}

/** "8080/tcp" and "8080" become 8080; UDP ports and anything else are left out. */
export function tcpPorts(exposed: readonly string[]): number[] {
  const ports = new Set<number>();
  for (const entry of exposed) {
    const match = /^(\d{1,5})(?:\/tcp)?$/i.exec(entry.trim());
    const port = match ? Number(match[1]) : 0;
    if (port >= 1 && port <= 65535) ports.add(port);
  }
  return [...ports].sort((a, b) => a - b);
}

export interface ProbePlan {
  /** When to ask, after the program's start. */
  afterMs: number;
  /** The prober's arguments: how long it waits for the program to listen, each request's limit, the ports. */
  args: string[];
  /** When to stop the prober whatever it is doing. */
  limitMs: number;
}

/**
 * Asking shortly after the start keeps run checks fast (a server that answered is not
 * kept running to the time limit) and leaves a slow starter a few seconds to listen.
 */
export function probePlan(ports: readonly string[], timeoutSeconds: number): ProbePlan {
  const timeoutMs = timeoutSeconds * 1000;
  const afterMs = Math.round(Math.min(2000, timeoutMs / 3));
  const waitMs = Math.round(Math.min(3000, Math.max(500, timeoutMs - afterMs - 2500)));
  return { afterMs, args: [`-wait=${waitMs}ms`, "-timeout=2s", ...tcpPorts(ports).map(String)], limitMs: waitMs + 2000 + 3000 };
}
