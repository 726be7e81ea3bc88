import { describe, expect, it } from "vitest";
import type { AdviceStepView } from "./types";
import { buildWaterfall, zoomedBars, type StepCost } from "./waterfall";

const step = (key: string, role: AdviceStepView["role"], status: AdviceStepView["status"], sizeBytes: number | null): AdviceStepView => ({
  key,
  role,
  title: key,
  why: "",
  status,
  reason: null,
  sizeBytes,
  compressedBytes: sizeBytes === null ? null : Math.round(sizeBytes / 2),
  buildSeconds: 1,
  startMs: null,
  memoryBytes: null,
  dockerfile: `# ${key}`,
  patch: null,
  command: null,
  diagnosis: null,
  runOutput: null,
});

describe("buildWaterfall", () => {
  it.each<[string, AdviceStepView[], string[], string | null, number | null]>([
    [
      "every step kept",
      [step("single", "start", "works", 1000), step("multistage", "chain", "works", 100), step("strip", "chain", "works", 60), step("upx", "chain", "works", 20)],
      ["single", "multistage", "strip", "upx", "upx:end"],
      "upx",
      98,
    ],
    [
      "a step that breaks, one that saves nothing and an alternative are not bars",
      [
        step("single", "start", "works", 1000),
        step("multistage", "chain", "works", 100),
        step("buildvcs", "chain", "no-gain", 100),
        step("no-zoneinfo", "alternative", "breaks", 50),
        step("timetzdata", "chain", "works", 80),
        step("upx", "chain", "not-tried", null),
      ],
      ["single", "multistage", "timetzdata", "timetzdata:end"],
      "timetzdata",
      92,
    ],
    [
      "a 'works' step that grows the image is not kept",
      [step("single", "start", "works", 1000), step("multistage", "chain", "works", 100), step("netgo", "chain", "works", 120)],
      ["single", "multistage", "multistage:end"],
      "multistage",
      90,
    ],
    ["still running: nothing proven yet", [step("single", "start", "works", 1000), step("multistage", "chain", "building", null)], ["single"], null, null],
    ["no steps", [], [], null, null],
  ])("%s", (_name, steps, bars, smallest, percent) => {
    const waterfall = buildWaterfall({ steps });
    expect(waterfall.bars.map((b) => b.key)).toEqual(bars);
    expect(waterfall.smallest?.key ?? null).toBe(smallest);
    expect(waterfall.total?.savedPercent ?? null).toBe(percent);
  });

  it("each bar floats from the size before to the size after, with its saving", () => {
    const waterfall = buildWaterfall({ steps: [step("single", "start", "works", 1000), step("multistage", "chain", "works", 100), step("strip", "chain", "works", 60)] });
    expect(waterfall.bars[2]).toMatchObject({ kind: "step", fromBytes: 100, toBytes: 60, savedBytes: 40, savedPercent: 40 });
    expect(waterfall.rows.map((r) => [r.key, r.kept, r.savedBytes, r.verdict])).toEqual([
      ["multistage", true, 900, "works"],
      ["strip", true, 40, "works"],
    ]);
  });

  it("rows say why a step is not kept; leads stay apart; pending counts what is still to build", () => {
    const waterfall = buildWaterfall({
      steps: [
        step("single", "start", "works", 1000),
        step("multistage", "chain", "works", 100),
        step("no-zoneinfo", "alternative", "breaks", 50),
        step("strip", "chain", "planned", null),
        step("lead-module:x", "lead", "lead", 30),
      ],
    });
    expect(waterfall.rows.find((r) => r.key === "no-zoneinfo")).toMatchObject({ kept: false, verdict: "tried, breaks it", savedBytes: 50 });
    expect(waterfall.leads.map((l) => l.key)).toEqual(["lead-module:x"]);
    expect(waterfall.pending).toBe(1);
  });

  const run = (s: AdviceStepView, startMs: number | null, memoryBytes: number | null): AdviceStepView => ({ ...s, startMs, memoryBytes });
  it.each<[string, AdviceStepView[], StepCost | null]>([
    [
      "UPX against the last kept step, not the one that broke or saved nothing",
      [
        step("single", "start", "works", 1000),
        run(step("timetzdata", "chain", "works", 80), 40, 9_000_000),
        run(step("netgo", "chain", "no-gain", 80), 41, 9_100_000),
        run(step("no-zoneinfo", "alternative", "breaks", 70), 12, 8_000_000),
        run(step("upx", "chain", "works", 30), 55, 14_000_000),
      ],
      { startMs: 55, memoryBytes: 14_000_000, without: { key: "timetzdata", startMs: 40, memoryBytes: 9_000_000 } },
    ],
    [
      "memory not measured: null, not a guess",
      [step("single", "start", "works", 1000), run(step("strip", "chain", "works", 60), 40, null), run(step("upx", "chain", "works", 30), 50, null)],
      { startMs: 50, memoryBytes: null, without: { key: "strip", startMs: 40, memoryBytes: null } },
    ],
    ["a server: its run time is not measured, its memory is", [step("single", "start", "works", 1000), run(step("upx", "chain", "works", 300), null, 20e6)], { startMs: null, memoryBytes: 20e6, without: { key: "single", startMs: null, memoryBytes: null } }],
    ["UPX that breaks the program has no cost to show", [step("single", "start", "works", 1000), run(step("upx", "chain", "breaks", 30), 50, 1)], null],
    ["UPX not tried", [step("single", "start", "works", 1000), step("upx", "chain", "not-tried", null)], null],
  ])("cost: %s", (_name, steps, cost) => {
    const waterfall = buildWaterfall({ steps });
    expect(waterfall.rows.find((r) => r.key === "upx")!.cost).toEqual(cost);
    expect(waterfall.rows.filter((r) => r.key !== "upx").every((r) => r.cost === null)).toBe(true);
  });

  it("the zoomed bars start after the multi-stage step", () => {
    const waterfall = buildWaterfall({ steps: [step("single", "start", "works", 1000), step("multistage", "chain", "works", 100), step("strip", "chain", "works", 60)] });
    expect(zoomedBars(waterfall).map((b) => [b.key, b.kind, b.fromBytes])).toEqual([
      ["multistage", "start", 100],
      ["strip", "step", 100],
      ["strip:end", "end", 60],
    ]);
  });
});
