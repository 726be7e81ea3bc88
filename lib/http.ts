// Route-handler helpers: read a JSON body within a size limit and without throwing, turn
// errors into the API's error shape { error: { code, message, field? } } with the right
// status (and Retry-After where waiting helps), and answer a started comparison.
import { NextResponse } from "next/server";
import { ownerCookieName } from "@/lib/comparisons/owners";
import type { Created } from "@/lib/comparisons/service";
import { describeUnexpected, statusForKind, UserError } from "@/lib/errors";
import type { RateLimiter } from "@/lib/rate-limit";
import type { Logger } from "@/lib/log";

export async function readJson(request: Request, maxBytes: number): Promise<unknown> {
  const tooLarge = () =>
    new UserError("BODY_TOO_LARGE", `The request body is larger than ${Math.round(maxBytes / 1024)} KB; a submission is a small JSON object.`, "too_large");
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw tooLarge();
  // A chunked body declares nothing: count while reading and stop at the limit.
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => {});
        throw tooLarge();
      }
      chunks.push(value);
    }
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (!text.trim()) throw new UserError("EMPTY_BODY", "Send a JSON object, e.g. {\"repo\": \"example:hello\"}.", "invalid");
  try {
    return JSON.parse(text);
  } catch {
    throw new UserError("INVALID_JSON", "The request body is not valid JSON.", "invalid");
  }
}

// A request the API cannot read at all (its body, its query string) rather than a value it refuses.
const BAD_REQUEST = new Set(["INVALID_JSON", "EMPTY_BODY", "INVALID_QUERY"]);

export function errorResponse(error: unknown, context: string, log: Logger): NextResponse {
  if (error instanceof UserError) {
    const status = BAD_REQUEST.has(error.code) ? 400 : statusForKind[error.kind];
    return NextResponse.json(
      { error: { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) } },
      { status, headers: error.retryAfterSeconds ? { "Retry-After": String(error.retryAfterSeconds) } : undefined },
    );
  }
  return NextResponse.json({ error: describeUnexpected(error, context, log) }, { status: 500 });
}

/** 201 with the new comparison; the submitting browser keeps its management token for the page's buttons. */
export function startedResponse(created: Created, secure: boolean): NextResponse {
  const response = NextResponse.json(created, { status: 201 });
  response.cookies.set(ownerCookieName(created.id), created.managementToken, { httpOnly: true, sameSite: "strict", secure, path: "/", maxAge: 90 * 24 * 3600 });
  return response;
}

/** 429 RATE_LIMITED with Retry-After when this client has submitted too often; null when it may. */
export function rateLimited(submissions: RateLimiter, clientKey: string): NextResponse | null {
  const allowed = submissions.take(clientKey);
  if (allowed.ok) return null;
  return NextResponse.json(
    { error: { code: "RATE_LIMITED", message: `Too many submissions; try again in ${allowed.retryAfterSeconds} s.` } },
    { status: 429, headers: { "Retry-After": String(allowed.retryAfterSeconds) } },
  );
}
