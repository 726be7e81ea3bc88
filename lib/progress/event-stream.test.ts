import { describe, expect, it } from "vitest";
import { comparisonEventStream, type SnapshotReader } from "@/lib/progress/event-stream";
import { START_CURSOR, type ComparisonSnapshot } from "@/lib/progress/events";
import { silentLogger } from "@/lib/log";

const log = silentLogger();

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  let text = "";
  const decoder = new TextDecoder();
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text;
    text += decoder.decode(value, { stream: true });
  }
}

/** Answers with the given snapshots in turn, then repeats the last; records what it was asked. */
function scripted(snapshots: Array<ComparisonSnapshot | null>) {
  const asked: number[][] = [];
  let i = 0;
  const read: SnapshotReader = async (wantLog) => {
    const s = snapshots[Math.min(i++, snapshots.length - 1)];
    if (!s) return null;
    asked.push(s.variants.map((v) => v.row).filter(wantLog));
    return { ...s, variants: s.variants.map((v) => (wantLog(v.row) ? v : { ...v, buildLog: null })) };
  };
  return { read, asked };
}

const running = (log: string, status: "building" | "built" = "building"): ComparisonSnapshot => ({
  status: "running",
  phase: "building single (1 of 1)",
  variants: [{ row: 1, key: "single", naive: false, status, runVerdict: null, buildLog: log }],
});

describe("comparisonEventStream", () => {
  it("sends the retry delay, phase and log events, and closes after done", async () => {
    const { read, asked } = scripted([
      running("a"),
      running("a\nb", "built"),
      running("a\nb", "built"),
      { status: "succeeded", phase: null, variants: [{ row: 1, key: "single", naive: false, status: "built", runVerdict: "works", buildLog: "a\nb" }] },
    ]);
    const text = await readAll(comparisonEventStream({ read, cursor: START_CURSOR, signal: new AbortController().signal, pollMs: 1, log }));
    expect(text.startsWith("retry: 2000\n\n")).toBe(true);
    expect([...text.matchAll(/^event: (\w+)$/gm)].map((m) => m[1])).toEqual(["phase", "log", "phase", "log", "phase", "done"]);
    expect([...text.matchAll(/^data: (.*)$/gm)].map((m) => JSON.parse(m[1]) as unknown)[3]).toEqual({ variant: "single", from: 1, lines: ["b"] });
    // A finished variant's log is read once more, then no longer.
    expect(asked).toEqual([[1], [1], [], []]);
  });

  it("sends heartbeats while nothing changes and stops when the client goes away", async () => {
    const { read } = scripted([running("a")]);
    const client = new AbortController();
    const stream = comparisonEventStream({ read, cursor: START_CURSOR, signal: client.signal, pollMs: 5, heartbeatMs: 10, log });
    const reader = stream.getReader();
    let text = "";
    while ((text.match(/: heartbeat/g) ?? []).length < 2) text += new TextDecoder().decode((await reader.read()).value);
    client.abort();
    await expect(reader.read()).resolves.toEqual({ done: true, value: undefined });
  });

  it("ends when the comparison disappears", async () => {
    const { read } = scripted([null]);
    expect(await readAll(comparisonEventStream({ read, cursor: START_CURSOR, signal: new AbortController().signal, log }))).toBe("retry: 2000\n\n");
  });
});
