// Owns reading an ELF64 little-endian file's section headers from a Buffer: the only
// structure of the file the binary analysis needs (where .text, .gopclntab and
// .go.buildinfo are). Go's linker writes ELF64 LE for linux/amd64 and linux/arm64, the
// targets images are built for. Anything else (32-bit, big-endian, truncated) is "not an
// ELF we read", answered with null rather than an exception: the caller is looking at
// arbitrary files from an image layer.

export interface ElfSection {
  name: string;
  /** sh_type: 1 PROGBITS, 8 NOBITS (.bss: occupies memory, not file bytes), ... */
  type: number;
  /** Where the section's bytes start in the file. */
  offset: number;
  /** Its size in memory; in the file too, unless type is NOBITS. */
  size: number;
  /** Its virtual address once loaded (0 for sections that are not loaded). */
  addr: number;
}

export interface ElfFile {
  sections: ElfSection[];
}

export const SHT_NOBITS = 8;

const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46]; // "\x7fELF"
const ELFCLASS64 = 2;
const ELFDATA2LSB = 1;
const HEADER_SIZE = 64;
const SECTION_HEADER_SIZE = 64;

/** Whether a file starts like an ELF file (its first 4 bytes), so a reader can decide to keep it. */
export function isElf(head: Buffer): boolean {
  return head.length >= 4 && ELF_MAGIC.every((b, i) => head[i] === b);
}

// Offsets in a Go binary fit easily in 2^53; a larger value means a corrupt header.
function u64(buf: Buffer, at: number): number {
  const v = buf.readBigUInt64LE(at);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError("64-bit value out of range");
  return Number(v);
}

function cString(buf: Buffer, at: number, end: number): string {
  let stop = at;
  while (stop < end && buf[stop] !== 0) stop++;
  return buf.toString("latin1", at, stop);
}

/** The section headers of an ELF64 little-endian file, or null when bytes are not one. */
export function parseElf(bytes: Buffer): ElfFile | null {
  if (bytes.length < HEADER_SIZE || !isElf(bytes)) return null;
  if (bytes[4] !== ELFCLASS64 || bytes[5] !== ELFDATA2LSB) return null;
  try {
    const shoff = u64(bytes, 0x28);
    const shentsize = bytes.readUInt16LE(0x3a);
    const shnum = bytes.readUInt16LE(0x3c);
    const shstrndx = bytes.readUInt16LE(0x3e);
    if (shoff === 0 || shnum === 0) return { sections: [] };
    if (shentsize < SECTION_HEADER_SIZE || shoff + shnum * shentsize > bytes.length) return null;
    const raw = Array.from({ length: shnum }, (_, i) => {
      const at = shoff + i * shentsize;
      return {
        nameOff: bytes.readUInt32LE(at),
        type: bytes.readUInt32LE(at + 4),
        addr: u64(bytes, at + 16),
        offset: u64(bytes, at + 24),
        size: u64(bytes, at + 32),
      };
    });
    const names = raw[shstrndx];
    if (!names || names.type === SHT_NOBITS || names.offset + names.size > bytes.length) return null;
    const namesEnd = names.offset + names.size;
    return {
      sections: raw.map((s) => ({
        name: s.nameOff < names.size ? cString(bytes, names.offset + s.nameOff, namesEnd) : "",
        type: s.type,
        offset: s.offset,
        size: s.size,
        addr: s.addr,
      })),
    };
  } catch (err) {
    if (err instanceof RangeError) return null; // a read past the end: truncated or corrupt
    throw err;
  }
}

/** A section's bytes in the file (empty for NOBITS), or null when the file does not hold them. */
export function sectionBytes(bytes: Buffer, section: ElfSection): Buffer | null {
  if (section.type === SHT_NOBITS) return Buffer.alloc(0);
  if (section.offset + section.size > bytes.length) return null;
  return bytes.subarray(section.offset, section.offset + section.size);
}

/** The named section, or undefined. */
export function findSection(elf: ElfFile, name: string): ElfSection | undefined {
  return elf.sections.find((s) => s.name === name);
}
