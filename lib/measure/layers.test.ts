import { describe, expect, it } from "vitest";
import { configFlags, instructionOf, isLayer, toLayers, type HistoryRow } from "./layers";

describe("instructionOf", () => {
  it.each([
    ['/bin/sh -c #(nop)  CMD ["/app"]', 'CMD ["/app"]'],
    ["/bin/sh -c #(nop) COPY file:0f1e2d in /app ", "COPY file:0f1e2d in /app"],
    ["/bin/sh -c #(nop) ADD file:abc in / ", "ADD file:abc in /"],
    ["/bin/sh -c go mod download", "RUN go mod download"],
    ["|2 GOPROXY=off GOSUMDB=off /bin/sh -c go build -o /out/app .", "RUN go build -o /out/app ."],
    ["RUN /bin/sh -c go build . # buildkit", "RUN go build ."],
    ["COPY /out/app /app # buildkit", "COPY /out/app /app"],
    ["RUN |4 GOPROXY= GOSUMDB= GONOSUMDB= GOPRIVATE= /bin/sh -c go mod download # buildkit", "RUN go mod download"],
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

describe("configFlags", () => {
  const rows = [{}, {}, {}];
  const history = (...empty: boolean[]) => empty.map((emptyLayer) => ({ emptyLayer }));
  it.each([
    ["the config's empty_layer flags, when they fit", history(false, true, false), 2, [true, false, true]],
    ["a 0-byte step that is a layer stays one", history(false, false, false), 3, [true, true, true]],
    ["null when the config has another number of rows", history(false, false), 2, null],
    ["null when its layers disagree with its flags", history(false, true, false), 3, null],
  ] as const)("%s", (_name, configHistory, layerCount, expected) => {
    expect(configFlags(rows, { history: [...configHistory], layers: { length: layerCount } })).toEqual(expected);
  });

  it("decides which rows toLayers keeps: a metadata step with a layer is kept, whatever its size", () => {
    const history: HistoryRow[] = [
      { id: "c", createdBy: "/bin/sh -c #(nop) WORKDIR /src", sizeBytes: 0 },
      { id: "b", createdBy: "/bin/sh -c #(nop)  ENV A=1", sizeBytes: 0 },
      { id: "a", createdBy: "/bin/sh -c #(nop) ADD file:x in / ", sizeBytes: 10 },
    ];
    const config = { history: history.map(() => ({ emptyLayer: false })).map((row, i) => (i === 1 ? { emptyLayer: true } : row)), layers: { length: 2 } };
    expect(toLayers(history, { id: null, historyLength: 0 }, config).map((l) => l.instruction)).toEqual(["ADD file:x in /", "WORKDIR /src"]);
    expect(toLayers(history, { id: null, historyLength: 0 }).map((l) => l.instruction)).toEqual(["ADD file:x in /"]);
  });
});
