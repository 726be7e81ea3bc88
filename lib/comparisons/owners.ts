// Who may cancel or delete a comparison: whoever holds its management token (returned
// once by POST /api/comparisons; only its sha256 is stored) or the operator's admin
// token. The submitting browser keeps the token in an HttpOnly, SameSite=Strict cookie
// for that comparison, so its buttons work there and a cross-site page cannot use it;
// scripts send it as "Authorization: Bearer <token>".
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { NextRequest } from "next/server";
import type { Db } from "@/lib/db";
import { UserError } from "@/lib/errors";
import { comparisonNotFound } from "./ids";

/** What only whoever submitted a comparison (or the operator) may do with it. */
export type OwnerAction = "cancel" | "delete" | "build again";

export const ownerCookieName = (id: string) => `slimstage_owner_${id}`;

export function newManagementToken(): { token: string; hash: string } {
  const token = randomBytes(24).toString("base64url");
  return { token, hash: hashToken(token) };
}

export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

const sameText = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export interface Credentials {
  bearer: string | null;
  cookie: string | null;
}

/** The token of an `Authorization: Bearer …` header, or null. */
export const bearerOf = (headers: Headers): string | null => headers.get("authorization")?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? null;

/** The tokens a request carries: its Bearer header and this comparison's cookie (as Next.js parses cookies). */
export function credentialsOf(request: Pick<NextRequest, "headers" | "cookies">, id: string): Credentials {
  return { bearer: bearerOf(request.headers), cookie: request.cookies.get(ownerCookieName(id))?.value ?? null };
}

/** Pure: whether the bearer token is the operator's admin token (none is configured: never). */
export const isAdmin = (bearer: string | null, adminToken: string | undefined): boolean =>
  Boolean(adminToken && bearer && sameText(bearer, adminToken));

/** Pure: whether these credentials open this comparison; false when it has no owner token. */
export function isOwner(credentials: Credentials, ownerTokenHash: string | null, adminToken: string | undefined): boolean {
  const { bearer, cookie } = credentials;
  if (isAdmin(bearer, adminToken)) return true;
  if (!ownerTokenHash) return false;
  return [bearer, cookie].some((token) => token !== null && sameText(hashToken(token), ownerTokenHash));
}

/**
 * Refuses a request a browser sent from another site: a form or script elsewhere cannot
 * set a Bearer header without CORS (which this app never allows), and the SameSite
 * cookie is not sent, but the Fetch Metadata and Origin checks say so plainly. `ownHost`
 * is the host the request was sent to (SLIMSTAGE_PUBLIC_URL's, or the Host header).
 */
export function assertSameOrigin(headers: Headers, ownHost: string | null): void {
  const origin = headers.get("origin");
  const fetchSite = headers.get("sec-fetch-site");
  let originHost: string | null = null;
  try {
    originHost = origin && origin !== "null" ? new URL(origin).host : origin;
  } catch {
    originHost = "unreadable";
  }
  if (fetchSite === "cross-site" || (originHost && ownHost && originHost !== ownHost)) {
    throw new UserError("CROSS_SITE", "Cancel and delete cannot be sent from another site.", "forbidden");
  }
}

/** The host a request was sent to, for assertSameOrigin. */
export const requestHost = (headers: Headers, publicUrl: string | undefined): string | null =>
  publicUrl ? new URL(publicUrl).host : headers.get("host");

export function assertOwner(credentials: Credentials, ownerTokenHash: string | null, adminToken: string | undefined, action: OwnerAction): void {
  if (isOwner(credentials, ownerTokenHash, adminToken)) return;
  const presented = credentials.bearer !== null || credentials.cookie !== null;
  throw new UserError(
    presented ? "WRONG_TOKEN" : "NOT_OWNER",
    presented
      ? `That token does not ${action} this comparison: use the management token its submission returned, or the operator's admin token.`
      : `Only whoever submitted this comparison can ${action} it: send its management token (Authorization: Bearer …), returned once by POST /api/comparisons, or the operator's admin token.`,
    "forbidden",
  );
}

/**
 * The one owner check of the route handlers that change a comparison: a same-origin
 * request, a comparison with that id, and its management token or the operator's.
 */
export async function assertOwnerOf(
  db: Db,
  request: Pick<NextRequest, "headers" | "cookies">,
  id: string,
  action: OwnerAction,
  settings: { publicUrl: string | undefined; adminToken: string | undefined },
): Promise<void> {
  assertSameOrigin(request.headers, requestHost(request.headers, settings.publicUrl));
  const row = await db.comparison.findUnique({ where: { id }, select: { ownerTokenHash: true } });
  if (!row) throw comparisonNotFound(id);
  assertOwner(credentialsOf(request, id), row.ownerTokenHash, settings.adminToken, action);
}
