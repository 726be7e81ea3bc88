import { describe, expect, it } from "vitest";
import type { LogEventData } from "@/lib/progress/events";
import { applyLogEvent, EMPTY_TAIL, tailBlocks, type LogTail } from "@/lib/progress/log-tail";

const log = (variant: string, from: number, lines: string[], reset?: true): LogEventData => ({
  variant,
  from,
  lines,
  ...(reset ? { reset } : {}),
});
const fold = (events: LogEventData[], keep?: number): LogTail => events.reduce((tail, e) => applyLogEvent(tail, e, keep), EMPTY_TAIL);

describe("applyLogEvent", () => {
  it.each<[string, LogEventData[], LogTail["logs"]]>([
    ["appends contiguous lines", [log("single", 0, ["a", "b"]), log("single", 2, ["c"])], { single: { first: 0, lines: ["a", "b", "c"] } }],
    ["replaces lines sent twice instead of repeating them", [log("single", 0, ["a", "b"]), log("single", 1, ["b", "c"])], { single: { first: 0, lines: ["a", "b", "c"] } }],
    ["takes a full resend from the start", [log("single", 0, ["a", "b"]), log("single", 0, ["a", "b", "c"])], { single: { first: 0, lines: ["a", "b", "c"] } }],
    ["starts over after a gap", [log("single", 0, ["a"]), log("single", 40, ["x"])], { single: { first: 40, lines: ["x"] } }],
    ["keeps the newest lines", [log("single", 0, ["a", "b", "c"]), log("single", 3, ["d", "e"])], { single: { first: 2, lines: ["c", "d", "e"] } }],
    ["drops a variant on a reset", [log("single", 0, ["a"]), log("scratch", 0, ["s"]), log("single", 0, ["new"], true)], { single: { first: 0, lines: ["new"] }, scratch: { first: 0, lines: ["s"] } }],
    ["forgets a variant cleared by a reset", [log("single", 0, ["a"]), log("single", 0, [], true)], {}],
  ])("%s", (_name, events, want) => {
    expect(fold(events, 3).logs).toEqual(want);
  });

  it("keeps the order in which logs first arrived", () => {
    const tail = fold([log("single", 0, ["a"]), log("scratch", 0, ["b"]), log("single", 1, ["c"])]);
    expect(tail.order).toEqual(["single", "scratch"]);
  });
});

describe("tailBlocks", () => {
  it("shows the last lines across variants, numbered absolutely", () => {
    const tail = fold([log("single", 0, ["a", "b", "c"]), log("scratch", 5, ["d", "e"])]);
    expect(tailBlocks(tail, 3)).toEqual([
      { variant: "single", hidden: 2, lines: [{ n: 2, text: "c" }] },
      { variant: "scratch", hidden: 5, lines: [{ n: 5, text: "d" }, { n: 6, text: "e" }] },
    ]);
    expect(tailBlocks(tail, 2).map((b) => b.variant)).toEqual(["scratch"]);
    expect(tailBlocks(EMPTY_TAIL)).toEqual([]);
  });
});
