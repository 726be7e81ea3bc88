// What JavaScript a page loads, and when: every script response is recorded with its
// URL and its bytes (uncompressed, as the browser runs them), so a test can tell the
// page's first load from what a click fetched later, and look inside either.
import type { Page } from "playwright-core";

export interface LoadedScript {
  url: string;
  bytes: number;
  text: string;
}

export interface ScriptLog {
  /** Every script loaded so far, in order. */
  all(): LoadedScript[];
  /** Waits until no script response is pending. */
  settled(): Promise<void>;
}

export function recordScripts(page: Page): ScriptLog {
  const scripts: LoadedScript[] = [];
  const pending = new Set<Promise<void>>();
  page.on("response", (response) => {
    if (response.request().resourceType() !== "script") return;
    const read = response
      .text()
      .then((text) => void scripts.push({ url: response.url(), bytes: Buffer.byteLength(text), text }))
      .catch(() => undefined)
      .finally(() => pending.delete(read));
    pending.add(read);
  });
  return {
    all: () => [...scripts],
    async settled() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}

export const totalBytes = (scripts: LoadedScript[]): number => scripts.reduce((sum, s) => sum + s.bytes, 0);

/** Where an e2e page scrolls sideways: the document's width beyond the viewport's. */
export const horizontalOverflow = (page: Page): Promise<number> =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
