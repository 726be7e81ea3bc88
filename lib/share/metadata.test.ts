import { describe, expect, it } from "vitest";
import type { ComparisonView } from "@/lib/comparisons/types";
import { publicOrigin, shareDescription, shareMetadata } from "./metadata";

const headersOf = (values: Record<string, string>) => new Headers(values);

describe("publicOrigin", () => {
  it.each([
    ["the configured URL first", "https://slim.example.com", { host: "10.0.0.5:3000" }, "https://slim.example.com/"],
    ["the Host header", undefined, { host: "127.0.0.1:41234" }, "http://127.0.0.1:41234/"],
    ["a proxy's forwarded host and scheme", undefined, { host: "app:3000", "x-forwarded-host": "slim.example.com, proxy", "x-forwarded-proto": "https" }, "https://slim.example.com/"],
    ["an IPv6 host", undefined, { host: "[::1]:3000" }, "http://[::1]:3000/"],
    ["an unusable configured URL falls back to the request", "ftp://x", { host: "localhost:3000" }, "http://localhost:3000/"],
  ])("uses %s", (_name, configured, headers, want) => {
    expect(publicOrigin(configured, headersOf(headers))?.toString()).toBe(want);
  });

  it.each([
    ["no host", {}],
    ["a host with a path", { host: "evil.example/x" }],
    ["a host with credentials", { host: "user@evil.example" }],
  ])("gives up on %s", (_name, headers) => {
    expect(publicOrigin(undefined, headersOf(headers))).toBeNull();
  });
});

describe("shareMetadata", () => {
  const comparison = {
    id: "abcdefghij",
    status: "succeeded",
    repo: "https://github.com/owner/name",
    variants: [
      { key: "single", status: "built", sizeBytes: 726e6, runCheck: null },
      { key: "scratch", status: "built", sizeBytes: 1.5e6, runCheck: null },
    ],
  } as unknown as ComparisonView;

  it("titles the card with the headline and asks for the large image", () => {
    const metadata = shareMetadata(comparison, new URL("http://127.0.0.1:3000"));
    const title = "726 MB → 1.5 MB, 99.8% smaller (484× smaller)";
    expect(metadata.metadataBase?.toString()).toBe("http://127.0.0.1:3000/");
    expect(metadata.openGraph).toMatchObject({ title, url: "/c/abcdefghij", siteName: "Slimstage" });
    expect(metadata.twitter).toMatchObject({ card: "summary_large_image", title });
  });

  it("describes the sizes", () => {
    expect(shareDescription(comparison)).toBe(
      "Docker image sizes of github.com/owner/name, built single-stage and multi-stage: single 726 MB, scratch 1.5 MB.",
    );
  });
});
