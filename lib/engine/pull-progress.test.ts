import { describe, expect, it } from "vitest";
import { pullProgress, type PullEvent } from "./pull-progress";

const downloading = (id: string, current: number, total: number): PullEvent => ({
  status: "Downloading",
  id,
  progressDetail: { current, total },
});

describe("pullProgress", () => {
  it("keeps each layer's changes of state and a line per fifth of its download", () => {
    const progress = pullProgress();
    const events: PullEvent[] = [
      { status: "Pulling from library/golang", id: "1.23" },
      { status: "Pulling fs layer", id: "aaa", progressDetail: {} },
      { status: "Waiting", id: "aaa", progressDetail: {} },
      // A chunk at a time: 100 events for one layer.
      ...Array.from({ length: 100 }, (_, i) => downloading("aaa", (i + 1) * 1e6, 100e6)),
      { status: "Verifying Checksum", id: "aaa", progressDetail: {} },
      { status: "Download complete", id: "aaa", progressDetail: {} },
      { status: "Extracting", id: "aaa", progressDetail: { current: 100e6, total: 100e6 } },
      { status: "Pull complete", id: "aaa", progressDetail: {} },
      { status: "Digest: sha256:b462" },
      { status: "Status: Downloaded newer image for golang:1.23" },
    ];
    expect(progress.started()).toBe(false);
    const lines = events.flatMap((event) => progress.lines(event));
    expect(progress.started()).toBe(true);
    expect(lines).toEqual([
      "1.23: Pulling from library/golang",
      "aaa: Pulling fs layer",
      "aaa: Downloading 1 MB of 100 MB",
      "aaa: Downloading 20 MB of 100 MB",
      "aaa: Downloading 40 MB of 100 MB",
      "aaa: Downloading 60 MB of 100 MB",
      "aaa: Downloading 80 MB of 100 MB",
      "aaa: Downloading 100 MB of 100 MB",
      "aaa: Download complete",
      "aaa: Extracting 100 MB of 100 MB",
      "aaa: Pull complete",
      "Digest: sha256:b462",
      "Status: Downloaded newer image for golang:1.23",
    ]);
  });

  it("counts the steps of each layer apart", () => {
    const progress = pullProgress();
    const lines = [downloading("aaa", 1, 10), downloading("bbb", 1, 10), downloading("aaa", 2, 10), downloading("bbb", 5, 10)].flatMap(progress.lines);
    expect(lines).toEqual(["aaa: Downloading 1 B of 10 B", "bbb: Downloading 1 B of 10 B", "aaa: Downloading 2 B of 10 B", "bbb: Downloading 5 B of 10 B"]);
  });

  it("shows a layer's retry countdown once", () => {
    const progress = pullProgress();
    const statuses = ["Retrying in 5 seconds", "Retrying in 4 seconds", "Retrying in 1 second", "Downloading", "Retrying in 5 seconds"];
    const lines = statuses.flatMap((status) => progress.lines({ status, id: "aaa", progressDetail: { current: 1, total: 2 } }));
    expect(lines).toEqual(["aaa: Retrying in 5 seconds", "aaa: Downloading 1 B of 2 B", "aaa: Retrying in 5 seconds"]);
  });

  it("layers the engine already has are not a download", () => {
    const progress = pullProgress();
    expect(progress.lines({ status: "Already exists", id: "aaa" })).toEqual(["aaa: Already exists"]);
    expect(progress.lines({ status: "Downloading", id: "bbb", progressDetail: {} })).toEqual([]);
    expect(progress.started()).toBe(true);
    expect(pullProgress().lines({})).toEqual([]);
  });
});
