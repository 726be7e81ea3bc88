// The static files a deployed site has (public/): browsers ask for /favicon.ico on their
// own, crawlers for /robots.txt, installers for the manifest. Each must answer 200 with
// its type, be what its name says (an .ico holding PNGs, a manifest naming icons that
// exist), and be linked from every page's head.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "./app-server";

let app: AppServer;

beforeAll(async () => {
  app = await startAppServer({ SLIMSTAGE_WORKER: "off" });
});

afterAll(async () => {
  await app?.stop();
});

async function get(path: string): Promise<{ status: number; type: string; body: Buffer }> {
  const response = await fetch(`${app.url}${path}`);
  return { status: response.status, type: response.headers.get("content-type") ?? "", body: Buffer.from(await response.arrayBuffer()) };
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe("static files", () => {
  it("serves /favicon.ico as an icon file whose images are PNGs, 32x32 among them", async () => {
    const { status, type, body } = await get("/favicon.ico");
    expect(status).toBe(200);
    expect(type).toMatch(/^image\/(x-icon|vnd\.microsoft\.icon)/);
    // ICONDIR: reserved 0, type 1 (icon), then one 16-byte entry per image.
    expect(body.readUInt16LE(0)).toBe(0);
    expect(body.readUInt16LE(2)).toBe(1);
    const count = body.readUInt16LE(4);
    expect(count).toBeGreaterThan(0);
    const sizes: number[] = [];
    for (let n = 0; n < count; n++) {
      const entry = 6 + 16 * n;
      sizes.push(body[entry]);
      const offset = body.readUInt32LE(entry + 12);
      expect(body.subarray(offset, offset + 8).equals(PNG_SIGNATURE)).toBe(true);
    }
    expect(sizes).toContain(32);
  });

  it("serves /robots.txt: pages allowed, the API not", async () => {
    const { status, type, body } = await get("/robots.txt");
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/plain/);
    const lines = body.toString("utf8").split("\n").map((line) => line.trim());
    expect(lines).toContain("User-agent: *");
    expect(lines).toContain("Disallow: /api/");
    expect(lines).not.toContain("Disallow: /");
  });

  it("serves /site.webmanifest naming icons that are served too", async () => {
    const { status, type, body } = await get("/site.webmanifest");
    expect(status).toBe(200);
    expect(type).toMatch(/^application\/(manifest\+json|json)/);
    const manifest = JSON.parse(body.toString("utf8")) as { name: string; theme_color: string; icons: { src: string; type: string }[] };
    expect(manifest.name).toBe("Slimstage");
    expect(manifest.theme_color).toMatch(/^#[0-9a-f]{6}$/i);
    expect(manifest.icons.length).toBeGreaterThan(0);
    for (const icon of manifest.icons) {
      const served = await get(icon.src);
      expect(served.status, icon.src).toBe(200);
      expect(served.type, icon.src).toContain(icon.type);
    }
  });

  it("serves the SVG icon and the 180x180 apple-touch-icon", async () => {
    const svg = await get("/icon.svg");
    expect(svg.status).toBe(200);
    expect(svg.type).toMatch(/^image\/svg\+xml/);
    expect(svg.body.toString("utf8")).toContain("<svg");
    const apple = await get("/apple-touch-icon.png");
    expect(apple.status).toBe(200);
    expect(apple.type).toMatch(/^image\/png/);
    expect(apple.body.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    // IHDR's width and height follow the signature, the chunk length and its name.
    expect([apple.body.readUInt32BE(16), apple.body.readUInt32BE(20)]).toEqual([180, 180]);
  });

  it("links the icons and the manifest from the page head", async () => {
    const { status, body } = await get("/");
    expect(status).toBe(200);
    const html = body.toString("utf8");
    expect(html).toMatch(/<link rel="icon" href="\/favicon.ico"/);
    expect(html).toMatch(/<link rel="icon" href="\/icon.svg"/);
    expect(html).toMatch(/<link rel="apple-touch-icon" href="\/apple-touch-icon.png"/);
    expect(html).toMatch(/<link rel="manifest" href="\/site.webmanifest"/);
    expect(html).toMatch(/<meta name="theme-color" content="#0b63ce"/);
  });
});
