import { describe, expect, it } from "vitest";
import { planOf } from "./parts";

describe("planOf", () => {
  it.each([
    { args: [], engine: true, pages: ["sqlite", "postgresql"], streams: true, firstLoad: true, warmUp: true, throughput: true, soak: true, needsEngine: true, needsBuild: true },
    { args: ["P3"], engine: false, pages: ["sqlite", "postgresql"], streams: false, firstLoad: false, warmUp: false, throughput: false, soak: false, needsEngine: false, needsBuild: true },
    { args: ["p2"], engine: true, pages: [], streams: false, firstLoad: false, warmUp: false, throughput: false, soak: false, needsEngine: true, needsBuild: false },
    { args: ["P8"], engine: false, pages: [], streams: true, firstLoad: false, warmUp: false, throughput: false, soak: false, needsEngine: false, needsBuild: true },
    { args: ["P6", "P7"], engine: false, pages: [], streams: false, firstLoad: false, warmUp: true, throughput: true, soak: false, needsEngine: true, needsBuild: false },
    { args: ["P10"], engine: false, pages: [], streams: false, firstLoad: false, warmUp: false, throughput: false, soak: true, needsEngine: true, needsBuild: false },
    { args: ["P9"], engine: false, pages: [], streams: false, firstLoad: true, warmUp: false, throughput: false, soak: false, needsEngine: true, needsBuild: true },
  ])("$args", ({ args, ...expected }) => {
    expect(planOf(args)).toEqual(expected);
  });

  it("refuses a part it does not know, naming it", () => {
    expect(() => planOf(["P3", "P12"])).toThrow(/P12/);
    expect(() => planOf(["warmup"])).toThrow(/WARMUP/);
  });
});
