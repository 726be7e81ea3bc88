// The hub: many viewers of one comparison cost one read at a time, finished logs once.
import { describe, expect, it } from "vitest";
import type { ComparisonSnapshot } from "@/lib/progress/events";
import { createHub } from "@/lib/progress/snapshot-hub";

function fakeReader() {
  const calls: Array<number[]> = [];
  let status: "building" | "built" = "building";
  let resolveNext: (() => void) | null = null;
  const read = (wantLog: (row: number) => boolean): Promise<ComparisonSnapshot | null> => {
    calls.push([1, 2].filter(wantLog));
    return new Promise((resolve) => {
      resolveNext = () =>
        resolve({
          status: "running",
          phase: null,
          variants: [
            { row: 1, key: "single", naive: false, status: "built", runVerdict: null, buildLog: wantLog(1) ? "log one" : null },
            { row: 2, key: "scratch", naive: false, status, runVerdict: null, buildLog: wantLog(2) ? `log two ${status}` : null },
          ],
        });
    });
  };
  return { read, calls, finish: () => (status = "built"), answer: () => resolveNext?.() };
}

describe("snapshot hub", () => {
  it("shares one read among every viewer asking at once", async () => {
    const fake = fakeReader();
    let time = 0;
    const hub = createHub(() => fake.read, { now: () => time });
    const reads = Array.from({ length: 200 }, () => hub.reader("c1")(() => true));
    fake.answer();
    const snapshots = await Promise.all(reads);
    expect(fake.calls).toHaveLength(1);
    expect(snapshots.every((s) => s?.variants[0].buildLog === "log one")).toBe(true);
    // Fresh enough: answered from memory.
    time += 100;
    await hub.reader("c1")(() => true);
    expect(fake.calls).toHaveLength(1);
  });

  it("reads a finished variant's log once and keeps giving it", async () => {
    const fake = fakeReader();
    let time = 0;
    const hub = createHub(() => fake.read, { now: () => time });
    const first = hub.reader("c1")(() => true);
    fake.answer();
    await first;
    time += 1000;
    fake.finish();
    const second = hub.reader("c1")(() => true);
    fake.answer();
    const snapshot = await second;
    expect(fake.calls).toEqual([[1, 2], [2]]);
    expect(snapshot?.variants.map((v) => v.buildLog)).toEqual(["log one", "log two built"]);
  });

  it("drops comparisons nobody watches", async () => {
    const fake = fakeReader();
    let time = 0;
    const hub = createHub(() => fake.read, { now: () => time, idleMs: 1000 });
    const read = hub.reader("c1")(() => true);
    fake.answer();
    await read;
    expect(hub.size()).toBe(1);
    time += 5000;
    const other = hub.reader("c2")(() => true);
    fake.answer();
    await other;
    expect(hub.size()).toBe(1);
  });
});
