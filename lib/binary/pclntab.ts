// Owns reading the function table of a Go binary's .gopclntab section: every function's
// name, where it starts, and how many bytes of machine code it has. The runtime needs this
// table for stack traces, so the linker keeps it even in binaries stripped with
// -ldflags="-s -w"; that is what makes per-package sizes possible on the slim images.
//
// Layout (Go 1.18+, magic 0xfffffff0; 1.20+, 0xfffffff1; see Go's debug/gosym and
// runtime/symtab.go): magic u32, two zero bytes, pc quantum, pointer size, then 8
// pointer-sized words: nfunc, nfiles, textStart, and the offsets (from the table's start)
// of funcnametab, cutab, filetab, pctab and the pcln/functab area. The functab is nfunc+1
// pairs of u32 (entry offset from textStart, offset of the _func record from the functab
// area); the last entry's PC is the end of the text. Each _func starts with entryOff u32,
// nameOff i32 (into funcnametab, NUL-terminated), args, deferreturn, pcsp u32, ...
//
// Sizes: `size` is the distance to the next function's entry, as debug/gosym's Func.End
// gives it (alignment padding included, so sizes add up to the text). `codeSize` is the
// function's own length, the end of its pcsp table: cmd/internal/obj writes every pc-value
// table up to the symbol's size, which is what `go tool nm -size` reports.

export interface GoFunction {
  name: string;
  /** Entry point, as an offset from textStart. */
  entryOffset: number;
  /** Bytes up to the next function (padding included). */
  size: number;
  /** The function's own bytes (no padding); equals size when the table lacks a pcsp. */
  codeSize: number;
}

export interface Pclntab {
  /** "1.18" for Go 1.18-1.19 tables, "1.20" for Go 1.20 and later. */
  format: "1.18" | "1.20";
  ptrSize: number;
  textStart: number;
  functions: GoFunction[];
}

const MAGIC_118 = 0xfffffff0;
const MAGIC_120 = 0xfffffff1;
const PCSP_FIELD = 16; // byte offset of pcsp in _func (Go 1.18+): entryOff, nameOff, args, deferreturn

function readVarint(buf: Buffer, pos: number): [value: number, next: number] {
  let value = 0;
  let shift = 0;
  for (;;) {
    if (pos >= buf.length || shift > 28) throw new RangeError("varint past the end");
    const b = buf[pos++];
    value += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) return [value, pos];
    shift += 7;
  }
}

// The pc at which a pc-value table ends: the pc deltas summed until the 0 terminator
// (only the first entry may have a zero value delta).
function pcTableEnd(pctab: Buffer, off: number, quantum: number): number {
  let pos = off;
  let pc = 0;
  for (let first = true; ; first = false) {
    const [valueDelta, afterValue] = readVarint(pctab, pos);
    if (valueDelta === 0 && !first) return pc;
    const [pcDelta, next] = readVarint(pctab, afterValue);
    pc += pcDelta * quantum;
    pos = next;
  }
}

function cString(buf: Buffer, at: number): string {
  const end = buf.indexOf(0, at);
  return buf.toString("utf8", at, end < 0 ? buf.length : end);
}

/** The function table of a .gopclntab section, or null when it is not a Go 1.18+ table. */
export function parsePclntab(tab: Buffer): Pclntab | null {
  if (tab.length < 8) return null;
  const magic = tab.readUInt32LE(0);
  if (magic !== MAGIC_118 && magic !== MAGIC_120) return null;
  const quantum = tab[6];
  const ptrSize = tab[7];
  if (tab[4] !== 0 || tab[5] !== 0 || ![1, 2, 4].includes(quantum) || (ptrSize !== 4 && ptrSize !== 8)) return null;
  try {
    const word = (i: number): number =>
      ptrSize === 8 ? Number(tab.readBigUInt64LE(8 + i * 8)) : tab.readUInt32LE(8 + i * 4);
    const nfunc = word(0);
    const textStart = word(2);
    const funcnametab = tab.subarray(word(3));
    const pctab = tab.subarray(word(6));
    const pcln = tab.subarray(word(7));
    const entryOf = (i: number) => pcln.readUInt32LE(i * 8);
    const functions: GoFunction[] = [];
    for (let i = 0; i < nfunc; i++) {
      const entryOffset = entryOf(i);
      const size = entryOf(i + 1) - entryOffset;
      const record = pcln.subarray(pcln.readUInt32LE(i * 8 + 4));
      const name = cString(funcnametab, record.readInt32LE(4));
      const pcsp = record.readUInt32LE(PCSP_FIELD);
      let codeSize = size;
      if (pcsp !== 0) {
        const end = pcTableEnd(pctab, pcsp, quantum);
        if (end > 0 && end <= size) codeSize = end;
      }
      functions.push({ name, entryOffset, size, codeSize });
    }
    return { format: magic === MAGIC_120 ? "1.20" : "1.18", ptrSize, textStart, functions };
  } catch (err) {
    if (err instanceof RangeError) return null; // an offset past the end: truncated or corrupt
    throw err;
  }
}
