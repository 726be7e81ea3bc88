// Pure: image references as Docker reads them ("golang" is docker.io/library/golang:latest)
// and the operator's patterns for the base images a repository's own Dockerfile may pull
// (SLIMSTAGE_REPO_BASES, e.g. "golang:*, alpine:*, gcr.io/distroless/*").

const COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
const DOMAIN_PART = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const DOMAIN = `(?:${DOMAIN_PART}(?:\\.${DOMAIN_PART})*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?`;
const TAG = "[\\w][\\w.-]{0,127}";
const DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
const REFERENCE = new RegExp(`^((?:${DOMAIN}/)?${COMPONENT}(?:/${COMPONENT})*)(?::(${TAG}))?(?:@(${DIGEST}))?$`);

export interface ImageRef {
  domain: string;
  path: string;
  tag: string | null;
  digest: string | null;
}

/** The parts of a reference, with Docker Hub's defaults filled in; null when it is not one. */
export function parseImageRef(ref: string): ImageRef | null {
  const match = REFERENCE.exec(ref);
  if (!match || match[1].length > 255) return null;
  const name = match[1];
  const slash = name.indexOf("/");
  const first = slash < 0 ? "" : name.slice(0, slash);
  // Docker's rule: the first part is a registry only if it looks like a host.
  const hasDomain = slash >= 0 && (/[.:]/.test(first) || first === "localhost" || first !== first.toLowerCase());
  let domain = hasDomain ? first : "docker.io";
  let path = hasDomain ? name.slice(slash + 1) : name;
  if (domain === "index.docker.io") domain = "docker.io";
  if (domain === "docker.io" && !path.includes("/")) path = `library/${path}`;
  return { domain, path, tag: match[2] ?? null, digest: match[3] ?? null };
}

/** The short form Docker prints: "golang:latest", "gcr.io/distroless/static:nonroot". */
export function familiarImageRef(ref: string): string | null {
  const parsed = parseImageRef(ref);
  if (!parsed) return null;
  const tag = parsed.tag ?? (parsed.digest ? null : "latest");
  return `${familiarName(parsed.domain, parsed.path)}${tag ? `:${tag}` : ""}${parsed.digest ? `@${parsed.digest}` : ""}`;
}

function familiarName(domain: string, path: string): string {
  if (domain !== "docker.io") return `${domain}/${path}`;
  return path.startsWith("library/") && path.split("/").length === 2 ? path.slice("library/".length) : path;
}

/**
 * Whether `ref` is one of the images `pattern` names. "*" matches any run of characters
 * (so "golang:*" is every golang tag, "gcr.io/distroless/*" everything under it, "*"
 * everything); a pattern without "*" is one image ("alpine" is alpine:latest). Docker Hub
 * spellings are equivalent: "docker.io/library/golang:*" is "golang:*".
 */
export function matchesImagePattern(ref: string, pattern: string): boolean {
  const familiar = familiarImageRef(ref);
  if (familiar === null) return false;
  const wanted = pattern.trim();
  if (!wanted.includes("*")) return familiarImageRef(wanted) === familiar;
  const shortened = wanted.replace(/^(?:index\.)?docker\.io\//, "").replace(/^library\/(?=[^/]*$)/, "");
  const glob = new RegExp(`^${shortened.split("*").map(escapeRegex).join(".*")}$`);
  return glob.test(familiar);
}

/** SLIMSTAGE_REPO_BASES: patterns separated by commas or whitespace. */
export function parseImagePatterns(text: string | undefined): string[] {
  return (text ?? "").split(/[\s,]+/).filter(Boolean);
}

/** A policy for readRepoDockerfile from the operator's patterns and the engine's images. */
export function imagePolicy(patterns: string[], presentRefs: Iterable<string>): { allowed(ref: string): boolean; present(ref: string): boolean } {
  const present = new Set<string>();
  for (const ref of presentRefs) {
    const familiar = familiarImageRef(ref);
    if (familiar) present.add(familiar);
  }
  return {
    allowed: (ref) => patterns.some((pattern) => matchesImagePattern(ref, pattern)),
    present: (ref) => {
      const familiar = familiarImageRef(ref);
      return familiar !== null && present.has(familiar);
    },
  };
}

const escapeRegex = (text: string) => text.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");
