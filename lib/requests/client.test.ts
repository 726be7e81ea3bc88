// Who the client is, for every shape of X-Forwarded-For and trust setting.
import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { clientAddress, clientKeyOf, CLIENT_HEADER, trustFrom } from "@/lib/requests/client";
import type { TrustedProxies } from "@/lib/config";

const request = (socket: string, forwarded?: string) =>
  ({ socket: { remoteAddress: socket }, connection: { remoteAddress: socket }, headers: forwarded ? { "x-forwarded-for": forwarded } : {} }) as unknown as IncomingMessage;

describe("clientAddress", () => {
  it.each<[string, TrustedProxies, string, string | undefined, string]>([
    ["no trust: the socket, whatever the header says", { kind: "none" }, "203.0.113.9", "1.2.3.4", "203.0.113.9"],
    ["no trust and no header", { kind: "none" }, "203.0.113.9", undefined, "203.0.113.9"],
    ["one trusted hop: the address the proxy saw", { kind: "hops", hops: 1 }, "10.0.0.2", "1.2.3.4", "1.2.3.4"],
    ["one trusted hop: a forged first value is ignored", { kind: "hops", hops: 1 }, "10.0.0.2", "6.6.6.6, 1.2.3.4", "1.2.3.4"],
    ["trusted range: the proxy's peer", { kind: "cidrs", cidrs: ["10.0.0.0/8"] }, "10.0.0.2", "6.6.6.6, 1.2.3.4", "1.2.3.4"],
    ["a peer outside the range is the client itself", { kind: "cidrs", cidrs: ["10.0.0.0/8"] }, "198.51.100.7", "1.2.3.4", "198.51.100.7"],
    ["a chain of trusted proxies", { kind: "cidrs", cidrs: ["10.0.0.0/8"] }, "10.0.0.2", "1.2.3.4, 10.0.0.3", "1.2.3.4"],
  ])("%s", (_name, setting, socket, forwarded, expected) => {
    expect(clientAddress(request(socket, forwarded), trustFrom(setting))).toBe(expected);
  });
});

describe("clientKeyOf", () => {
  it("reads the header the web server sets", () => {
    expect(clientKeyOf(new Headers({ [CLIENT_HEADER]: "1.2.3.4" }))).toBe("1.2.3.4");
    expect(clientKeyOf(new Headers({ "x-forwarded-for": "1.2.3.4" }))).toBe("unknown");
  });
});
