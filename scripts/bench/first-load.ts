// P9's measure: the JavaScript a page makes the browser load before anyone touches it,
// taken in Chromium (Debian's, through playwright-core, as the browser tests drive it):
// every same-origin script the page fetches from navigation until the network has been
// quiet for a while, with no scroll, no pointer and no key, counted uncompressed. Code
// that a section loads only when it is opened, scrolled to or touched is not counted;
// `nomodule` polyfills, which a current browser skips, are not fetched. Inline scripts
// (the page's data for hydration) are counted apart, from the HTML (`pageScripts`).
import { gzipSync } from "node:zlib";
import { launchBrowser } from "@/e2e/browser";

export interface PageScripts {
  /** Same-origin script files, in the order the HTML names them, each once. */
  files: string[];
  /** Characters of inline script bodies. */
  inlineBytes: number;
}

const SCRIPT = /<script\b([^>]*)>([\s\S]*?)<\/script>/gi;
const LINK = /<link\b([^>]*)>/gi;

function attribute(attributes: string, name: string): string | null {
  const match = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, "i").exec(attributes);
  return match ? (match[1] ?? match[2] ?? match[3] ?? "") : null;
}

/** Pure: the scripts `html` loads, as absolute URLs on `pageUrl`'s origin. */
export function pageScripts(html: string, pageUrl: string): PageScripts {
  const origin = new URL(pageUrl).origin;
  const files: string[] = [];
  const add = (src: string | null) => {
    if (!src) return;
    const url = new URL(src.replace(/&amp;/g, "&"), pageUrl);
    if (url.origin === origin && !files.includes(url.toString())) files.push(url.toString());
  };
  let inlineBytes = 0;
  for (const [, attributes, body] of html.matchAll(SCRIPT)) {
    const type = attribute(attributes, "type");
    if (type && !/^(text\/javascript|module|application\/javascript)$/i.test(type)) continue;
    const src = attribute(attributes, "src");
    // Polyfills for browsers without modules: a current browser does not load them.
    if (src && /(^|\s)nomodule(\s|=|$)/i.test(attributes)) continue;
    if (src) add(src);
    else inlineBytes += Buffer.byteLength(body);
  }
  for (const [, attributes] of html.matchAll(LINK)) {
    const rel = (attribute(attributes, "rel") ?? "").toLowerCase().split(/\s+/);
    const as = (attribute(attributes, "as") ?? "").toLowerCase();
    if (rel.includes("modulepreload") || (rel.includes("preload") && as === "script")) add(attribute(attributes, "href"));
  }
  return { files, inlineBytes };
}

export interface FirstLoad {
  files: number;
  /** Bytes of the script files, uncompressed. */
  bytes: number;
  /** The same, each file gzipped at level 6 (about what a server sends compressed). */
  gzipBytes: number;
  inlineBytes: number;
  /** Every script file, in the order the page asked for them. */
  scripts: Array<{ path: string; bytes: number }>;
  largest: Array<{ path: string; bytes: number }>;
}

/** Quiet time after the last script request before the first load is taken as done. */
const QUIET_MS = 1_500;

/**
 * Opens the page in a fresh Chromium profile as a visitor (no cookies) at `viewport`,
 * waits for the load event and then for the network's scripts to settle, touching nothing.
 */
export async function measureFirstLoad(pageUrl: string, viewport = { width: 1280, height: 900 }): Promise<FirstLoad> {
  const context = await launchBrowser();
  try {
    const page = await context.newPage();
    await page.setViewportSize(viewport);
    const origin = new URL(pageUrl).origin;
    const scripts = new Map<string, Promise<{ path: string; bytes: number; gzipBytes: number }>>();
    let lastScriptAt = Date.now();
    page.on("response", (response) => {
      const url = response.url();
      if (response.request().resourceType() !== "script" || new URL(url).origin !== origin || scripts.has(url)) return;
      lastScriptAt = Date.now();
      const measured = response.body().then((body) => {
        if (response.status() !== 200) throw new Error(`GET ${url} answered ${response.status()}`);
        return { path: new URL(url).pathname, bytes: body.length, gzipBytes: gzipSync(body, { level: 6 }).length };
      });
      // Reported below, with the others; not an unhandled rejection before then.
      measured.catch(() => {});
      scripts.set(url, measured);
    });
    const answer = await page.goto(pageUrl, { waitUntil: "load" });
    if (answer?.status() !== 200) throw new Error(`GET ${pageUrl} answered ${answer?.status()}`);
    const html = await answer.text();
    await page.waitForLoadState("networkidle");
    while (Date.now() - lastScriptAt < QUIET_MS) await page.waitForTimeout(250);
    if (scripts.size === 0) throw new Error(`${pageUrl} loaded no script file: it is not a Next.js page`);
    const sizes = await Promise.all(scripts.values());
    return {
      files: sizes.length,
      bytes: sizes.reduce((sum, file) => sum + file.bytes, 0),
      gzipBytes: sizes.reduce((sum, file) => sum + file.gzipBytes, 0),
      inlineBytes: pageScripts(html, pageUrl).inlineBytes,
      scripts: sizes.map(({ path, bytes }) => ({ path, bytes })),
      largest: [...sizes].sort((a, b) => b.bytes - a.bytes).slice(0, 3),
    };
  } finally {
    await context.close();
  }
}
