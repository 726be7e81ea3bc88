// Management tokens: who may cancel or delete, from which headers.
import { describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { assertOwner, assertSameOrigin, credentialsOf, isAdmin, isOwner, newManagementToken, ownerCookieName } from "@/lib/comparisons/owners";
import { UserError } from "@/lib/errors";

const { token, hash } = newManagementToken();
const admin = "an-admin-token-of-length";

describe("isOwner", () => {
  it.each([
    ["the token as Bearer", { bearer: token, cookie: null }, hash, true],
    ["the token in the cookie", { bearer: null, cookie: token }, hash, true],
    ["the admin token", { bearer: admin, cookie: null }, hash, true],
    ["the admin token on a comparison with no owner", { bearer: admin, cookie: null }, null, true],
    ["nothing", { bearer: null, cookie: null }, hash, false],
    ["a wrong token", { bearer: "x".repeat(32), cookie: null }, hash, false],
    ["the hash itself", { bearer: hash, cookie: null }, hash, false],
    ["the admin token in a cookie", { bearer: null, cookie: admin }, hash, false],
    ["no owner hash and no admin", { bearer: token, cookie: null }, null, false],
  ])("%s", (_name, credentials, ownerHash, expected) => {
    expect(isOwner(credentials, ownerHash, admin)).toBe(expected);
  });
});

describe("credentialsOf", () => {
  const request = (headers: Record<string, string>) => new NextRequest("http://localhost/api/comparisons/c1", { headers });
  it("reads the Bearer header and this comparison's cookie only", () => {
    const headers = {
      authorization: "Bearer abc",
      cookie: `${ownerCookieName("other")}=nope; ${ownerCookieName("c1")}=yes`,
    };
    expect(credentialsOf(request(headers), "c1")).toEqual({ bearer: "abc", cookie: "yes" });
    expect(credentialsOf(request({}), "c1")).toEqual({ bearer: null, cookie: null });
  });

  it.each<[string, Record<string, string>, { bearer: string | null; cookie: string | null }]>([
    ["a percent-encoded cookie", { cookie: `${ownerCookieName("c1")}=a%2Bb` }, { bearer: null, cookie: "a+b" }],
    ["a cookie whose name only starts the same", { cookie: `${ownerCookieName("c1")}x=no` }, { bearer: null, cookie: null }],
    ["another scheme", { authorization: "Basic abc" }, { bearer: null, cookie: null }],
    ["a lower-case scheme", { authorization: "bearer abc" }, { bearer: "abc", cookie: null }],
  ])("reads %s", (_name, headers, expected) => {
    expect(credentialsOf(request(headers), "c1")).toEqual(expected);
  });
});

describe("isAdmin", () => {
  it.each<[string | null, string | undefined, boolean]>([
    ["secret", "secret", true],
    ["secret", undefined, false],
    [null, "secret", false],
    ["Secret", "secret", false],
  ])("%s against %s: %s", (bearer, adminToken, expected) => {
    expect(isAdmin(bearer, adminToken)).toBe(expected);
  });
});

describe("assertOwner and assertSameOrigin", () => {
  const codeOf = (fn: () => void) => {
    try {
      fn();
      return null;
    } catch (error) {
      return error instanceof UserError ? error.code : "other";
    }
  };
  it("names the missing and the wrong token apart", () => {
    expect(codeOf(() => assertOwner({ bearer: null, cookie: null }, hash, undefined, "cancel"))).toBe("NOT_OWNER");
    expect(codeOf(() => assertOwner({ bearer: "wrong", cookie: null }, hash, undefined, "delete"))).toBe("WRONG_TOKEN");
    expect(codeOf(() => assertOwner({ bearer: token, cookie: null }, hash, undefined, "delete"))).toBeNull();
  });
  it.each([
    ["same origin", { origin: "https://s.example" }, null],
    ["no origin (a script)", {}, null],
    ["another origin", { origin: "https://evil.example" }, "CROSS_SITE"],
    ["a cross-site fetch", { "sec-fetch-site": "cross-site" }, "CROSS_SITE"],
    ["an opaque origin", { origin: "null" }, "CROSS_SITE"],
    ["the same host on another port", { origin: "https://s.example:8443" }, "CROSS_SITE"],
  ])("%s", (_name, headers, expected) => {
    expect(codeOf(() => assertSameOrigin(new Headers(headers as Record<string, string>), "s.example"))).toBe(expected);
  });
});
