import { describe, expect, it } from "vitest";
import type { AdviceStepView } from "./types";
import { buildWaterfall, zoomedBars } from "./waterfall";

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

  it("the zoomed bars start after the multi-stage step", () => {
    const waterfall = buildWaterfall({ steps: [step("single", "start", "works", 1000), step("multistage", "chain", "works", 100), step("strip", "chain", "works", 60)] });
    expect(zoomedBars(waterfall).map((b) => [b.key, b.kind, b.fromBytes])).toEqual([
      ["multistage", "start", 100],
      ["strip", "step", 100],
      ["strip:end", "end", 60],
    ]);
  });
});
