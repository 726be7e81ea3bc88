// P9's measure: the JavaScript a page makes the browser load before anyone touches it —
// every script file its HTML names (script tags, and scripts preloaded with link tags),
// fetched and counted uncompressed, as Next.js's "First Load JS" counts. Inline scripts
// (the page's data for hydration) are counted apart, and `nomodule` polyfills, which a
// current browser skips, not at all. Code loaded only when a section is opened is not
// named by the HTML, so it is not counted.
import { gzipSync } from "node:zlib";

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
  largest: Array<{ path: string; bytes: number }>;
}

/** Fetches the page as a visitor (no cookies), then every script it names. */
export async function measureFirstLoad(pageUrl: string): Promise<FirstLoad> {
  const page = await fetch(pageUrl);
  const html = await page.text();
  if (page.status !== 200) throw new Error(`GET ${pageUrl} answered ${page.status}`);
  const scripts = pageScripts(html, pageUrl);
  if (scripts.files.length === 0) throw new Error(`${pageUrl} names no script file: the HTML is not a Next.js page`);
  const sizes = await Promise.all(
    scripts.files.map(async (url) => {
      const response = await fetch(url, { headers: { "accept-encoding": "identity" } });
      const body = Buffer.from(await response.arrayBuffer());
      if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}`);
      return { path: new URL(url).pathname, bytes: body.length, gzipBytes: gzipSync(body, { level: 6 }).length };
    }),
  );
  return {
    files: sizes.length,
    bytes: sizes.reduce((sum, file) => sum + file.bytes, 0),
    gzipBytes: sizes.reduce((sum, file) => sum + file.gzipBytes, 0),
    inlineBytes: scripts.inlineBytes,
    largest: [...sizes].sort((a, b) => b.bytes - a.bytes).slice(0, 3),
  };
}
