import { describe, expect, it } from "vitest";
import type { DiskImage, DiskUsage } from "@/lib/engine/engine";
import { attachLabelled, defaultDiskBudget, planDiskBudget, removable, type BudgetComparison } from "./disk-budget";

const MB = 1e6;
const REPO = "slimstage/variants";
const image = (id: string, sizeMb: number, more: Partial<DiskImage> = {}): DiskImage => ({
  id,
  sizeBytes: sizeMb * MB,
  sharedBytes: 0,
  containers: 0,
  labels: {},
  tags: [],
  createdAt: new Date("2026-12-01T00:00:00Z"),
  ...more,
});
const comparison = (id: string, day: number, imageIds: string[], running = false): BudgetComparison => ({
  id,
  createdAt: new Date(`2026-12-0${day}T00:00:00Z`),
  running,
  imageIds,
});
const usage = (imagesMb: number, cacheMb: number, images: DiskImage[]): DiskUsage => ({ imagesBytes: imagesMb * MB, buildCacheBytes: cacheMb * MB, images });

describe("removable", () => {
  it.each([
    ["untagged", image("a", 1), true],
    ["tagged only in the size registry's variants repository", image("a", 1, { tags: ["127.0.0.1:5055/slimstage/variants:abc-single"] }), true],
    ["a base image", image("a", 1, { tags: ["slimstage/golang:1.23-local"] }), false],
    ["a variant that is also tagged as a base", image("a", 1, { tags: ["127.0.0.1:5055/slimstage/variants:x-repo", "golang:1.26"] }), false],
    ["in use by a container", image("a", 1, { containers: 1 }), false],
  ])("%s", (_, disk, expected) => {
    expect(removable(disk, REPO)).toBe(expected);
  });
});

describe("planDiskBudget", () => {
  const images = [image("old1", 300), image("old2", 200), image("mid", 300), image("new", 300)];
  const comparisons = [comparison("c-old", 1, ["old1", "old2"]), comparison("c-mid", 2, ["mid"]), comparison("c-new", 3, ["new"])];

  it("does nothing within the budget", () => {
    expect(planDiskBudget(usage(1100, 100, images), comparisons, 2000 * MB, 25, REPO)).toEqual({ buildCacheKeepBytes: null, removals: [], overBytes: 0 });
  });

  it("prunes the build cache to its share first, and removes nothing when that is enough", () => {
    const plan = planDiskBudget(usage(1100, 900, images), comparisons, 1500 * MB, 20, REPO);
    expect(plan.buildCacheKeepBytes).toBe(300 * MB);
    expect(plan.removals).toEqual([]);
  });

  it("removes the oldest comparisons' images until the rest fits", () => {
    const plan = planDiskBudget(usage(1100, 0, images), comparisons, 700 * MB, 25, REPO);
    expect(plan.overBytes).toBe(400 * MB);
    expect(plan.removals.map((r) => r.comparisonId)).toEqual(["c-old"]);
    expect(plan.removals[0]).toMatchObject({ imageIds: ["old1", "old2"], bytes: 500 * MB });
  });

  it("goes on to newer ones, but never the newest, a running one's or a shared image still used", () => {
    const shared = [image("old1", 300), image("mid", 300), image("run", 300), image("new", 300)];
    const list = [
      comparison("c-old", 1, ["old1", "mid"]),
      comparison("c-mid", 2, ["mid"]),
      comparison("c-run", 3, ["run"], true),
      comparison("c-new", 4, ["new"]),
    ];
    const plan = planDiskBudget(usage(1200, 0, shared), list, 100 * MB, 25, REPO);
    // "mid" goes with the last comparison that uses it.
    expect(plan.removals).toEqual([
      { comparisonId: "c-old", imageIds: ["old1"], bytes: 300 * MB },
      { comparisonId: "c-mid", imageIds: ["mid"], bytes: 300 * MB },
    ]);
  });

  it("prunes the build cache below its share when no image may go and the engine is still over", () => {
    // Only the newest comparison's image: kept; the cache (within its share) makes room.
    const plan = planDiskBudget(usage(1000, 300, [image("new", 300)]), [comparison("c-new", 3, ["new"])], 1100 * MB, 50, REPO);
    expect(plan.removals).toEqual([]);
    expect(plan.buildCacheKeepBytes).toBe(100 * MB);
  });

  it("counts only an image's own layers, and skips images no longer on the engine or named", () => {
    const on = [image("a", 500, { sharedBytes: 400 * MB }), image("base", 700, { tags: ["slimstage/golang:1.23-local"] }), image("new", 10)];
    const list = [comparison("c1", 1, ["a", "gone", "base"]), comparison("c2", 2, ["new"])];
    const plan = planDiskBudget(usage(1210, 0, on), list, 1000 * MB, 25, REPO);
    expect(plan.removals).toEqual([{ comparisonId: "c1", imageIds: ["a"], bytes: 100 * MB }]);
  });
});

describe("attachLabelled", () => {
  const now = new Date("2026-12-07T12:00:00Z");
  const labelled = (id: string, owner: string) => image(id, 1, { labels: { "org.slimstage.comparison": owner }, createdAt: new Date("2026-12-07T09:00:00Z") });
  const standin = (id: string, more: Partial<DiskImage>) => image(id, 700, { labels: { "org.slimstage.managed": "base-image" }, ...more });

  it("joins a comparison's unrecorded images to it; old base images without a name are orphans; others' images are left alone", () => {
    const result = attachLabelled(
      [comparison("c1", 1, ["a"])],
      [
        labelled("a", "c1"),
        labelled("extra", "c1"),
        labelled("another-instance", "c9"),
        image("plain", 1),
        standin("old-standin", { createdAt: new Date("2026-12-07T09:00:00Z") }),
        standin("fresh-standin", { createdAt: new Date("2026-12-07T11:30:00Z") }),
        standin("named-standin", { tags: ["slimstage/golang:1.23-local"], createdAt: new Date("2026-12-07T09:00:00Z") }),
      ],
      now,
    );
    expect(result.comparisons[0].imageIds).toEqual(["a", "extra"]);
    expect(result.orphans).toEqual(["old-standin"]);
  });
});

describe("defaultDiskBudget", () => {
  it.each([
    [10e9, 100e9, 60e9],
    [0, 1e9, 2e9],
    [5e9, null, 20e9],
  ])("used %d, free %s: %d", (used, free, expected) => {
    expect(defaultDiskBudget(used, free)).toBe(expected);
  });
});
