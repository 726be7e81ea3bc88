// Which repositories, refs and paths a comparison may name. The repository is untrusted
// input that reaches a git command line and the network, so everything here is decided
// before any process starts: no option injection, no transport helpers, no credentials,
// no private-network or local targets unless the server is configured to allow them.
import dns from "node:dns";
import net from "node:net";
import path from "node:path";
import { UserError } from "@/lib/errors";

export interface RepoPolicy {
  allowLocal: boolean;
  allowPrivateHosts: boolean;
}

export type RepoLocation = { kind: "remote"; url: string; host: string } | { kind: "local"; path: string };

const MAX_URL_LENGTH = 2048;
const REMOTE_SCHEMES = new Set(["https:", "http:", "git:"]);
const EXAMPLE_URL = "https://github.com/owner/repo";

const invalid = (code: string, message: string, field = "repo") => new UserError(code, message, "invalid", field);

export function parseRepo(input: string, policy: RepoPolicy): RepoLocation {
  if (input.length === 0) throw invalid("INVALID_URL", `Enter a repository URL such as ${EXAMPLE_URL}.`);
  if (input.length > MAX_URL_LENGTH) throw invalid("INVALID_URL", `The repository URL is longer than ${MAX_URL_LENGTH} characters; shorten it.`);
  if (input.startsWith("-")) throw invalid("OPTION_INJECTION", `A repository URL cannot start with "-"; use a URL such as ${EXAMPLE_URL}.`);
  // git's "<transport>::<address>" syntax runs helpers such as ext:: (an arbitrary command).
  if (/^[A-Za-z][A-Za-z0-9+.-]*::/.test(input)) {
    throw invalid("UNSUPPORTED_SCHEME", `Transport helpers ("${input.split("::")[0]}::") are not supported; use an https:// URL such as ${EXAMPLE_URL}.`);
  }
  // Spaces and line breaks are how a second argument or a second config line is smuggled in.
  if (/[\s\p{Cc}\p{Cf}]/u.test(input)) throw invalid("INVALID_URL", "Remove the spaces, line breaks or control characters from the repository URL.");
  if (input.includes("\\")) throw invalid("INVALID_URL", 'Replace the backslashes ("\\") in the repository URL with "/".');
  if (input.startsWith("/")) return localRepo(path.posix.normalize(input), policy);

  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(input);
  if (!scheme && /^(https?|git|ssh|file|ftp):/i.test(input)) {
    throw invalid("INVALID_URL", `Write the URL with "://" after the scheme, e.g. ${EXAMPLE_URL}.`);
  }
  if (!scheme) {
    // git reads "host:path" (with or without "user@") as ssh, which needs keys we do not have.
    const scp = /^(?:[^@/:]+@)?([^/:]+):(.+)$/.exec(input);
    if (scp) {
      const suggestion = `https://${scp[1]}/${scp[2].replace(/^\/+/, "")}`;
      throw invalid("UNSUPPORTED_SCHEME", `SSH addresses like "${input}" are not supported; use the https URL instead, e.g. ${suggestion}.`);
    }
    throw invalid("INVALID_URL", `Enter a full repository URL starting with https://, e.g. https://${input.replace(/^\/+/, "")}.`);
  }
  const protocol = `${scheme[1].toLowerCase()}:`;
  const rest = input.slice(scheme[0].length);
  if (protocol === "file:") return localRepo(fileUrlPath(input), policy);
  if (!REMOTE_SCHEMES.has(protocol)) {
    throw invalid("UNSUPPORTED_SCHEME", `"${scheme[1]}://" URLs are not supported; use https://, http:// or git://, e.g. ${EXAMPLE_URL}.`);
  }
  const authority = rest.split(/[/?#]/, 1)[0];
  if (authority.includes("@")) {
    throw invalid("CREDENTIALS_IN_URL", "Remove the user name or password from the URL; only public repositories can be compared.");
  }
  if (/[?#]/.test(rest)) throw invalid("INVALID_URL", 'Remove the "?" query or "#" fragment from the repository URL.');

  // Parsed as http even for git:// because only special schemes get WHATWG host parsing,
  // which turns 2130706433, 0x7f.1 and 0177.0.0.1 into the dotted address git would dial.
  let parsed: URL;
  try {
    parsed = new URL(`http://${rest}`);
  } catch {
    throw invalid("INVALID_URL", `"${input}" is not a valid URL; use one such as ${EXAMPLE_URL}.`);
  }
  const host = parsed.hostname.replace(/^\[(.*)\]$/, "$1");
  if (host.startsWith("-")) throw invalid("OPTION_INJECTION", 'A host name cannot start with "-".');
  const segments = parsed.pathname.split("/").filter(Boolean);
  if (segments.length === 0) throw invalid("INVALID_URL", `Add the repository path to the URL, e.g. ${EXAMPLE_URL}.`);
  if (segments.some((segment) => segment.startsWith("-"))) throw invalid("OPTION_INJECTION", 'A part of the repository path cannot start with "-".');
  if (!policy.allowPrivateHosts && isPrivateLiteral(host)) {
    throw invalid("FORBIDDEN_HOST", `"${host}" is a local or private-network address; use a public repository host.`);
  }
  const port = parsed.port ? `:${parsed.port}` : "";
  return { kind: "remote", url: `${protocol}//${parsed.hostname}${port}${parsed.pathname.replace(/\/+$/, "")}`, host };
}

function isPrivateLiteral(host: string): boolean {
  if (net.isIP(host) !== 0) return isForbiddenAddress(host);
  return host === "localhost" || host.endsWith(".localhost");
}

function fileUrlPath(input: string): string {
  let parsed: URL;
  try {
    parsed = new URL(input);
  } catch {
    throw invalid("INVALID_URL", `"${input}" is not a valid file:// URL.`);
  }
  if (parsed.hostname !== "" && parsed.hostname !== "localhost") throw invalid("INVALID_URL", "A file:// URL cannot name another host.");
  return path.posix.normalize(decodeURIComponent(parsed.pathname));
}

function localRepo(localPath: string, policy: RepoPolicy): RepoLocation {
  if (!policy.allowLocal) {
    throw invalid("LOCAL_REPO_NOT_ALLOWED", `Local repositories are not allowed on this server; use a public URL such as ${EXAMPLE_URL}.`);
  }
  return { kind: "local", path: localPath };
}

// [first address, prefix length] per blocked IPv4 range.
const FORBIDDEN_V4: Array<[string, number]> = [
  ["0.0.0.0", 8], // "this network", includes the unspecified address
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // carrier-grade NAT, often a private overlay network
  ["127.0.0.0", 8],
  ["169.254.0.0", 16], // link-local, where cloud metadata services live
  ["172.16.0.0", 12],
  ["192.168.0.0", 16],
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved and broadcast
];

/** True for any address a server-side fetch must not reach; also for anything that is not an IP. */
export function isForbiddenAddress(ip: string): boolean {
  const address = ip.replace(/^\[(.*)\]$/, "$1").replace(/%.*$/, "");
  if (net.isIPv4(address)) {
    const value = ipv4ToInt(address);
    return FORBIDDEN_V4.some(([base, bits]) => (value >>> (32 - bits)) === (ipv4ToInt(base) >>> (32 - bits)));
  }
  if (!net.isIPv6(address)) return true;
  const words = ipv6Words(address);
  const embedded = `${words[6] >> 8}.${words[6] & 255}.${words[7] >> 8}.${words[7] & 255}`;
  const zeroPrefix = words.slice(0, 5).every((w) => w === 0);
  // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) reach the IPv4 address.
  if (zeroPrefix && (words[5] === 0xffff || words[5] === 0)) return words.every((w) => w === 0) || isForbiddenAddress(embedded);
  if (words[0] === 0x64 && words[1] === 0xff9b && words.slice(2, 6).every((w) => w === 0)) return isForbiddenAddress(embedded);
  return (
    (words[0] & 0xffc0) === 0xfe80 || // link-local
    (words[0] & 0xfe00) === 0xfc00 || // unique-local
    (words[0] & 0xff00) === 0xff00 // multicast
  );
}

function ipv4ToInt(ip: string): number {
  return ip.split(".").reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

function ipv6Words(ip: string): number[] {
  let text = ip;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const n = ipv4ToInt(v4[1]);
    text = `${text.slice(0, v4.index)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head, tail] = text.includes("::") ? text.split("::") : [text, undefined];
  const parse = (part: string | undefined) => (part ? part.split(":").map((w) => parseInt(w, 16)) : []);
  const left = parse(head);
  const right = parse(tail);
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

type Lookup = (hostname: string, options: { all: true }) => Promise<Array<{ address: string; family: number }>>;

/** Resolves the host and refuses it when any address is private (a name can point anywhere). */
export async function checkHost(host: string, policy: RepoPolicy, lookup: Lookup = (h, o) => dns.promises.lookup(h, o)): Promise<void> {
  const name = host.replace(/^\[(.*)\]$/, "$1");
  let addresses: Array<{ address: string }>;
  try {
    addresses = await lookup(name, { all: true });
  } catch {
    addresses = [];
  }
  if (addresses.length === 0) {
    throw invalid("UNREACHABLE_HOST", `The host "${name}" could not be found; check the spelling of the repository URL.`);
  }
  if (policy.allowPrivateHosts) return;
  const forbidden = addresses.find((a) => isForbiddenAddress(a.address));
  if (forbidden) {
    throw invalid("FORBIDDEN_HOST", `"${name}" points to a local or private-network address (${forbidden.address}); use a public repository host.`);
  }
}

export function validateRef(ref: string): string {
  const ok =
    /^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$/.test(ref) &&
    !/\.\.|@\{|\/\/|\/\./.test(ref) &&
    !ref.endsWith("/") &&
    !ref.endsWith(".") &&
    !ref.endsWith(".lock");
  if (!ok) {
    throw invalid("INVALID_REF", `"${ref}" is not a valid branch, tag or commit; use a name such as main or v1.2.0, or a commit SHA.`, "ref");
  }
  return ref;
}

export function validateSubdir(subdir: string): string {
  return normalizeRelative(subdir, "INVALID_SUBDIR", "subdir", "the subdirectory", "services/api");
}

export function validateMainPackage(pkg: string): string {
  const normalized = normalizeRelative(pkg, "INVALID_MAIN_PACKAGE", "mainPackage", "the main package", "./cmd/server");
  return normalized === "." ? "." : `./${normalized}`;
}

/** A path inside the module, made canonical: "./a//b/" -> "a/b", "./" -> ".". */
function normalizeRelative(value: string, code: string, field: string, what: string, example: string): string {
  const fail = (why: string) => invalid(code, `${what[0].toUpperCase()}${what.slice(1)} ${why}; use a relative path such as ${example}.`, field);
  if (value.length === 0 || value.length > 255) throw fail("must be 1 to 255 characters");
  if (!/^[A-Za-z0-9._/-]+$/.test(value)) throw fail("may only contain letters, digits, '.', '_', '-' and '/'");
  if (value.startsWith("/")) throw fail("must not be an absolute path");
  if (value.includes("..")) throw fail('must not contain ".."');
  const segments = value.split("/").filter((s) => s !== "" && s !== ".");
  if (segments.some((s) => s.startsWith("-"))) throw fail('must not have a part starting with "-"');
  return segments.length === 0 ? "." : segments.join("/");
}
