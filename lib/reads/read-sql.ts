// Pure: the few differences between SQLite and PostgreSQL that the read model's own SQL
// (on the read connection, lib/db.ts's ReadDb) has to write out: placeholders, times and
// 64-bit integers, and the (createdAt, id) cursor of the newest-first lists.
import type { Dialect } from "@/lib/db";
import type { ComparisonCursor } from "@/lib/reads/cursor";

export interface SqlParams {
  params: unknown[];
  /** Adds a parameter and returns its placeholder (`?`, or `$n` on PostgreSQL). */
  param(value: unknown): string;
}

export function sqlParams(dialect: Dialect): SqlParams {
  const params: unknown[] = [];
  return {
    params,
    param(value) {
      params.push(value);
      return dialect === "postgresql" ? `$${params.length}` : "?";
    },
  };
}

/**
 * A time as the database compares it: Prisma's SQLite adapter stores ISO text with
 * "+00:00"; PostgreSQL's TIMESTAMP(3) holds UTC without a zone, so it gets no zone
 * either (a Date would be sent in the server's local time).
 */
export function timeParam(dialect: Dialect, at: Date): string {
  const iso = at.toISOString();
  return dialect === "postgresql" ? iso.slice(0, -1).replace("T", " ") : iso.replace("Z", "+00:00");
}

/** A time column read as text the way isoOf reads it (pg would read it as local time). */
export const timeColumn = (dialect: Dialect, column: string): string =>
  dialect === "postgresql" ? `to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')` : column;

/** A BIGINT column read as text on PostgreSQL (what pg would do anyway), as a number on SQLite. */
export const bigintColumn = (dialect: Dialect, column: string): string => (dialect === "postgresql" ? `${column}::text` : column);

/** A stored time as ISO text in UTC ("…Z"). */
export const isoOf = (text: string): string => new Date(text).toISOString();

/**
 * Rows strictly older than `cursor`, as lib/reads/cursor.ts's olderThan writes it for
 * Prisma (one range on createdAt, so the index is walked, not two searches unioned):
 * " AND …", to follow a WHERE.
 */
export function olderThanSql(dialect: Dialect, cursor: ComparisonCursor, { param }: SqlParams, table = ""): string {
  const at = timeParam(dialect, cursor.createdAt);
  const column = (name: string) => `${table}"${name}"`;
  return ` AND ${column("createdAt")} <= ${param(at)} AND NOT (${column("createdAt")} = ${param(at)} AND ${column("id")} >= ${param(cursor.id)})`;
}
