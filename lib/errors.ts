// Errors a user can act on carry a machine code and a message meant for a person; the
// route handlers map them to status codes. Anything else is logged with detail and
// shown as a short generic message with a reference.
import { randomBytes } from "node:crypto";
import type { Logger } from "@/lib/log";

export type UserErrorKind = "invalid" | "not_found" | "unavailable" | "conflict" | "forbidden" | "too_large" | "too_many";

export class UserError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly kind: UserErrorKind = "invalid",
    readonly field?: string,
    /** For "too_many" and "unavailable": when trying again makes sense (Retry-After). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "UserError";
  }
}

export const statusForKind: Record<UserErrorKind, number> = {
  invalid: 422,
  not_found: 404,
  unavailable: 503,
  conflict: 409,
  forbidden: 403,
  too_large: 413,
  too_many: 429,
};

/** Logs an unexpected error and returns what may be shown: a generic message and a reference. */
export function describeUnexpected(error: unknown, context: string, log: Logger): { code: string; message: string } {
  const reference = randomBytes(4).toString("hex");
  log.error({ err: error, reference }, `${context} (ref ${reference})`);
  return { code: "INTERNAL", message: `Something went wrong on the server (reference ${reference}).` };
}
