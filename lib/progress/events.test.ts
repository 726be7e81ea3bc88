import { describe, expect, it } from "vitest";
import { LogBuffer } from "@/lib/jobs/build-log";
import {
  diffSnapshot,
  encodeEvent,
  formatCursor,
  parseBuildLog,
  parseCursor,
  progressOf,
  START_CURSOR,
  type ComparisonSnapshot,
  type EventCursor,
  type ProgressEvent,
  type VariantSnapshot,
} from "@/lib/progress/events";
import type { ComparisonStatus, RunVerdict, VariantStatus } from "@/lib/comparisons/types";

const variant = (
  row: number,
  key: string,
  status: VariantStatus,
  buildLog: string | null,
  runVerdict: RunVerdict | null = null,
): VariantSnapshot => ({ row, key, naive: key.endsWith("-naive"), status, runVerdict, buildLog });

const snapshot = (status: ComparisonStatus, phase: string | null, variants: VariantSnapshot[] = []): ComparisonSnapshot => ({
  status,
  phase,
  variants,
});

// A short, readable form of an event: "phase building", "log single 2 [c]", "log single 0 [] reset", "done succeeded".
function describeEvent(event: ProgressEvent): string {
  switch (event.type) {
    case "phase":
      return `phase ${event.data.status}${event.data.phase ? `: ${event.data.phase}` : ""}`;
    case "log":
      return `log ${event.data.variant} ${event.data.from} [${event.data.lines.join(",")}]${event.data.reset ? " reset" : ""}`;
    case "done":
      return `done ${event.data.status}`;
  }
}

/** The cursor a client holds after it received everything of `s`. */
const after = (s: ComparisonSnapshot, from: EventCursor = START_CURSOR) => diffSnapshot(from, s).cursor;

const building = snapshot("running", "building single (1 of 2)", [variant(1, "single", "building", "a\nb"), variant(2, "scratch", "queued", "")]);

describe("diffSnapshot", () => {
  const cases: Array<{ name: string; cursor: EventCursor; snapshot: ComparisonSnapshot; events: string[]; logs: EventCursor["logs"] }> = [
    {
      name: "a new client of a queued comparison gets its phase",
      cursor: START_CURSOR,
      snapshot: snapshot("queued", null),
      events: ["phase queued"],
      logs: {},
    },
    {
      name: "a new client gets the phase, then every stored line",
      cursor: START_CURSOR,
      snapshot: building,
      events: ["phase running: building single (1 of 2)", "log single 0 [a,b]"],
      logs: { single: { row: 1, lines: 2 }, scratch: { row: 2, lines: 0 } },
    },
    {
      name: "a client that is up to date gets nothing",
      cursor: after(building),
      snapshot: building,
      events: [],
      logs: { single: { row: 1, lines: 2 }, scratch: { row: 2, lines: 0 } },
    },
    {
      name: "new lines only",
      cursor: after(building),
      snapshot: snapshot("running", "building single (1 of 2)", [variant(1, "single", "building", "a\nb\nc\nd"), variant(2, "scratch", "queued", "")]),
      events: ["log single 2 [c,d]"],
      logs: { single: { row: 1, lines: 4 }, scratch: { row: 2, lines: 0 } },
    },
    {
      name: "a new phase without new lines",
      cursor: after(building),
      snapshot: snapshot("running", "building scratch (2 of 2)", [variant(1, "single", "built", "a\nb"), variant(2, "scratch", "building", "")]),
      events: ["phase running: building scratch (2 of 2)"],
      logs: { single: { row: 1, lines: 2 }, scratch: { row: 2, lines: 0 } },
    },
    {
      name: "a log not read this time is left as it is",
      cursor: after(building),
      snapshot: snapshot("running", "building single (1 of 2)", [variant(1, "single", "building", null), variant(2, "scratch", "queued", null)]),
      events: [],
      logs: { single: { row: 1, lines: 2 }, scratch: { row: 2, lines: 0 } },
    },
    {
      name: "the buffer dropped lines the client had: numbering stays absolute",
      cursor: { phase: "x", logs: { single: { row: 1, lines: 4 } } },
      snapshot: snapshot("running", null, [variant(1, "single", "building", "… 3 earlier lines not kept\nd\ne\nf")]),
      events: ["phase running", "log single 4 [e,f]"],
      logs: { single: { row: 1, lines: 6 } },
    },
    {
      name: "the buffer dropped lines the client never got: the event starts after the gap",
      cursor: { phase: "x", logs: { single: { row: 1, lines: 1 } } },
      snapshot: snapshot("running", null, [variant(1, "single", "building", "… 3 earlier lines not kept\nd\ne\nf")]),
      events: ["phase running", "log single 3 [d,e,f]"],
      logs: { single: { row: 1, lines: 6 } },
    },
    {
      name: "a new client of a log that dropped lines starts at the first kept line",
      cursor: START_CURSOR,
      snapshot: snapshot("running", null, [variant(1, "single", "building", "… 2000 earlier lines not kept\nx")]),
      events: ["phase running", "log single 2000 [x]"],
      logs: { single: { row: 1, lines: 2001 } },
    },
    {
      name: "a variant rebuilt as a new row after a restart starts over",
      cursor: { phase: "x", logs: { single: { row: 1, lines: 5 } } },
      snapshot: snapshot("running", null, [variant(7, "single", "building", "again")]),
      events: ["phase running", "log single 0 [again] reset"],
      logs: { single: { row: 7, lines: 1 } },
    },
    {
      name: "a new row with no log yet clears the old one",
      cursor: { phase: "x", logs: { single: { row: 1, lines: 5 } } },
      snapshot: snapshot("running", null, [variant(7, "single", "queued", "")]),
      events: ["phase running", "log single 0 [] reset"],
      logs: { single: { row: 7, lines: 0 } },
    },
    {
      name: "a log shorter than what was sent (never expected) is sent again",
      cursor: { phase: "x", logs: { single: { row: 1, lines: 9 } } },
      snapshot: snapshot("running", null, [variant(1, "single", "building", "a")]),
      events: ["phase running", "log single 0 [a] reset"],
      logs: { single: { row: 1, lines: 1 } },
    },
    {
      name: "variants that no longer exist are cleared",
      cursor: { phase: "x", logs: { single: { row: 1, lines: 5 } } },
      snapshot: snapshot("running", "analysing the module"),
      events: ["phase running: analysing the module", "log single 0 [] reset"],
      logs: {},
    },
    {
      name: "a finished comparison: phase, the rest of the log, then done",
      cursor: after(building),
      snapshot: snapshot("succeeded", null, [variant(1, "single", "built", "a\nb\nc", "works"), variant(2, "scratch", "skipped", "", "skipped")]),
      events: ["phase succeeded", "log single 2 [c]", "done succeeded"],
      logs: { single: { row: 1, lines: 3 }, scratch: { row: 2, lines: 0 } },
    },
    {
      name: "a client that saw everything of a finished comparison gets only done",
      cursor: after(snapshot("failed", null, [variant(1, "single", "failed", "a", "skipped")])),
      snapshot: snapshot("failed", null, [variant(1, "single", "failed", "a", "skipped")]),
      events: ["done failed"],
      logs: { single: { row: 1, lines: 1 } },
    },
  ];

  it.each(cases)("$name", ({ cursor, snapshot: s, events, logs }) => {
    const diff = diffSnapshot(cursor, s);
    expect(diff.events.map(describeEvent)).toEqual(events);
    expect(diff.cursor.logs).toEqual(logs);
  });

  it("gives each event the cursor after it, so a reconnect resumes exactly there", () => {
    const { events, cursor } = diffSnapshot(START_CURSOR, building);
    expect(parseCursor(events[0].id).logs).toEqual({});
    expect(parseCursor(events[1].id)).toEqual({ phase: cursor.phase, logs: { single: { row: 1, lines: 2 } } });
    expect(events.at(-1)?.id).toBe(formatCursor({ ...cursor, logs: { single: cursor.logs.single } }));
  });

  it("never repeats or loses a line, wherever the stream drops", () => {
    // A build whose log outgrows a small buffer, seen by a poller every few lines.
    const buffer = new LogBuffer(5);
    const snapshots: ComparisonSnapshot[] = [snapshot("queued", null)];
    for (let n = 0; n < 23; n++) {
      buffer.push(`line ${n}`);
      if (n % 3 === 0) snapshots.push(snapshot("running", `building (${n})`, [variant(1, "single", "building", buffer.toString())]));
    }
    snapshots.push(snapshot("succeeded", null, [variant(1, "single", "built", buffer.toString(), "works")]));

    let cursor = START_CURSOR;
    const stream: ProgressEvent[] = [];
    const seenAt: number[] = []; // the snapshot each event came from
    for (const [i, s] of snapshots.entries()) {
      const diff = diffSnapshot(cursor, s);
      stream.push(...diff.events);
      seenAt.push(...diff.events.map(() => i));
      cursor = diff.cursor;
    }
    const linesOf = (events: ProgressEvent[]) =>
      events.flatMap((e) => (e.type === "log" ? e.data.lines.map((line, i) => ({ n: e.data.from + i, line })) : []));
    const unbroken = linesOf(stream);
    expect(unbroken.map((l) => l.n)).toEqual([...new Set(unbroken.map((l) => l.n))]);

    // Drop after any event, reconnect with its id at any later snapshot.
    for (let k = 0; k < stream.length; k++) {
      for (const later of snapshots.slice(seenAt[k])) {
        const resumed = diffSnapshot(parseCursor(stream[k].id), later).events;
        const received = [...linesOf(stream.slice(0, k + 1)), ...linesOf(resumed)];
        const numbers = received.map((l) => l.n);
        expect(numbers).toEqual([...new Set(numbers)].sort((a, b) => a - b));
        for (const { n, line } of received) expect(line).toBe(`line ${n}`);
        // Every line still kept at reconnect time arrives.
        const kept = parseBuildLog(later.variants[0]?.buildLog ?? "");
        for (let n = kept.first; n < kept.first + kept.lines.length; n++) expect(numbers).toContain(n);
        expect(resumed.filter((e) => e.type === "phase").length).toBeLessThanOrEqual(1);
      }
    }
  });
});

describe("parseBuildLog", () => {
  it.each([
    ["an empty log", "", { first: 0, lines: [] }],
    ["a log with every line", "a\nb", { first: 0, lines: ["a", "b"] }],
    ["a log that dropped lines", "… 12 earlier lines not kept\nm\nn", { first: 12, lines: ["m", "n"] }],
    ["a line that only looks similar", "… some earlier lines not kept\nx", { first: 0, lines: ["… some earlier lines not kept", "x"] }],
  ])("reads %s", (_name, text, want) => {
    expect(parseBuildLog(text)).toEqual(want);
  });

  it("reads what LogBuffer writes, numbering from the build's first line", () => {
    const buffer = new LogBuffer(3);
    for (let n = 0; n < 10; n++) buffer.push(`line ${n}`);
    expect(parseBuildLog(buffer.toString())).toEqual({ first: 7, lines: ["line 7", "line 8", "line 9"] });
  });
});

describe("cursor text", () => {
  it.each<[string, EventCursor]>([
    ["the start", START_CURSOR],
    ["a phase only", { phase: "1x2y3z", logs: {} }],
    ["several variants", { phase: "abc", logs: { single: { row: 3, lines: 120 }, "scratch-naive": { row: 4, lines: 0 } } }],
  ])("round-trips %s", (_name, cursor) => {
    expect(parseCursor(formatCursor(cursor))).toEqual(cursor);
    expect(formatCursor(cursor)).not.toMatch(/[\r\n]/);
  });

  it.each([
    ["nothing", null],
    ["an empty id", ""],
    ["no separator", "abc"],
    ["a bad phase", "ABC!.single@1:2"],
    ["a bad entry", "abc.single@1"],
    ["a bad key", "abc.Single Thing@1:2"],
    ["a repeated key", "abc.single@1:2,single@1:3"],
    ["an oversized id", `abc.${"single@1:2,".repeat(300)}`],
  ])("starts over on %s", (_name, text) => {
    expect(parseCursor(text)).toEqual(START_CURSOR);
  });
});

describe("progressOf", () => {
  it.each<[string, Array<{ status: VariantStatus; runVerdict: RunVerdict | null }>, { done: number; total: number }]>([
    ["before the analysis", [], { done: 0, total: 1 }],
    ["variants planned", [{ status: "queued", runVerdict: null }, { status: "queued", runVerdict: null }], { done: 1, total: 5 }],
    ["one building", [{ status: "building", runVerdict: null }, { status: "queued", runVerdict: null }], { done: 1, total: 5 }],
    ["one built", [{ status: "built", runVerdict: null }, { status: "building", runVerdict: null }], { done: 2, total: 5 }],
    ["a skipped one counts its run check too", [{ status: "built", runVerdict: null }, { status: "skipped", runVerdict: "skipped" }], { done: 4, total: 5 }],
    ["all checked", [{ status: "built", runVerdict: "works" }, { status: "failed", runVerdict: "skipped" }], { done: 5, total: 5 }],
  ])("%s", (_name, variants, want) => {
    expect(progressOf(variants)).toEqual(want);
  });
});

describe("encodeEvent", () => {
  it("writes id, event and one data line", () => {
    const text = encodeEvent({ type: "log", id: "a.single@1:2", data: { variant: "single", from: 0, lines: ["x\ny", "z"] } });
    expect(text).toBe('id: a.single@1:2\nevent: log\ndata: {"variant":"single","from":0,"lines":["x\\ny","z"]}\n\n');
  });
});
