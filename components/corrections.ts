// "Correct the submission": a failed comparison links to the home form filled in with
// what was submitted (/?repo=…&ref=…&subdir=…&mainPackage=…&fix=CODE), and the form
// opens with the field in error focused and a word on what to change. The explanation
// comes from this table by code, never from the query: a link cannot make the page say
// anything else.
import { SUBMIT_FIELDS, type SubmitField, type SubmitValues } from "@/lib/source/repo-input";

export interface Correction {
  field: SubmitField;
  explanation: string;
}

/** The codes of bad input found while cloning or analysing (lib/source, lib/jobs), by the field to change. */
export const CORRECTIONS: Readonly<Record<string, Correction>> = {
  UNKNOWN_REF: { field: "ref", explanation: "The repository has no branch, tag or commit of this name. Correct it, or leave it empty for the default branch." },
  CLONE_TIMEOUT: { field: "ref", explanation: "Fetching the repository took too long. A specific branch or tag fetches less; a smaller repository helps too." },
  CLONE_FAILED: { field: "repo", explanation: "The repository could not be fetched. Check the URL: it must be a public git repository with at least one commit." },
  REPO_TOO_LARGE: { field: "repo", explanation: "The repository is larger than this server clones. Try a smaller one." },
  NOT_GO_REPO: { field: "repo", explanation: "There is no go.mod anywhere in this repository. Check the URL: Slimstage builds Go modules." },
  UNKNOWN_EXAMPLE: { field: "repo", explanation: "There is no bundled example of this name; the samples below list the ones there are." },
  LOCAL_REPO_NOT_ALLOWED: { field: "repo", explanation: "This server reads public git repositories only, not local folders." },
  NO_GO_MOD: { field: "subdir", explanation: "There is no go.mod in this folder. Give the folder that holds the module's go.mod." },
  UNKNOWN_SUBDIR: { field: "subdir", explanation: "The repository has no folder of this name. Correct it, or leave it empty for the repository's root." },
  INVALID_SUBDIR: { field: "subdir", explanation: "This folder leads outside the repository. Give a folder inside it." },
  // The module has no program; another module of the repository may have one.
  NO_MAIN_PACKAGE: { field: "subdir", explanation: "This module has no main package, so there is no program to build. Give the folder of a module that has one." },
  SEVERAL_MAIN_PACKAGES: { field: "mainPackage", explanation: "This module has several main packages. Name the one to build, e.g. ./cmd/server." },
  UNKNOWN_MAIN_PACKAGE: { field: "mainPackage", explanation: "This is not a main package of the module. Name one of its main packages, e.g. ./cmd/server." },
};

/** The correction for an error code; null for codes that are not about the input (and for "constructor"). */
export function correctionFor(code: string): Correction | null {
  return Object.hasOwn(CORRECTIONS, code) ? CORRECTIONS[code] : null;
}

export type Submitted = Partial<SubmitValues> & { repo: string };

/** The home page's link that reopens the form with `submitted`, the field `code` is about marked. */
export function correctionHref(submitted: Submitted, code: string): string {
  const params = new URLSearchParams();
  for (const field of SUBMIT_FIELDS) {
    const value = submitted[field];
    if (value) params.set(field, value);
  }
  if (correctionFor(code)) params.set("fix", code);
  return `/?${params.toString()}#submit-heading`;
}

export interface Prefill {
  values: SubmitValues;
  error: { field: SubmitField; message: string } | null;
}

type QueryValue = string | string[] | undefined;

// Longer than the API takes (2048 for the URL): the form's own checks then say what is wrong.
const MAX_PREFILL = 4096;

/** What the home form starts with, read from the page's query; null when the query names none of its fields. */
export function readPrefill(query: Record<string, QueryValue>): Prefill | null {
  const one = (value: QueryValue): string => (typeof value === "string" ? value.slice(0, MAX_PREFILL) : "");
  const values = Object.fromEntries(SUBMIT_FIELDS.map((field) => [field, one(query[field])])) as SubmitValues;
  if (SUBMIT_FIELDS.every((field) => values[field] === "")) return null;
  const correction = correctionFor(one(query.fix));
  return { values, error: correction ? { field: correction.field, message: correction.explanation } : null };
}
