import { describe, expect, it } from "vitest";
import { instructionOf, isLayer, toLayers, type HistoryRow } from "./layers";

describe("instructionOf", () => {
  it.each([
    ['/bin/sh -c #(nop)  CMD ["/app"]', 'CMD ["/app"]'],
    ["/bin/sh -c #(nop) COPY file:0f1e2d in /app ", "COPY file:0f1e2d in /app"],
    ["/bin/sh -c #(nop) ADD file:abc in / ", "ADD file:abc in /"],
    ["/bin/sh -c go mod download", "RUN go mod download"],
    ["|2 GOPROXY=off GOSUMDB=off /bin/sh -c go build -o /out/app .", "RUN go build -o /out/app ."],
    ["RUN /bin/sh -c go build . # buildkit", "RUN go build ."],
    ["COPY /out/app /app # buildkit", "COPY /out/app /app"],
    ["Imported from -", "Imported from -"],
    ["", "(no instruction recorded: an imported filesystem)"],
  ])("%s", (createdBy, expected) => {
    expect(instructionOf(createdBy)).toBe(expected);
  });
});

describe("isLayer", () => {
  it.each([
    ['CMD ["/app"]', 0, false],
    ["ENV CGO_ENABLED=0", 0, false],
    ["WORKDIR /src", 0, false],
    ["WORKDIR /src", 4096, true],
    ["RUN true", 0, true],
    ["COPY file:abc in /app", 1500000, true],
  ] as const)("%s (%d bytes) -> %s", (instruction, size, expected) => {
    expect(isLayer(instruction, size)).toBe(expected);
  });
});

// Newest first, as the engine lists it: a scratch image from a multi-stage build.
const scratchHistory: HistoryRow[] = [
  { id: "sha256:top", createdBy: '/bin/sh -c #(nop)  ENTRYPOINT ["/app"]', sizeBytes: 0 },
  { id: "<missing>", createdBy: "/bin/sh -c #(nop) COPY file:abc in /app ", sizeBytes: 1_450_000 },
];

// Newest first: a single-stage image on a two-row base whose ID is sha256:base.
const singleHistory: HistoryRow[] = [
  { id: "sha256:top", createdBy: '/bin/sh -c #(nop)  ENTRYPOINT ["/out/app"]', sizeBytes: 0 },
  { id: "sha256:s3", createdBy: "/bin/sh -c go build -o /out/app .", sizeBytes: 30_000_000 },
  { id: "sha256:s2", createdBy: "/bin/sh -c #(nop) COPY dir:abc in ./ ", sizeBytes: 2_000 },
  { id: "sha256:s1", createdBy: "/bin/sh -c #(nop) WORKDIR /src", sizeBytes: 0 },
  { id: "sha256:base", createdBy: "/bin/sh -c apt-get install golang", sizeBytes: 600_000_000 },
  { id: "<missing>", createdBy: "Imported from -", sizeBytes: 90_000_000 },
];

describe("toLayers", () => {
  it("keeps real layers oldest first and drops metadata steps", () => {
    expect(toLayers(scratchHistory, { id: null, historyLength: 0 })).toEqual([
      { index: 0, instruction: "COPY file:abc in /app", sizeBytes: 1_450_000, fromBase: false },
    ]);
  });

  it.each([
    ["by the base image's ID", { id: "sha256:base", historyLength: 99 }],
    ["by the base history's length", { id: null, historyLength: 2 }],
    ["by length when the ID is not in the history", { id: "sha256:other", historyLength: 2 }],
  ])("splits base and app layers %s", (_name, base) => {
    const layers = toLayers(singleHistory, base);
    expect(layers.map((l) => [l.instruction, l.fromBase])).toEqual([
      ["Imported from -", true],
      ["RUN apt-get install golang", true],
      ["COPY dir:abc in ./", false],
      ["RUN go build -o /out/app .", false],
    ]);
    expect(layers.map((l) => l.index)).toEqual([0, 1, 2, 3]);
  });
});
