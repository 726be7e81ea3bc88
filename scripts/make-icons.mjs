// Run as: node scripts/make-icons.mjs public   (writes the icons and favicon.ico in public/)
// Draws Slimstage's icon from one list of shapes: icon.svg, and the same shapes
// rasterised (8x8 supersampling) into PNGs and a favicon.ico holding PNGs. No dependencies.
import { writeFileSync } from "node:fs";
import { deflateSync } from "node:zlib";

const out = process.argv[2] ?? ".";
const ACCENT = [0x0b, 0x63, 0xce];
const WHITE = [255, 255, 255];
// A big image and a slim one, in a 32-unit square.
const shapes = (round) => [
  { x: 0, y: 0, w: 32, h: 32, r: round ? 7 : 0, color: ACCENT, alpha: 1 },
  { x: 5, y: 6, w: 14, h: 20, r: 2, color: WHITE, alpha: 0.4 },
  { x: 22, y: 14, w: 5, h: 12, r: 1.5, color: WHITE, alpha: 1 },
];

const hex = (c) => `#${c.map((v) => v.toString(16).padStart(2, "0")).join("")}`;
function svg(round) {
  const rects = shapes(round).map(({ x, y, w, h, r, color, alpha }) =>
    `  <rect x="${x}" y="${y}" width="${w}" height="${h}"${r ? ` rx="${r}"` : ""} fill="${hex(color)}"${alpha < 1 ? ` fill-opacity="${alpha}"` : ""}/>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">\n${rects.join("\n")}\n</svg>\n`;
}

function inside({ x, y, w, h, r }, px, py) {
  if (px < x || py < y || px > x + w || py > y + h) return false;
  const cx = Math.min(Math.max(px, x + r), x + w - r);
  const cy = Math.min(Math.max(py, y + r), y + h - r);
  return (px - cx) ** 2 + (py - cy) ** 2 <= r * r;
}

function raster(size, round) {
  const list = shapes(round);
  const pixels = Buffer.alloc(size * size * 4);
  const S = 8;
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      let [r, g, b, a] = [0, 0, 0, 0]; // premultiplied sums
      for (let sy = 0; sy < S; sy++) {
        for (let sx = 0; sx < S; sx++) {
          const px = ((i + (sx + 0.5) / S) * 32) / size;
          const py = ((j + (sy + 0.5) / S) * 32) / size;
          let c = [0, 0, 0, 0];
          for (const shape of list) {
            if (!inside(shape, px, py)) continue;
            const k = shape.alpha;
            c = [shape.color[0] * k + c[0] * (1 - k), shape.color[1] * k + c[1] * (1 - k), shape.color[2] * k + c[2] * (1 - k), k + c[3] * (1 - k)];
          }
          r += c[0]; g += c[1]; b += c[2]; a += c[3];
        }
      }
      const n = S * S;
      const o = (j * size + i) * 4;
      pixels[o + 3] = Math.round((a / n) * 255);
      if (a > 0) { pixels[o] = Math.round(r / a); pixels[o + 1] = Math.round(g / a); pixels[o + 2] = Math.round(b / a); }
    }
  }
  return png(size, pixels);
}

const CRC = Array.from({ length: 256 }, (_, n) => { let c = n; for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; return c >>> 0; });
const crc32 = (buf) => { let c = 0xffffffff; for (const byte of buf) c = CRC[(c ^ byte) & 0xff] ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; };
function chunk(type, data) {
  const length = Buffer.alloc(4); length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}
function png(size, pixels) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0); header.writeUInt32BE(size, 4);
  header[8] = 8; header[9] = 6; // 8-bit RGBA
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let j = 0; j < size; j++) pixels.copy(rows, j * (size * 4 + 1) + 1, j * size * 4, (j + 1) * size * 4);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", header), chunk("IDAT", deflateSync(rows, { level: 9 })), chunk("IEND", Buffer.alloc(0))]);
}
function ico(images) {
  const head = Buffer.alloc(6 + 16 * images.length);
  head.writeUInt16LE(1, 2); head.writeUInt16LE(images.length, 4);
  let offset = head.length;
  images.forEach(({ size, data }, n) => {
    const e = 6 + 16 * n;
    head[e] = size % 256; head[e + 1] = size % 256;
    head.writeUInt16LE(1, e + 4); head.writeUInt16LE(32, e + 6);
    head.writeUInt32LE(data.length, e + 8); head.writeUInt32LE(offset, e + 12);
    offset += data.length;
  });
  return Buffer.concat([head, ...images.map((image) => image.data)]);
}

writeFileSync(`${out}/icon.svg`, svg(true));
writeFileSync(`${out}/favicon.ico`, ico([16, 32, 48].map((size) => ({ size, data: raster(size, true) }))));
writeFileSync(`${out}/apple-touch-icon.png`, raster(180, false));
writeFileSync(`${out}/icon-192.png`, raster(192, true));
writeFileSync(`${out}/icon-512.png`, raster(512, true));
