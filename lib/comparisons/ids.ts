// Short, random, non-sequential comparison ids for shareable links: 10 characters
// from an alphabet without look-alikes (about 57 bits).
import { randomInt } from "node:crypto";
import { UserError } from "@/lib/errors";

const ALPHABET = "23456789abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";
export const ID_PATTERN = /^[2-9a-km-zA-HJ-NP-Z]{10}$/;

export function newComparisonId(): string {
  let id = "";
  for (let i = 0; i < 10; i++) id += ALPHABET[randomInt(ALPHABET.length)];
  return id;
}

/** The one answer for an id no comparison has (404 NOT_FOUND). */
export const comparisonNotFound = (id: string, detail = ""): UserError =>
  new UserError("NOT_FOUND", `No comparison has the id "${id}"${detail}.`, "not_found");

/** The same answer for a repository no comparison names (404 NOT_FOUND). */
export const repositoryNotFound = (repo: string): UserError =>
  new UserError("NOT_FOUND", `No comparison is of the repository "${repo}".`, "not_found");
