// Owns reading the build information every Go binary (Go 1.18+) embeds in its
// .go.buildinfo section: the toolchain version and the module list `go version -m`
// prints. The layout follows Go's debug/buildinfo: a 32-byte header (14-byte magic
// "\xff Go buildinf:", pointer size, flags), then, when flags has 0x2 ("inline strings",
// every Go since 1.18), two varint-length-prefixed strings: the version and the modinfo.
// Older binaries keep pointers there instead; we answer null for them rather than chase
// virtual addresses. The modinfo text is runtime/debug.BuildInfo.String() framed by two
// 16-byte sentinels, which are not UTF-8 and are cut off as bytes before decoding.

export interface GoModule {
  path: string;
  version: string;
  sum?: string;
  /** A `replace` directive's target (a local directory has an empty version). */
  replace?: { path: string; version: string };
}

export interface GoBuildInfo {
  /** The toolchain, e.g. "go1.23.4". */
  goVersion: string;
  /** The main package's import path ("command-line-arguments" for `go build file.go`). */
  mainPackagePath: string;
  /** Empty path when the binary was built outside a module. */
  mainModule: { path: string; version: string };
  deps: GoModule[];
  /** Build settings in order: -buildmode, -ldflags, CGO_ENABLED, GOOS, vcs.revision, ... */
  settings: Record<string, string>;
}

/** What starts Go's build information: a file holding it is a Go binary (every one since Go 1.13, stripped or not). */
export const GO_BUILDINFO_MAGIC = Buffer.concat([Buffer.from([0xff]), Buffer.from(" Go buildinf:", "latin1")]);
const MAGIC = GO_BUILDINFO_MAGIC;
const HEADER_SIZE = 32;
const FLAGS_VERSION_INLINE = 0x2;
const SENTINEL = 16;

function readVarintString(buf: Buffer, at: number): { value: Buffer; next: number } | null {
  let length = 0;
  let shift = 0;
  let pos = at;
  for (;;) {
    if (pos >= buf.length || shift > 35) return null;
    const b = buf[pos++];
    length += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) break;
    shift += 7;
  }
  if (pos + length > buf.length) return null;
  return { value: buf.subarray(pos, pos + length), next: pos + length };
}

/** Version and modinfo text from the .go.buildinfo section's bytes, or null. */
export function readBuildInfoSection(section: Buffer): { goVersion: string; modinfo: string } | null {
  if (section.length < HEADER_SIZE || !section.subarray(0, MAGIC.length).equals(MAGIC)) return null;
  if ((section[15] & FLAGS_VERSION_INLINE) === 0) return null;
  const version = readVarintString(section, HEADER_SIZE);
  if (!version) return null;
  const mod = readVarintString(section, version.next);
  if (!mod) return null;
  let modinfo = mod.value;
  // As debug/buildinfo: the closing sentinel starts right after the text's last newline.
  if (modinfo.length >= 2 * SENTINEL + 1 && modinfo[modinfo.length - SENTINEL - 1] === 0x0a) {
    modinfo = modinfo.subarray(SENTINEL, modinfo.length - SENTINEL);
  } else {
    modinfo = Buffer.alloc(0);
  }
  return { goVersion: version.value.toString("utf8"), modinfo: modinfo.toString("utf8") };
}

// strconv.Quote output (or a raw `...` string) back to text. Go escapes are a superset of
// what JSON reads, so the common ones are mapped and \x / \u / octal decoded by hand.
export function unquoteGo(s: string): string {
  if (s.length >= 2 && s.startsWith("`") && s.endsWith("`")) return s.slice(1, -1);
  if (s.length < 2 || !s.startsWith('"') || !s.endsWith('"')) return s;
  const simple: Record<string, string> = { a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\\": "\\", '"': '"', "'": "'" };
  return s.slice(1, -1).replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{3}|.)/g, (_, esc: string) => {
    if (esc.length === 1) return simple[esc] ?? esc;
    if (/^[0-7]{3}$/.test(esc)) return String.fromCharCode(parseInt(esc, 8));
    return String.fromCodePoint(parseInt(esc.slice(1), 16));
  });
}

function parseSetting(kv: string): [string, string] | null {
  let key: string;
  let rawValue: string;
  const quoted = /^("(?:[^"\\]|\\.)*"|`[^`]*`)=/.exec(kv);
  if (quoted) {
    key = unquoteGo(quoted[1]);
    rawValue = kv.slice(quoted[0].length);
  } else {
    const eq = kv.indexOf("=");
    if (eq <= 0) return null;
    key = kv.slice(0, eq);
    rawValue = kv.slice(eq + 1);
  }
  return [key, unquoteGo(rawValue)];
}

/** Parses the modinfo text (runtime/debug.ParseBuildInfo's format) into a GoBuildInfo. */
export function parseModinfo(goVersion: string, modinfo: string): GoBuildInfo {
  const info: GoBuildInfo = { goVersion, mainPackagePath: "", mainModule: { path: "", version: "" }, deps: [], settings: {} };
  let last: GoModule | null = null;
  for (const line of modinfo.split("\n")) {
    const tab = line.indexOf("\t");
    if (tab < 0) continue;
    const word = line.slice(0, tab);
    const rest = line.slice(tab + 1);
    const cols = rest.split("\t");
    if (word === "path") info.mainPackagePath = rest;
    else if (word === "mod") {
      info.mainModule = { path: cols[0] ?? "", version: cols[1] ?? "" };
      last = null;
    } else if (word === "dep") {
      last = { path: cols[0] ?? "", version: cols[1] ?? "" };
      if (cols[2]) last.sum = cols[2];
      info.deps.push(last);
    } else if (word === "=>") {
      if (last) last.replace = { path: cols[0] ?? "", version: cols[1] ?? "" };
      last = null;
    } else if (word === "build") {
      const setting = parseSetting(rest);
      if (setting) info.settings[setting[0]] = setting[1];
    }
  }
  return info;
}

/** The build information of a Go binary's .go.buildinfo section, or null. */
export function parseBuildInfo(section: Buffer): GoBuildInfo | null {
  const raw = readBuildInfoSection(section);
  return raw ? parseModinfo(raw.goVersion, raw.modinfo) : null;
}
