import { describe, expect, it } from "vitest";
import { pageScripts } from "./first-load";

const PAGE = "http://127.0.0.1:4000/c/abcdefghij";

describe("pageScripts", () => {
  it("lists script files and preloaded scripts once, in order, and counts inline scripts apart", () => {
    const html = [
      '<link rel="stylesheet" href="/_next/static/css/a.css"/>',
      '<link rel="preload" as="script" fetchPriority="low" href="/_next/static/chunks/webpack-1.js"/>',
      '<script src="/_next/static/chunks/webpack-1.js" async=""></script>',
      "<script src='/_next/static/chunks/main-app.js?v=1&amp;x=2' async></script>",
      '<link rel="modulepreload" href="/_next/static/chunks/mod.js">',
      '<script src="/_next/static/chunks/polyfills.js" noModule=""></script>',
      "<script>self.__next_f.push([1,\"abc\"])</script>",
      '<script type="application/ld+json">{"a":1}</script>',
      '<script src="https://cdn.example.com/x.js"></script>',
      '<link rel="preload" as="font" href="/_next/static/media/f.woff2"/>',
    ].join("\n");
    expect(pageScripts(html, PAGE)).toEqual({
      files: [
        "http://127.0.0.1:4000/_next/static/chunks/webpack-1.js",
        "http://127.0.0.1:4000/_next/static/chunks/main-app.js?v=1&x=2",
        "http://127.0.0.1:4000/_next/static/chunks/mod.js",
      ],
      inlineBytes: Buffer.byteLength('self.__next_f.push([1,"abc"])'),
    });
  });

  it("finds nothing in a page without scripts", () => {
    expect(pageScripts("<html><body>plain</body></html>", PAGE)).toEqual({ files: [], inlineBytes: 0 });
  });
});
