// What a comparison's repository, ref, subdirectory and main package may look like, with
// the words a person sees when they do not. One set of rules for the browser (the submit
// form) and the server (lib/source/url-policy.ts): pure, no node: imports, so a "use client"
// component can import it. What depends on the server's configuration or the network —
// local repositories allowed or not, private hosts, DNS, which examples exist — is left to
// url-policy.ts, so the form never refuses what the server would take.

export const SUBMIT_FIELDS = ["repo", "ref", "subdir", "mainPackage"] as const;
export type SubmitField = (typeof SUBMIT_FIELDS)[number];
export type SubmitValues = Record<SubmitField, string>;
export type SubmitErrors = Partial<Record<SubmitField, string>>;

export interface InputProblem {
  code: string;
  message: string;
  field: SubmitField;
}
export type Checked<T> = { ok: true; value: T } | { ok: false; problem: InputProblem };

export type RepoInput =
  | { kind: "example"; name: string }
  /** An absolute path as written (a file:// URL decoded); the server normalises it and decides. */
  | { kind: "local"; path: string }
  /** url: scheme and host lower-cased, explicit port kept unless it is http(s)'s own default. */
  | { kind: "remote"; url: string; host: string };

export const EXAMPLE_PREFIX = "example:";
/** The names of bundled examples (folders under examples/). */
export const EXAMPLE_NAME = /^[a-z0-9][a-z0-9-]{0,39}$/;
export const MAX_URL_LENGTH = 2048;
const EXAMPLE_URL = "https://github.com/owner/repo";
const DEFAULT_PORTS: Record<string, string> = { "https:": "443", "http:": "80" };

const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
const problem = (code: string, message: string, field: SubmitField = "repo"): { ok: false; problem: InputProblem } => ({
  ok: false,
  problem: { code, message, field },
});

export function readRepo(input: string): Checked<RepoInput> {
  if (input.length === 0) return problem("INVALID_URL", `Enter a repository URL such as ${EXAMPLE_URL}.`);
  if (input.length > MAX_URL_LENGTH) return problem("INVALID_URL", `The repository URL is longer than ${MAX_URL_LENGTH} characters; shorten it.`);
  if (input.startsWith(EXAMPLE_PREFIX)) {
    const name = input.slice(EXAMPLE_PREFIX.length);
    return EXAMPLE_NAME.test(name) ? ok({ kind: "example", name }) : problem("UNKNOWN_EXAMPLE", `There is no bundled example called "${name}".`);
  }
  if (input.startsWith("-")) return problem("OPTION_INJECTION", `A repository URL cannot start with "-"; use a URL such as ${EXAMPLE_URL}.`);
  // git's "<transport>::<address>" syntax runs helpers such as ext:: (an arbitrary command).
  if (/^[A-Za-z][A-Za-z0-9+.-]*::/.test(input)) {
    return problem("UNSUPPORTED_SCHEME", `Transport helpers ("${input.split("::")[0]}::") are not supported; use an https:// URL such as ${EXAMPLE_URL}.`);
  }
  // Spaces and line breaks are how a second argument or a second config line is smuggled in.
  if (/[\s\p{Cc}\p{Cf}]/u.test(input)) return problem("INVALID_URL", "Remove the spaces, line breaks or control characters from the repository URL.");
  if (input.includes("\\")) return problem("INVALID_URL", 'Replace the backslashes ("\\") in the repository URL with "/".');
  if (input.startsWith("/")) return ok({ kind: "local", path: input });

  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(input);
  if (!scheme && /^(https?|git|ssh|file|ftp):/i.test(input)) {
    return problem("INVALID_URL", `Write the URL with "://" after the scheme, e.g. ${EXAMPLE_URL}.`);
  }
  if (!scheme) {
    // git reads "host:path" (with or without "user@") as ssh, which needs keys we do not have.
    const scp = /^(?:[^@/:]+@)?([^/:]+):(.+)$/.exec(input);
    if (scp) {
      const suggestion = `https://${scp[1]}/${scp[2].replace(/^\/+/, "")}`;
      return problem("UNSUPPORTED_SCHEME", `SSH addresses like "${input}" are not supported; use the https URL instead, e.g. ${suggestion}.`);
    }
    return problem("INVALID_URL", `Enter a full repository URL starting with https://, e.g. https://${input.replace(/^\/+/, "")}.`);
  }
  const protocol = `${scheme[1].toLowerCase()}:`;
  const rest = input.slice(scheme[0].length);
  if (protocol === "file:") return fileUrl(input);
  if (protocol !== "https:" && protocol !== "http:" && protocol !== "git:") {
    return problem("UNSUPPORTED_SCHEME", `"${scheme[1]}://" URLs are not supported; use https://, http:// or git://, e.g. ${EXAMPLE_URL}.`);
  }
  const authority = rest.split(/[/?#]/, 1)[0];
  if (authority.includes("@")) {
    return problem("CREDENTIALS_IN_URL", "Remove the user name or password from the URL; only public repositories can be compared.");
  }
  if (/[?#]/.test(rest)) return problem("INVALID_URL", 'Remove the "?" query or "#" fragment from the repository URL.');

  // Parsed as http even for git:// because only special schemes get WHATWG host parsing,
  // which turns 2130706433, 0x7f.1 and 0177.0.0.1 into the dotted address git would dial.
  let parsed: URL;
  try {
    parsed = new URL(`http://${rest}`);
  } catch {
    return problem("INVALID_URL", `"${input}" is not a valid URL; use one such as ${EXAMPLE_URL}.`);
  }
  const host = parsed.hostname.replace(/^\[(.*)\]$/, "$1");
  if (host.startsWith("-")) return problem("OPTION_INJECTION", 'A host name cannot start with "-".');
  const segments = parsed.pathname.split("/").filter(Boolean);
  if (segments.length === 0) return problem("INVALID_URL", `Add the repository path to the URL, e.g. ${EXAMPLE_URL}.`);
  if (segments.some((segment) => segment.startsWith("-"))) return problem("OPTION_INJECTION", 'A part of the repository path cannot start with "-".');
  const port = writtenPort(authority, parsed);
  const portPart = port === null || DEFAULT_PORTS[protocol] === port ? "" : `:${port}`;
  return ok({ kind: "remote", url: `${protocol}//${parsed.hostname}${portPart}${parsed.pathname.replace(/\/+$/, "")}`, host });
}

// The http parse above drops ":80" as http's default, but "https://h:80/x" and
// "git://h:80/x" mean port 80: the port comes from what was written.
function writtenPort(authority: string, parsed: URL): string | null {
  if (parsed.port !== "") return parsed.port;
  const written = /:(\d+)$/.exec(authority.replace(/^\[[^\]]*\]/, ""));
  return written ? String(Number(written[1])) : null;
}

function fileUrl(input: string): Checked<RepoInput> {
  try {
    const parsed = new URL(input);
    if (parsed.hostname !== "" && parsed.hostname !== "localhost") return problem("INVALID_URL", "A file:// URL cannot name another host.");
    return ok({ kind: "local", path: decodeURIComponent(parsed.pathname) });
  } catch {
    return problem("INVALID_URL", `"${input}" is not a valid file:// URL.`);
  }
}

export function readRef(ref: string): Checked<string> {
  const valid =
    /^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$/.test(ref) &&
    !/\.\.|@\{|\/\/|\/\./.test(ref) &&
    !ref.endsWith("/") &&
    !ref.endsWith(".") &&
    !ref.endsWith(".lock");
  if (valid) return ok(ref);
  return problem("INVALID_REF", `"${ref}" is not a valid branch, tag or commit; use a name such as main or v1.2.0, or a commit SHA.`, "ref");
}

/** A folder inside the repository, made canonical: "./a//b/" -> "a/b", "./" -> ".". */
export function readSubdir(subdir: string): Checked<string> {
  return readRelative(subdir, "INVALID_SUBDIR", "subdir", "The subdirectory", "services/api");
}

/** A package inside the module, as go build takes it: "cmd/x/" -> "./cmd/x", "./" -> ".". */
export function readMainPackage(pkg: string): Checked<string> {
  const read = readRelative(pkg, "INVALID_MAIN_PACKAGE", "mainPackage", "The main package", "./cmd/server");
  return read.ok && read.value !== "." ? ok(`./${read.value}`) : read;
}

function readRelative(value: string, code: string, field: SubmitField, what: string, example: string): Checked<string> {
  const fail = (why: string) => problem(code, `${what} ${why}; use a relative path such as ${example}.`, field);
  if (value.length === 0 || value.length > 255) return fail("must be 1 to 255 characters");
  if (!/^[A-Za-z0-9._/-]+$/.test(value)) return fail("may only contain letters, digits, '.', '_', '-' and '/'");
  if (value.startsWith("/")) return fail("must not be an absolute path");
  if (value.includes("..")) return fail('must not contain ".."');
  const segments = value.split("/").filter((s) => s !== "" && s !== ".");
  if (segments.some((s) => s.startsWith("-"))) return fail('must not have a part starting with "-"');
  return ok(segments.length === 0 ? "." : segments.join("/"));
}

/** The form's check: a message for each wrong field; an empty object when it may be sent. */
export function validateSubmission(values: SubmitValues): SubmitErrors {
  const errors: SubmitErrors = {};
  const readers: Record<SubmitField, (value: string) => Checked<unknown>> = {
    repo: readRepo,
    ref: readRef,
    subdir: readSubdir,
    mainPackage: readMainPackage,
  };
  for (const field of SUBMIT_FIELDS) {
    const value = values[field].trim();
    if (value === "" && field !== "repo") continue;
    const read = readers[field](value);
    if (!read.ok) errors[field] = read.problem.message;
  }
  return errors;
}

/** The POST body: trimmed values, empty optional fields left out. */
export function submissionBody(values: SubmitValues): Partial<SubmitValues> & { repo: string } {
  const body: Partial<SubmitValues> & { repo: string } = { repo: values.repo.trim() };
  for (const field of ["ref", "subdir", "mainPackage"] as const) {
    const value = values[field].trim();
    if (value) body[field] = value;
  }
  return body;
}
