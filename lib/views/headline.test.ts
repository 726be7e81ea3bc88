import { describe, expect, it } from "vitest";
import { computeHeadline } from "@/lib/views/headline";
import type { VariantStatus, VariantView } from "@/lib/comparisons/types";

function variant(key: string, status: VariantStatus, sizeBytes: number | null): VariantView {
  return {
    key,
    naive: key.endsWith("-naive"),
    status,
    dockerfile: "FROM scratch\n",
    baseImages: [],
    imageId: status === "built" ? `sha256:${key}` : null,
    sizeBytes,
    compressedBytes: null,
    buildSeconds: null,
    buildLog: "",
    layers: [],
    runCheck: null,
  };
}

describe("computeHeadline", () => {
  const cases: {
    name: string;
    variants: VariantView[];
    want: { largest: string; smallest: string; text: string } | null;
  }[] = [
    {
      name: "the article's numbers",
      variants: [variant("single", "built", 726_000_000), variant("scratch", "built", 1_500_000)],
      want: { largest: "single", smallest: "scratch", text: "726 MB → 1.5 MB, 99.8% smaller (484× smaller)" },
    },
    {
      name: "a naive image that fails its run check is never the small end",
      variants: [
        variant("single", "built", 726_000_000),
        { ...variant("scratch-naive", "built", 1_450_000), runCheck: { verdict: "fails", exitCode: 1, output: "unknown time zone" } },
        { ...variant("scratch", "built", 3_000_000), runCheck: { verdict: "works", exitCode: 0, output: "" } },
      ],
      want: { largest: "single", smallest: "scratch", text: "726 MB → 3 MB, 99.6% smaller (242× smaller)" },
    },
    {
      name: "781 MB to 8.15 MB, in any order",
      variants: [
        variant("alpine", "built", 8_150_000),
        variant("single", "built", 781_000_000),
        variant("distroless", "built", 9_000_000),
      ],
      want: { largest: "single", smallest: "alpine", text: "781 MB → 8.2 MB, 99% smaller (96× smaller)" },
    },
    {
      name: "ignores failed, skipped, queued and building variants even with a size",
      variants: [
        variant("single", "built", 800_000_000),
        variant("repo", "failed", 2_000_000_000),
        variant("scratch", "skipped", 1_000),
        variant("alpine", "building", 10),
        variant("distroless", "queued", 5),
        variant("alpine-naive", "built", 400_000_000),
      ],
      want: { largest: "single", smallest: "alpine-naive", text: "800 MB → 400 MB, 50% smaller (2× smaller)" },
    },
    {
      name: "ignores built variants that were not measured",
      variants: [
        variant("single", "built", null),
        variant("alpine", "built", 0),
        variant("scratch", "built", 2_000_000),
        variant("distroless", "built", 3_000_000),
      ],
      want: { largest: "distroless", smallest: "scratch", text: "3 MB → 2 MB, 33% smaller (1.5× smaller)" },
    },
    {
      name: "equal sizes name two different variants",
      variants: [variant("alpine", "built", 5_000_000), variant("scratch", "built", 5_000_000)],
      want: { largest: "alpine", smallest: "scratch", text: "5 MB → 5 MB, 0% smaller (1× smaller)" },
    },
    { name: "no variants", variants: [], want: null },
    { name: "only one built", variants: [variant("single", "built", 726_000_000)], want: null },
    {
      name: "one built, the rest not",
      variants: [
        variant("single", "built", 726_000_000),
        variant("scratch", "failed", null),
        variant("alpine", "skipped", null),
      ],
      want: null,
    },
  ];

  for (const { name, variants, want } of cases) {
    it(name, () => {
      const headline = computeHeadline(variants);
      if (want === null) {
        expect(headline).toBeNull();
        return;
      }
      expect(headline).not.toBeNull();
      expect(headline?.largest.key).toBe(want.largest);
      expect(headline?.smallest.key).toBe(want.smallest);
      expect(headline?.text).toBe(want.text);
    });
  }

  it("exposes the parts of the line separately", () => {
    const headline = computeHeadline([variant("single", "built", 726_000_000), variant("scratch", "built", 1_500_000)]);
    expect(headline).toMatchObject({
      largest: { key: "single", sizeBytes: 726_000_000 },
      smallest: { key: "scratch", sizeBytes: 1_500_000 },
      reduction: "99.8%",
      ratio: "484×",
    });
  });
});
