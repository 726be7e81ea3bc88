import { describe, expect, it } from "vitest";
import { comparisonInput } from "@/lib/comparisons/input";

describe("comparisonInput", () => {
  it.each([
    ["a bundled example", { repo: "example:hello" }],
    ["every variant, the repository's own included", { repo: "example:hello", variants: ["single", "repo"] }],
    ["run arguments and environment", { repo: "example:hello", runArgs: ["--tz", "Europe/Berlin"], runEnv: { TZ: "UTC", LOG_LEVEL: "debug" } }],
  ])("accepts %s", (_name, body) => {
    expect(comparisonInput.safeParse(body).success).toBe(true);
  });

  it.each([
    ["no repo", {}],
    ["an unknown field", { repo: "example:hello", admin: true }],
    ["an unknown variant", { repo: "example:hello", variants: ["tiny"] }],
    ["a newline in a run argument", { repo: "example:hello", runArgs: ["ok\nRUN evil"] }],
    ["too many run arguments", { repo: "example:hello", runArgs: Array(21).fill("x") }],
    ["an environment name with a space", { repo: "example:hello", runEnv: { "A B": "x" } }],
    ["an environment name with =", { repo: "example:hello", runEnv: { "A=B": "x" } }],
    ["a control character in an environment value", { repo: "example:hello", runEnv: { A: "x\u0000y" } }],
    ["an oversized repo", { repo: `https://example.com/${"a".repeat(2100)}` }],
    ["a number for repo", { repo: 7 }],
  ])("rejects %s", (_name, body) => {
    expect(comparisonInput.safeParse(body).success).toBe(false);
  });
});
