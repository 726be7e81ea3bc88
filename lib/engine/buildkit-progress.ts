// Reads a BuildKit build's progress as the engine streams it: JSON lines whose
// `moby.buildkit.trace` events carry a protobuf StatusResponse (decoded with the schema
// dockerode ships), turned into plain log lines — "[builder 4/4] RUN go build …" when a
// step starts, "CACHED: …", the step's own output, "ERROR: …" — plus the image ID.
// dockerode's own decoder (lib/buildkit.js) passes the output through still base64-encoded,
// hence this one. Other events (a final {error}) are passed on as they are.
import path from "node:path";
import { createRequire } from "node:module";
import protobuf from "protobufjs";

export interface BuildEvent {
  stream?: string;
  status?: string;
  error?: string;
  errorDetail?: { message?: string };
  aux?: { ID?: string };
}

interface Status {
  vertexes?: Array<{ digest?: string; name?: string; cached?: boolean; started?: unknown; completed?: unknown; error?: string }>;
  logs?: Array<{ vertex?: string; msg?: Uint8Array }>;
  warnings?: Array<{ short?: Uint8Array }>;
}

let statusType: protobuf.Type | null = null;
function statusResponse(): protobuf.Type {
  if (!statusType) {
    const proto = createRequire(import.meta.url).resolve("dockerode/lib/proto/buildkit_status.proto");
    statusType = protobuf.loadSync(path.resolve(proto)).lookupType("moby.buildkit.v1.StatusResponse");
  }
  return statusType;
}

/** The plain lines of one decoded status: steps once when they start, cache hits, output, errors. */
export function statusLines(status: Status, started: Set<string>): string[] {
  const lines: string[] = [];
  for (const vertex of status.vertexes ?? []) {
    const key = vertex.digest ?? vertex.name ?? "";
    if (vertex.name && vertex.cached && vertex.completed && !started.has(`cached:${key}`)) {
      started.add(`cached:${key}`);
      lines.push(`CACHED: ${vertex.name}`);
    } else if (vertex.name && vertex.started && !vertex.cached && !started.has(key)) {
      started.add(key);
      lines.push(vertex.name);
    }
    if (vertex.error) lines.push(`ERROR: ${vertex.error}`);
  }
  for (const log of status.logs ?? []) {
    const text = Buffer.from(log.msg ?? new Uint8Array()).toString("utf8");
    for (const line of text.split(/\r?\n/)) if (line.trim()) lines.push(line.trimEnd());
  }
  for (const warning of status.warnings ?? []) lines.push(`WARNING: ${Buffer.from(warning.short ?? new Uint8Array()).toString("utf8")}`);
  return lines;
}

/**
 * Follows the build stream: each BuildKit line becomes `{stream}` events, the image ID an
 * `{aux: {ID}}` event, anything else is passed on; onFinished once, on end or error.
 */
export function followBuildKit(stream: NodeJS.ReadableStream, onFinished: (error: Error | null) => void, onEvent: (event: BuildEvent) => void): void {
  const started = new Set<string>();
  let buffer = "";
  let finished = false;
  const finish = (error: Error | null) => {
    if (finished) return;
    finished = true;
    if (!error && buffer.trim()) handle(buffer);
    onFinished(error);
  };
  const handle = (line: string) => {
    let event: { id?: string; aux?: unknown } & BuildEvent;
    try {
      event = JSON.parse(line) as typeof event;
    } catch {
      return;
    }
    if (event.id === "moby.buildkit.trace" && typeof event.aux === "string") {
      const type = statusResponse();
      const status = type.toObject(type.decode(Buffer.from(event.aux, "base64")), { defaults: false }) as Status;
      for (const text of statusLines(status, started)) onEvent({ stream: `${text}\n` });
    } else if (event.id === "moby.image.id" && event.aux && typeof event.aux === "object") {
      onEvent({ aux: { ID: (event.aux as { ID?: string }).ID } });
    } else {
      onEvent(event);
    }
  };
  stream.on("data", (chunk: Buffer | string) => {
    buffer += chunk.toString();
    const lines = buffer.split("\n");
    buffer = lines.pop() ?? "";
    for (const line of lines) if (line.trim()) handle(line);
  });
  stream.on("error", (error: Error) => finish(error));
  stream.on("end", () => finish(null));
  stream.on("close", () => finish(null));
}
