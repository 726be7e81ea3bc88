// The one cause every variant of a comparison that built nothing shares: said once at the
// top (lib/jobs/outcome.ts writes it), and not repeated on each variant (the page asks).

/** A reason as variants that failed for one cause share it (the compiler's message, the engine's). */
export const causeOf = (reason: string | null): string => (reason ?? "").trim();

/** Whether a variant's reason is the shared cause the comparison already shows at the top. */
export function isSharedCause(reason: string | null, error: { code: string; message: string } | undefined): boolean {
  return error?.code === "NOTHING_BUILT" && Boolean(reason) && error.message.endsWith(causeOf(reason));
}
