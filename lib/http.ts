// Route-handler helpers: read a JSON body without throwing, and turn errors into the
// API's error shape { error: { code, message, field? } } with the right status.
import { NextResponse } from "next/server";
import { describeUnexpected, statusForKind, UserError } from "@/lib/errors";

export async function readJson(request: Request): Promise<unknown> {
  const text = await request.text();
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
      { status },
    );
  }
  return NextResponse.json({ error: describeUnexpected(error, context) }, { status: 500 });
}
