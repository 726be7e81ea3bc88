// The position in the newest-first list of comparisons, as an opaque string for links
// and the API: the last row's createdAt and id (the id breaks ties between rows created
// in the same millisecond), base64url-encoded. Only a canonical encoding decodes.
import type { Prisma } from "@/lib/generated/prisma/client";
import { UserError } from "@/lib/errors";

export interface ComparisonCursor {
  createdAt: Date;
  id: string;
}

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const BASE64URL = /^[A-Za-z0-9_-]{1,200}$/;

export function encodeCursor(cursor: ComparisonCursor): string {
  return Buffer.from(`${cursor.createdAt.toISOString()}|${cursor.id}`, "utf8").toString("base64url");
}

/** The cursor, or null when the text is not one this module wrote. */
export function decodeCursor(text: string): ComparisonCursor | null {
  if (!BASE64URL.test(text)) return null;
  const raw = Buffer.from(text, "base64url").toString("utf8");
  const separator = raw.indexOf("|");
  if (separator < 0) return null;
  const iso = raw.slice(0, separator);
  const id = raw.slice(separator + 1);
  if (!ISO.test(iso) || !ID.test(id)) return null;
  const createdAt = new Date(iso);
  if (Number.isNaN(createdAt.getTime()) || createdAt.toISOString() !== iso) return null;
  const cursor = { createdAt, id };
  // base64url decoding forgives stray bits; a cursor must round-trip exactly.
  return encodeCursor(cursor) === text ? cursor : null;
}

/** decodeCursor for request input: a UserError (422 INVALID_CURSOR) instead of null. */
export function parseCursor(text: string): ComparisonCursor {
  const cursor = decodeCursor(text);
  if (!cursor) {
    throw new UserError(
      "INVALID_CURSOR",
      "The cursor is not valid; use the nextCursor value of a previous page, or leave it out for the newest comparisons.",
      "invalid",
      "cursor",
    );
  }
  return cursor;
}

/**
 * Rows strictly older than `cursor` in (createdAt, id) order, written as one range on
 * createdAt (`<=`) minus the cursor's own instant from its id on. The same rows as
 * "createdAt < t OR (createdAt = t AND id < i)", but SQLite reads that OR as two
 * searches whose union it sorts whole, where this walks the createdAt index and stops
 * at the page's end (1.1 ms -> 0.03 ms for the middle of 10,000 rows).
 */
export function olderThan(cursor: ComparisonCursor): Prisma.ComparisonWhereInput {
  return { createdAt: { lte: cursor.createdAt }, NOT: { createdAt: cursor.createdAt, id: { gte: cursor.id } } };
}
