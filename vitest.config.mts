// Three kinds of tests: unit (pure, fast), engine (a real Docker Engine and the base
// images), e2e (the built app in Debian's Chromium). Run one with --project NAME.
import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    projects: [
      {
        extends: true,
        test: { name: "unit", include: ["lib/**/*.test.ts", "components/**/*.test.ts", "scripts/**/*.test.ts"], exclude: ["**/*.engine.test.ts"] },
      },
      {
        extends: true,
        test: {
          name: "engine",
          include: ["lib/**/*.engine.test.ts"],
          globalSetup: ["lib/testing/engine-leftovers.ts"],
          fileParallelism: false,
          testTimeout: 15 * 60_000,
          hookTimeout: 5 * 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["e2e/**/*.test.ts"],
          globalSetup: ["lib/testing/engine-leftovers.ts"],
          fileParallelism: false,
          testTimeout: 15 * 60_000,
          hookTimeout: 5 * 60_000,
        },
      },
    ],
  },
});
