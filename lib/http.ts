// Route-handler helpers: read a JSON body within a size limit and without throwing, and
// turn errors into the API's error shape { error: { code, message, field? } } with the
// right status (and Retry-After where waiting helps).
import { NextResponse } from "next/server";
import { describeUnexpected, statusForKind, UserError } from "@/lib/errors";

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

export function errorResponse(error: unknown, context: string): NextResponse {
  if (error instanceof UserError) {
    const status = error.code === "INVALID_JSON" || error.code === "EMPTY_BODY" ? 400 : statusForKind[error.kind];
    return NextResponse.json(
      { error: { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) } },
      { status, headers: error.retryAfterSeconds ? { "Retry-After": String(error.retryAfterSeconds) } : undefined },
    );
  }
  return NextResponse.json({ error: describeUnexpected(error, context) }, { status: 500 });
}
