// Why a pull failed, in words a user acts on. The engine reports a failed pull as an
// HTTP error before the stream starts (404 "manifest unknown", 500 "dial tcp: lookup
// ... no such host") or as an error event part-way through it; Docker Engine and
// Podman word the same failures differently. The rules are a table, first match wins:
// the specific ones (rate limit, auth) come before the broad network ones because
// registries wrap them in transport errors ("Get https://...: toomanyrequests").

export type PullFailureKind = "not-found" | "unauthorized" | "rate-limited" | "unreachable" | "interrupted" | "short-name" | "other";

export interface PullFailure {
  kind: PullFailureKind;
  /** One or two sentences for the variant's reason: what happened and what to do. */
  reason: string;
  /** The engine's own words, without dockerode's wrapping. */
  detail: string;
}

/** The kind in a few words, for a one-line summary. */
export const PULL_FAILURE_WORDS: Record<PullFailureKind, string> = {
  "not-found": "not found",
  unauthorized: "unauthorized",
  "rate-limited": "rate limited",
  unreachable: "no network",
  interrupted: "broke off part-way",
  "short-name": "short name not resolved",
  other: "failed",
};

interface Rule {
  kind: PullFailureKind;
  test: RegExp;
}

const RULES: Rule[] = [
  { kind: "rate-limited", test: /toomanyrequests|too many requests|rate limit|\b429\b/i },
  // Docker Hub answers a missing repository like a private one: "pull access denied ...
  // repository does not exist or may require 'docker login'".
  { kind: "not-found", test: /repository does not exist|manifest unknown|not found|name unknown|\b404\b/i },
  { kind: "unauthorized", test: /unauthorized|authentication required|access (to the resource )?is denied|denied:|no basic auth credentials|\b401\b|\b403\b/i },
  // Podman with no unqualified-search registries cannot tell which registry "golang:1.23" means.
  { kind: "short-name", test: /short-name .* did not resolve|short-name resolution/i },
  {
    kind: "unreachable",
    test: /no such host|server misbehaving|i\/o timeout|network is unreachable|no route to host|connection refused|tls handshake timeout|request canceled while waiting for connection|Client\.Timeout exceeded|dial tcp|temporary failure in name resolution|pinging container registry/i,
  },
];

// A transport error after the first layer started means the registry went away mid-way.
// Behind a registry mirror the engine then falls back to Docker Hub and reports that
// failure instead ("lookup registry-1.docker.io: no such host" here): also mid-way.
const BROKEN_TRANSFER = /unexpected EOF|connection reset|broken pipe|EOF$|closed network connection/i;

/**
 * Classifies the engine's message for a failed pull of `ref`. `started` says whether any
 * layer had begun to download: a broken connection after that is an interrupted pull.
 */
export function classifyPullFailure(ref: string, message: string, started = false): PullFailure {
  // dockerode puts "(HTTP code 404) unexpected - " before the engine's own words.
  const detail = message.replace(/^\(HTTP code \d+\)[^-]*- /, "").trim().replace(/\s+/g, " ") || "no reason given";
  const matched = RULES.find((rule) => rule.test.test(detail))?.kind ?? "other";
  const kind = started && (matched === "unreachable" || (matched === "other" && BROKEN_TRANSFER.test(detail))) ? "interrupted" : matched;
  return { kind, reason: REASONS[kind](ref, detail), detail };
}

const REASONS: Record<PullFailureKind, (ref: string, detail: string) => string> = {
  "not-found": (ref, detail) =>
    `The registry has no image ${ref} (${detail}). Check the name and tag (SLIMSTAGE_BASE_*), or log the engine in (docker login) if the image is private.`,
  unauthorized: (ref, detail) =>
    `The registry refused to give ${ref} without credentials (${detail}). Log the engine in to that registry (docker login) or use a public image (SLIMSTAGE_BASE_*).`,
  "rate-limited": (ref, detail) =>
    `The registry's pull rate limit was reached for ${ref} (${detail}). Submit the comparison again later, log the engine in (docker login) to get a higher limit, or give the engine a registry mirror.`,
  unreachable: (ref, detail) =>
    `No network: the engine could not reach a registry to pull ${ref} (${detail}). Give the engine network access or a registry mirror, load the image into it (docker load), or name an image it has in SLIMSTAGE_BASE_*. Stand-ins made without a registry (scripts/base-images.sh) exist for the Go builder and the static base only; there is none for Alpine.`,
  interrupted: (ref, detail) =>
    `The pull of ${ref} broke off part-way: the registry stopped answering (${detail}). Submit the comparison again once the registry is reachable.`,
  "short-name": (ref, detail) =>
    `The engine does not know which registry ${ref} comes from (${detail}). With Podman, add unqualified-search-registries = ["docker.io"] to registries.conf, or name the image in full (docker.io/library/…) in SLIMSTAGE_BASE_*.`,
  other: (ref, detail) => `The engine could not pull ${ref}: ${detail}`,
};
