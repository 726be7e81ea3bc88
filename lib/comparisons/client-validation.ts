// The submit form's checks, run in the browser before anything is sent. The server's
// rules live in lib/source/url-policy.ts, which needs node:dns and cannot ship to the
// browser; this module repeats its syntax checks with the same messages (the test
// holds the two together). Whatever depends on the server's configuration — local
// repositories, private hosts, which examples exist — is left to the server, so the
// form never refuses what the server would take.

export const SUBMIT_FIELDS = ["repo", "ref", "subdir", "mainPackage"] as const;
export type SubmitField = (typeof SUBMIT_FIELDS)[number];

export type SubmitValues = Record<SubmitField, string>;
export type SubmitErrors = Partial<Record<SubmitField, string>>;

const MAX_URL_LENGTH = 2048;
const REMOTE_SCHEMES = new Set(["https:", "http:", "git:"]);
const EXAMPLE_URL = "https://github.com/owner/repo";
const EXAMPLE_PREFIX = "example:";
const EXAMPLE_NAME = /^[a-z0-9][a-z0-9-]{0,39}$/;

/** The message for each field that is wrong; an empty object when the form may be sent. */
export function validateSubmission(values: SubmitValues): SubmitErrors {
  const errors: SubmitErrors = {};
  const repo = checkRepo(values.repo.trim());
  if (repo) errors.repo = repo;
  const ref = values.ref.trim();
  if (ref) {
    const message = checkRef(ref);
    if (message) errors.ref = message;
  }
  const subdir = values.subdir.trim();
  if (subdir) {
    const message = checkRelative(subdir, "the subdirectory", "services/api");
    if (message) errors.subdir = message;
  }
  const mainPackage = values.mainPackage.trim();
  if (mainPackage) {
    const message = checkRelative(mainPackage, "the main package", "./cmd/server");
    if (message) errors.mainPackage = message;
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

/** url-policy's parseRepo, without the checks that depend on the server's policy. */
export function checkRepo(input: string): string | null {
  if (input.length === 0) return `Enter a repository URL such as ${EXAMPLE_URL}.`;
  if (input.length > MAX_URL_LENGTH) return `The repository URL is longer than ${MAX_URL_LENGTH} characters; shorten it.`;
  if (input.startsWith(EXAMPLE_PREFIX)) {
    const name = input.slice(EXAMPLE_PREFIX.length);
    return EXAMPLE_NAME.test(name) ? null : `There is no bundled example called "${name}".`;
  }
  if (input.startsWith("-")) return `A repository URL cannot start with "-"; use a URL such as ${EXAMPLE_URL}.`;
  if (/^[A-Za-z][A-Za-z0-9+.-]*::/.test(input)) {
    return `Transport helpers ("${input.split("::")[0]}::") are not supported; use an https:// URL such as ${EXAMPLE_URL}.`;
  }
  if (/[\s\p{Cc}\p{Cf}]/u.test(input)) return "Remove the spaces, line breaks or control characters from the repository URL.";
  if (input.includes("\\")) return 'Replace the backslashes ("\\") in the repository URL with "/".';
  if (input.startsWith("/")) return null; // a local path: the server's policy decides

  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(input);
  if (!scheme && /^(https?|git|ssh|file|ftp):/i.test(input)) {
    return `Write the URL with "://" after the scheme, e.g. ${EXAMPLE_URL}.`;
  }
  if (!scheme) {
    const scp = /^(?:[^@/:]+@)?([^/:]+):(.+)$/.exec(input);
    if (scp) {
      const suggestion = `https://${scp[1]}/${scp[2].replace(/^\/+/, "")}`;
      return `SSH addresses like "${input}" are not supported; use the https URL instead, e.g. ${suggestion}.`;
    }
    return `Enter a full repository URL starting with https://, e.g. https://${input.replace(/^\/+/, "")}.`;
  }
  const protocol = `${scheme[1].toLowerCase()}:`;
  const rest = input.slice(scheme[0].length);
  if (protocol === "file:") return null; // a local repository: the server's policy decides
  if (!REMOTE_SCHEMES.has(protocol)) {
    return `"${scheme[1]}://" URLs are not supported; use https://, http:// or git://, e.g. ${EXAMPLE_URL}.`;
  }
  const authority = rest.split(/[/?#]/, 1)[0];
  if (authority.includes("@")) return "Remove the user name or password from the URL; only public repositories can be compared.";
  if (/[?#]/.test(rest)) return 'Remove the "?" query or "#" fragment from the repository URL.';
  let parsed: URL;
  try {
    parsed = new URL(`http://${rest}`);
  } catch {
    return `"${input}" is not a valid URL; use one such as ${EXAMPLE_URL}.`;
  }
  if (parsed.hostname.replace(/^\[(.*)\]$/, "$1").startsWith("-")) return 'A host name cannot start with "-".';
  const segments = parsed.pathname.split("/").filter(Boolean);
  if (segments.length === 0) return `Add the repository path to the URL, e.g. ${EXAMPLE_URL}.`;
  if (segments.some((segment) => segment.startsWith("-"))) return 'A part of the repository path cannot start with "-".';
  return null;
}

/** url-policy's validateRef. */
export function checkRef(ref: string): string | null {
  const ok =
    /^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$/.test(ref) &&
    !/\.\.|@\{|\/\/|\/\./.test(ref) &&
    !ref.endsWith("/") &&
    !ref.endsWith(".") &&
    !ref.endsWith(".lock");
  return ok ? null : `"${ref}" is not a valid branch, tag or commit; use a name such as main or v1.2.0, or a commit SHA.`;
}

/** url-policy's rules for the subdirectory and the main package. */
export function checkRelative(value: string, what: string, example: string): string | null {
  const fail = (why: string) => `${what[0].toUpperCase()}${what.slice(1)} ${why}; use a relative path such as ${example}.`;
  if (value.length === 0 || value.length > 255) return fail("must be 1 to 255 characters");
  if (!/^[A-Za-z0-9._/-]+$/.test(value)) return fail("may only contain letters, digits, '.', '_', '-' and '/'");
  if (value.startsWith("/")) return fail("must not be an absolute path");
  if (value.includes("..")) return fail('must not contain ".."');
  const segments = value.split("/").filter((s) => s !== "" && s !== ".");
  if (segments.some((s) => s.startsWith("-"))) return fail('must not have a part starting with "-"');
  return null;
}
