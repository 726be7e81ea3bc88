import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { niceTicks } from "./size-chart-still";

// recharts' own tick function (not part of its public API; its types are published apart).
const { getNiceTickValues } = createRequire(import.meta.url)(
  "recharts/lib/util/scale/getNiceTickValues",
) as typeof import("recharts/types/util/scale/getNiceTickValues");

// The still drawing's y axis must be the plot's, or the chart would jump when the plot takes over.
describe("niceTicks", () => {
  it.each([[726e6], [706e6], [290e6], [3.6e6], [1.5e6], [97.3e6], [12_345], [999], [1.2e9], [25e6], [4.2e6]])(
    "gives recharts' ticks for [0, %d]",
    (max) => {
      const ours = niceTicks(max);
      const theirs = getNiceTickValues([0, max], 5, true);
      expect(ours.length).toBe(theirs.length);
      ours.forEach((tick, index) => expect(tick).toBeCloseTo(theirs[index], 6));
    },
  );
});
