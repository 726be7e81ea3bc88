// Layers of one variant across two comparisons: the same digest is the same layer; else
// the same instruction is that step again; the rest is added or removed.
import { describe, expect, it } from "vitest";
import { diffLayers, pairLayers, type CompareLayer } from "@/lib/views/compare-layers";

let next = 0;
const layer = (instruction: string, sizeBytes: number, digest: string | null, fromBase = false): CompareLayer => ({
  index: next++,
  instruction,
  sizeBytes,
  compressedBytes: digest === null ? null : Math.round(sizeBytes / 2),
  fromBase,
  digest,
});
const base = layer("ADD file:abc in /", 80_000_000, "sha256:base", true);
const toolchain = layer("RUN apt-get install golang", 600_000_000, "sha256:go", true);

describe("pairLayers", () => {
  it.each<[string, CompareLayer[], CompareLayer[], Array<[string | null, string | null]>]>([
    ["identical digests pair whatever the instruction says", [layer("COPY a", 5, "sha256:1")], [layer("COPY  a (renamed)", 5, "sha256:1")], [["COPY a", "COPY  a (renamed)"]]],
    ["the same step with new content pairs by instruction", [layer("COPY src/ ./", 5, "sha256:1")], [layer("COPY   src/ ./", 9, "sha256:2")], [["COPY src/ ./", "COPY   src/ ./"]]],
    ["a digest match wins over an earlier instruction match", [layer("RUN x", 1, "sha256:a"), layer("RUN x", 2, "sha256:b")], [layer("RUN x", 2, "sha256:b")], [["RUN x", "RUN x"], ["RUN x", null]]],
    ["repeated steps pair in order", [layer("RUN x", 1, null), layer("RUN x", 2, null)], [layer("RUN x", 3, null), layer("RUN x", 4, null)], [["RUN x", "RUN x"], ["RUN x", "RUN x"]]],
    ["a new step is added, an old one removed", [layer("RUN old", 1, "sha256:o")], [layer("RUN new", 1, "sha256:n")], [[null, "RUN new"], ["RUN old", null]]],
    ["unknown digests never match each other", [layer("A", 1, null)], [layer("B", 1, null)], [[null, "B"], ["A", null]]],
    ["a COPY named by its content pairs whatever the hash", [layer(`COPY file:${"a".repeat(64)} in /app`, 1, "sha256:1")], [layer(`COPY file:${"b".repeat(64)} in /app`, 2, "sha256:2")], [[`COPY file:${"a".repeat(64)} in /app`, `COPY file:${"b".repeat(64)} in /app`]]],
    ["but not with a COPY to elsewhere", [layer(`COPY file:${"a".repeat(64)} in ./`, 1, "sha256:1")], [layer(`COPY file:${"b".repeat(64)} in /app`, 2, "sha256:2")], [[null, `COPY file:${"b".repeat(64)} in /app`], [`COPY file:${"a".repeat(64)} in ./`, null]]],
    [
      "the same step with other flags pairs after exact instructions, not with another step",
      [layer("RUN go mod download", 9, "sha256:m"), layer('RUN go build -o /out/app .', 5, "sha256:b1")],
      [layer('RUN go build -mod=vendor -o /out/app .', 6, "sha256:b2")],
      [['RUN go build -o /out/app .', 'RUN go build -mod=vendor -o /out/app .'], ["RUN go mod download", null]],
    ],
    ["pairs come in the newer image's order", [layer("RUN b", 1, "sha256:b"), layer("RUN a", 1, "sha256:a")], [layer("RUN a", 1, "sha256:a"), layer("RUN b", 1, "sha256:b")], [["RUN a", "RUN a"], ["RUN b", "RUN b"]]],
  ])("%s", (_name, before, after, expected) => {
    const pairs = pairLayers(before, after).map(([b, a]) => [b?.instruction ?? null, a?.instruction ?? null]);
    expect(pairs).toEqual(expected);
  });

  it("the digest pair is the earlier layer when the instruction pair would be the other", () => {
    const [first, second] = [layer("RUN x", 1, "sha256:a"), layer("RUN x", 2, "sha256:b")];
    const [pair] = pairLayers([first, second], [layer("RUN x", 2, "sha256:b")]);
    expect(pair[0]).toBe(second);
  });
});

describe("diffLayers", () => {
  it("the second commit's source and binary layers grow, the base stays, a new step is added", () => {
    const before = [base, toolchain, layer("WORKDIR /src", 0, "sha256:w"), layer("COPY src/ ./", 10_000, "sha256:s1"), layer("RUN go build", 2_000_000, "sha256:b1")];
    const after = [base, toolchain, layer("WORKDIR /src", 0, "sha256:w"), layer("COPY src/ ./", 600_000, "sha256:s2"), layer("RUN go build", 2_700_000, "sha256:b2"), layer("RUN touch /marker", 0, "sha256:m")];
    const diff = diffLayers(before, after);
    expect(diff.grown.map((c) => [c.name, c.deltaBytes])).toEqual([["RUN go build", 700_000], ["COPY src/ ./", 590_000]]);
    expect(diff.added.map((c) => c.name)).toEqual(["RUN touch /marker"]);
    expect(diff.counts).toEqual({ added: 1, removed: 0, grown: 2, shrunk: 0, changed: 0, unchanged: 3 });
  });

  it("names a content-addressed COPY without its hash", () => {
    const diff = diffLayers([layer(`COPY file:${"a".repeat(64)} in /app`, 1, "sha256:1")], [layer(`COPY  file:${"b".repeat(64)} in /app`, 3, "sha256:2")]);
    expect(diff.grown.map((c) => c.name)).toEqual(["COPY file:… in /app"]);
  });

  it("the same step at the same size with another digest is changed", () => {
    const diff = diffLayers([layer("COPY a", 7, "sha256:x")], [layer("COPY a", 7, "sha256:y")]);
    expect(diff.changed.map((c) => [c.name, c.before?.digest, c.after?.digest])).toEqual([["COPY a", "sha256:x", "sha256:y"]]);
  });

  it("a removed layer counts its bytes as negative", () => {
    const diff = diffLayers([base, layer("RUN apk add tzdata", 1_500_000, "sha256:t")], [base]);
    expect(diff.removed.map((c) => c.deltaBytes)).toEqual([-1_500_000]);
    expect(diff.bytes.removed).toBe(-1_500_000);
  });
});
