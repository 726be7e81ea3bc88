// Which repositories, refs and paths a comparison may name, on the server. The syntax —
// no option injection, no transport helpers, no credentials — is lib/source/repo-input.ts,
// shared with the browser; this module adds what needs the server's configuration and the
// network: local repositories, private-network and local targets (refused unless
// configured), and the DNS check whose answer the clone is then pinned to, so a name that
// resolves to a public address when checked cannot send git somewhere else a moment later.
import dns from "node:dns";
import net from "node:net";
import path from "node:path";
import { UserError } from "@/lib/errors";
import { isForbiddenAddress } from "./address-policy";
import { readMainPackage, readRef, readRepo, readSubdir, type Checked, type InputProblem } from "./repo-input";

export { isForbiddenAddress };

export interface RepoPolicy {
  allowLocal: boolean;
  allowPrivateHosts: boolean;
}

export type LocalRepo = { kind: "local"; path: string };
export type RemoteRepo = { kind: "remote"; url: string; host: string };
export type RepoLocation = RemoteRepo | LocalRepo | { kind: "example"; name: string };

/** A remote whose host was resolved and checked: the clone connects to these addresses only. */
export type PinnedRemote = RemoteRepo & { addresses: string[] };
/** What cloneRepo takes: a checked remote, or a local path the policy allowed. */
export type CloneSource = PinnedRemote | LocalRepo;

export type HostLookup = (hostname: string, options: { all: true }) => Promise<Array<{ address: string; family: number }>>;

const EXAMPLE_URL = "https://github.com/owner/repo";
const systemLookup: HostLookup = (hostname, options) => dns.promises.lookup(hostname, options);

const invalid = (code: string, message: string, field = "repo") => new UserError(code, message, "invalid", field);
const toError = (problem: InputProblem) => invalid(problem.code, problem.message, problem.field);

function must<T>(read: Checked<T>): T {
  if (!read.ok) throw toError(read.problem);
  return read.value;
}

/** The repository as the server reads it; throws a UserError naming what is wrong. */
export function parseRepo(input: string, policy: RepoPolicy): RepoLocation {
  const repo = must(readRepo(input));
  if (repo.kind === "example") return repo;
  if (repo.kind === "local") {
    if (!policy.allowLocal) {
      throw invalid("LOCAL_REPO_NOT_ALLOWED", `Local repositories are not allowed on this server; use a public URL such as ${EXAMPLE_URL}.`);
    }
    return { kind: "local", path: path.posix.normalize(repo.path) };
  }
  if (!policy.allowPrivateHosts && isPrivateLiteral(repo.host)) {
    throw invalid("FORBIDDEN_HOST", `"${repo.host}" is a local or private-network address; use a public repository host.`);
  }
  return { kind: "remote", url: repo.url, host: repo.host };
}

function isPrivateLiteral(host: string): boolean {
  if (net.isIP(host) !== 0) return isForbiddenAddress(host);
  return host === "localhost" || host.endsWith(".localhost");
}

/**
 * Resolves the host and refuses it when any address is private (a name can point anywhere).
 * Returns the addresses it checked: pin the clone to them (pinRepo does).
 */
export async function checkHost(host: string, policy: RepoPolicy, lookup: HostLookup = systemLookup): Promise<string[]> {
  const name = host.replace(/^\[(.*)\]$/, "$1");
  let addresses: string[];
  if (net.isIP(name) !== 0) {
    addresses = [name];
  } else {
    try {
      addresses = [...new Set((await lookup(name, { all: true })).map((a) => a.address))];
    } catch {
      addresses = [];
    }
  }
  if (addresses.length === 0) {
    throw invalid("UNREACHABLE_HOST", `The host "${name}" could not be found; check the spelling of the repository URL.`);
  }
  if (policy.allowPrivateHosts) return addresses;
  const forbidden = addresses.find((address) => isForbiddenAddress(address));
  if (forbidden) {
    const what = forbidden === name ? `"${name}" is` : `"${name}" points to`;
    throw invalid("FORBIDDEN_HOST", `${what} a local or private-network address (${forbidden}); use a public repository host.`);
  }
  return addresses;
}

/** The clone's source: a remote is resolved once, checked, and pinned to what was checked. */
export async function pinRepo(location: RemoteRepo | LocalRepo, policy: RepoPolicy, lookup: HostLookup = systemLookup): Promise<CloneSource> {
  if (location.kind === "local") return location;
  return { ...location, addresses: await checkHost(location.host, policy, lookup) };
}

export function validateRef(ref: string): string {
  return must(readRef(ref));
}

/** A path inside the repository, made canonical: "./a//b/" -> "a/b", "./" -> ".". */
export function validateSubdir(subdir: string): string {
  return must(readSubdir(subdir));
}

export function validateMainPackage(pkg: string): string {
  return must(readMainPackage(pkg));
}
