// Pure, for the browser (no node: imports): what the API answered to a submission — the
// new comparison's page, or the error a person reads (with the field it is about).

export interface ApiError {
  message: string;
  field?: string;
}

export function readApiError(body: unknown): ApiError | null {
  if (!isRecord(body) || !isRecord(body.error)) return null;
  const { message, field } = body.error;
  if (typeof message !== "string" || message.length === 0) return null;
  return typeof field === "string" ? { message, field } : { message };
}

/** The new comparison's page: only a path on this site, never a link elsewhere. */
export function readStartedUrl(body: unknown): string | null {
  if (!isRecord(body)) return null;
  const { url } = body;
  return typeof url === "string" && url.startsWith("/") && !url.startsWith("//") ? url : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}
