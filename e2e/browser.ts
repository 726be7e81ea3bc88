// Debian's Chromium driven by playwright-core (no browser download), with the flags
// these machines need, and a fresh profile per launch.
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { chromium, type BrowserContext } from "playwright-core";

export async function launchBrowser(): Promise<BrowserContext> {
  const profile = await mkdtemp(path.join(os.tmpdir(), "slimstage-chromium-"));
  return chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
    viewport: { width: 1280, height: 900 },
  });
}

export const OUTPUT_DIR = path.join(process.cwd(), "test-output");
