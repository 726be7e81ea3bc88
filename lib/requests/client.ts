// Who the client is. Next.js passes on an X-Forwarded-For a client wrote itself (it
// only fills the header in when it is missing), so the app cannot tell a forged one
// from a real one: the web server (scripts/web.ts) decides instead, from the socket's
// address and SLIMSTAGE_TRUSTED_PROXIES, with proxy-addr (the library Express uses),
// and hands the answer to the app in CLIENT_HEADER, overwriting whatever came in.
import type { IncomingMessage } from "node:http";
import proxyaddr from "proxy-addr";
import type { TrustedProxies } from "@/lib/config";

export const CLIENT_HEADER = "x-slimstage-client";

/** The trust function proxy-addr asks for each hop, from the setting. */
export function trustFrom(setting: TrustedProxies): (address: string, hop: number) => boolean {
  if (setting.kind === "none") return () => false;
  // As Express does for a number: the first N hops (the socket's peer is hop 0) are proxies.
  if (setting.kind === "hops") return (_address, hop) => hop < setting.hops;
  return proxyaddr.compile(setting.cidrs);
}

/** The client's address: the socket's, or the first untrusted one along X-Forwarded-For. */
export function clientAddress(request: IncomingMessage, trust: (address: string, hop: number) => boolean): string {
  return proxyaddr(request, trust);
}

/** The key limits and fair turns count by; "unknown" when the app runs without scripts/web.ts. */
export function clientKeyOf(headers: Headers): string {
  return headers.get(CLIENT_HEADER)?.trim() || "unknown";
}
