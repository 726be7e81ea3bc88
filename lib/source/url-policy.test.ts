import { describe, expect, it } from "vitest";
import { UserError } from "@/lib/errors";
import { checkHost, isForbiddenAddress, parseRepo, pinRepo, validateMainPackage, validateRef, validateSubdir } from "./url-policy";

const strict = { allowLocal: false, allowPrivateHosts: false };
const open = { allowLocal: true, allowPrivateHosts: true };

function codeOf(run: () => unknown): string | null {
  try {
    run();
    return null;
  } catch (error) {
    if (error instanceof UserError) return error.code;
    throw error;
  }
}

describe("parseRepo accepts", () => {
  it.each([
    ["an https URL", "https://github.com/owner/repo", strict, { kind: "remote", url: "https://github.com/owner/repo", host: "github.com" }],
    ["a .git suffix", "https://github.com/owner/repo.git", strict, { kind: "remote", url: "https://github.com/owner/repo.git", host: "github.com" }],
    ["upper case scheme and host, trailing slash", "HTTPS://GitHub.com/owner/repo/", strict, { kind: "remote", url: "https://github.com/owner/repo", host: "github.com" }],
    ["http with a port", "http://git.example.com:8080/a/b", strict, { kind: "remote", url: "http://git.example.com:8080/a/b", host: "git.example.com" }],
    ["git://", "git://git.example.com/a/b", strict, { kind: "remote", url: "git://git.example.com/a/b", host: "git.example.com" }],
    ["an IDN host, in punycode", "https://bücher.example/a", strict, { kind: "remote", url: "https://xn--bcher-kva.example/a", host: "xn--bcher-kva.example" }],
    ["a public IPv4 literal", "https://8.8.8.8/a/b", strict, { kind: "remote", url: "https://8.8.8.8/a/b", host: "8.8.8.8" }],
    ["a loopback literal when private hosts are allowed", "git://127.0.0.1:9418/x", open, { kind: "remote", url: "git://127.0.0.1:9418/x", host: "127.0.0.1" }],
    ["a decimal host when private hosts are allowed, normalised", "git://2130706433:9418/x", open, { kind: "remote", url: "git://127.0.0.1:9418/x", host: "127.0.0.1" }],
    ["an absolute path when local is allowed", "/srv/repos/../repos/app", open, { kind: "local", path: "/srv/repos/app" }],
    ["a file:// URL when local is allowed", "file:///srv/repos/my%20app", open, { kind: "local", path: "/srv/repos/my app" }],
    ["a public IPv6 literal", "https://[2606:4700::1111]/a", strict, { kind: "remote", url: "https://[2606:4700::1111]/a", host: "2606:4700::1111" }],
    // An explicit port is what git dials: only http(s)'s own default may be left out.
    ["https on port 80, kept", "https://git.example.com:80/a", strict, { kind: "remote", url: "https://git.example.com:80/a", host: "git.example.com" }],
    ["git:// on port 80, kept", "git://git.example.com:80/a", strict, { kind: "remote", url: "git://git.example.com:80/a", host: "git.example.com" }],
    ["http on port 443, kept", "http://git.example.com:443/a", strict, { kind: "remote", url: "http://git.example.com:443/a", host: "git.example.com" }],
    ["https on its default port, dropped", "https://git.example.com:443/a", strict, { kind: "remote", url: "https://git.example.com/a", host: "git.example.com" }],
    ["http on its default port, dropped", "http://git.example.com:80/a", strict, { kind: "remote", url: "http://git.example.com/a", host: "git.example.com" }],
    ["a port with leading zeros", "https://git.example.com:0080/a", strict, { kind: "remote", url: "https://git.example.com:80/a", host: "git.example.com" }],
    ["an IPv6 literal with port 80 over https", "https://[2606:4700::1111]:80/a", strict, { kind: "remote", url: "https://[2606:4700::1111]:80/a", host: "2606:4700::1111" }],
    ["a bundled example", "example:hello", strict, { kind: "example", name: "hello" }],
  ] as const)("%s", (_name, input, policy, expected) => {
    expect(parseRepo(input, policy)).toEqual(expected);
  });
});

describe("parseRepo refuses", () => {
  it.each([
    ["an empty string", "", "INVALID_URL"],
    ["a URL over 2048 characters", `https://github.com/${"a".repeat(2050)}`, "INVALID_URL"],
    ["a space", "https://github.com/owner/repo --upload-pack=x", "INVALID_URL"],
    ["a newline", "https://github.com/owner/repo\n[core]", "INVALID_URL"],
    ["a tab", "https://github.com/\towner/repo", "INVALID_URL"],
    ["a NUL byte", "https://github.com/owner\u0000/repo", "INVALID_URL"],
    ["a backslash", "https://evil.com\\@github.com/a", "INVALID_URL"],
    ["a query string", "https://github.com/owner/repo?x=1", "INVALID_URL"],
    ["a host without a path", "https://github.com/", "INVALID_URL"],
    ["a bare host and path", "github.com/owner/repo", "INVALID_URL"],
    ["a scheme without slashes", "https:github.com/owner/repo", "INVALID_URL"],
    ["a relative path", "repo", "INVALID_URL"],
    ["a leading dash", "--upload-pack=touch /tmp/x", "OPTION_INJECTION"],
    ["a dash option with a URL", "-uhttps://github.com/a/b", "OPTION_INJECTION"],
    ["a path segment starting with a dash", "https://github.com/-oProxyCommand=x/repo", "OPTION_INJECTION"],
    ["ext:: transport", "ext::sh -c touch% /tmp/pwned", "UNSUPPORTED_SCHEME"],
    ["ext:: transport without spaces", "ext::sh", "UNSUPPORTED_SCHEME"],
    ["fd:: transport", "fd::3", "UNSUPPORTED_SCHEME"],
    ["file:: transport", "file::/etc", "UNSUPPORTED_SCHEME"],
    ["ssh://", "ssh://git@github.com/owner/repo", "UNSUPPORTED_SCHEME"],
    ["git+ssh://", "git+ssh://github.com/owner/repo", "UNSUPPORTED_SCHEME"],
    ["ftp://", "ftp://example.com/repo.git", "UNSUPPORTED_SCHEME"],
    ["scp-like git@host:path", "git@github.com:owner/repo.git", "UNSUPPORTED_SCHEME"],
    ["scp-like host:path", "github.com:owner/repo", "UNSUPPORTED_SCHEME"],
    ["user and password", "https://user:secret@github.com/owner/repo", "CREDENTIALS_IN_URL"],
    ["a user name", "https://token@github.com/owner/repo", "CREDENTIALS_IN_URL"],
    ["an empty user", "https://@github.com/owner/repo", "CREDENTIALS_IN_URL"],
    ["loopback", "http://127.0.0.1/a", "FORBIDDEN_HOST"],
    ["short loopback", "http://127.1/a", "FORBIDDEN_HOST"],
    ["decimal loopback", "http://2130706433/a", "FORBIDDEN_HOST"],
    ["hex loopback", "http://0x7f.1/a", "FORBIDDEN_HOST"],
    ["octal loopback", "http://0177.0.0.1/a", "FORBIDDEN_HOST"],
    ["decimal loopback over git://", "git://2130706433/a", "FORBIDDEN_HOST"],
    ["hex loopback over git://", "git://0x7f000001/a", "FORBIDDEN_HOST"],
    ["cloud metadata", "http://169.254.169.254/latest", "FORBIDDEN_HOST"],
    ["a private network", "https://10.1.2.3/a", "FORBIDDEN_HOST"],
    ["172.16/12", "https://172.31.255.1/a", "FORBIDDEN_HOST"],
    ["192.168/16", "https://192.168.1.1/a", "FORBIDDEN_HOST"],
    ["0.0.0.0", "http://0.0.0.0/a", "FORBIDDEN_HOST"],
    ["IPv6 loopback", "http://[::1]/a", "FORBIDDEN_HOST"],
    ["IPv4-mapped IPv6 loopback", "http://[::ffff:127.0.0.1]/a", "FORBIDDEN_HOST"],
    ["IPv6 link-local", "http://[fe80::1]/a", "FORBIDDEN_HOST"],
    ["localhost", "http://localhost:3000/a", "FORBIDDEN_HOST"],
    ["IPv4-translated loopback", "http://[::ffff:0:127.0.0.1]/a", "FORBIDDEN_HOST"],
    ["IPv4-compatible loopback", "http://[::127.0.0.1]/a", "FORBIDDEN_HOST"],
    ["6to4 of loopback", "http://[2002:7f00:1::]/a", "FORBIDDEN_HOST"],
    ["NAT64 of a private address", "http://[64:ff9b::10.0.0.1]/a", "FORBIDDEN_HOST"],
    ["NAT64 local-use prefix", "http://[64:ff9b:1::7f00:1]/a", "FORBIDDEN_HOST"],
    ["IPv6 site-local", "http://[fec0::1]/a", "FORBIDDEN_HOST"],
    ["IPv6 unique-local", "http://[fd00::1]/a", "FORBIDDEN_HOST"],
    ["Teredo with a loopback client", "http://[2001:0:808:808::80ff:fffe]/a", "FORBIDDEN_HOST"],
    ["Teredo with no server", "http://[2001::1]/a", "FORBIDDEN_HOST"],
    ["benchmarking", "http://198.18.0.1/a", "FORBIDDEN_HOST"],
    ["IETF protocol assignments", "http://192.0.0.1/a", "FORBIDDEN_HOST"],
    ["documentation", "https://203.0.113.5/a", "FORBIDDEN_HOST"],
    ["carrier-grade NAT", "https://100.64.0.1/a", "FORBIDDEN_HOST"],
    ["broadcast", "https://255.255.255.255/a", "FORBIDDEN_HOST"],
    ["a file URL with a broken escape", "file:///srv/%zz", "INVALID_URL"],
    ["a file URL naming a host", "file://other/srv/x", "INVALID_URL"],
    ["an example name with a path", "example:../etc", "UNKNOWN_EXAMPLE"],
    ["an example name in capitals", "example:Hello", "UNKNOWN_EXAMPLE"],
    ["a .localhost name", "http://app.localhost/a", "FORBIDDEN_HOST"],
    ["an absolute path", "/etc", "LOCAL_REPO_NOT_ALLOWED"],
    ["file://", "file:///etc/passwd", "LOCAL_REPO_NOT_ALLOWED"],
  ])("%s", (_name, input, code) => {
    expect(codeOf(() => parseRepo(input, strict))).toBe(code);
  });

  it("says what to use instead of an scp-like address", () => {
    expect(() => parseRepo("git@github.com:owner/repo.git", strict)).toThrow("https://github.com/owner/repo.git");
  });

  it("marks the error as invalid input in the repo field", () => {
    expect(() => parseRepo("ssh://h/x", strict)).toThrow(expect.objectContaining({ kind: "invalid", field: "repo" }));
  });
});

describe("isForbiddenAddress", () => {
  it.each([
    ["127.0.0.1", true],
    ["127.255.0.9", true],
    ["10.0.0.1", true],
    ["172.15.255.255", false],
    ["172.16.0.0", true],
    ["172.32.0.1", false],
    ["192.168.0.1", true],
    ["169.254.169.254", true],
    ["0.0.0.0", true],
    ["224.0.0.251", true],
    ["255.255.255.255", true],
    ["100.64.0.1", true],
    ["8.8.8.8", false],
    ["140.82.112.3", false],
    ["::1", true],
    ["::", true],
    ["fe80::1", true],
    ["fe80::1%eth0", true],
    ["febf::1", true],
    ["fc00::1", true],
    ["fd12:3456::1", true],
    ["ff02::1", true],
    ["::ffff:127.0.0.1", true],
    ["::ffff:7f00:1", true],
    ["::ffff:a9fe:a9fe", true],
    ["::ffff:8.8.8.8", false],
    ["64:ff9b::10.0.0.1", true],
    ["2606:4700::1111", false],
    // The documentation prefix: not routed on the internet, so nothing to fetch there.
    ["2001:db8::1", true],
    ["not-an-ip", true],
    ["2001:4860:4860::8888", false],
    ["[2606:4700::1111]", false],
    ["198.18.0.1", true],
    ["198.19.255.255", true],
    ["198.20.0.1", false],
    ["192.0.0.1", true],
    ["192.0.2.1", true],
    ["203.0.113.9", true],
    ["0x7f.1", true],
    ["127.1", true],
    ["::ffff:0:127.0.0.1", true],
    ["::ffff:0:8.8.8.8", false],
    ["::7f00:1", true],
    ["::a00:1", true],
    ["::808:808", false],
    ["2002:7f00:1::", true],
    ["2002:c0a8:101::1", true],
    ["2002:808:808::1", false],
    ["64:ff9b::7f00:1", true],
    ["64:ff9b::8.8.8.8", false],
    ["64:ff9b:1::7f00:1", true],
    ["64:ff9b:1::808:808", true],
    ["fec0::1", true],
    ["2001::1", true],
    ["2001:0:808:808::f7f7:f7f7", false],
    ["2001:0:808:808::80ff:fffe", true],
    ["2001:0:7f00:1::f7f7:f7f7", true],
    ["100::1", true],
    ["5f00::1", true],
  ])("%s -> %s", (ip, forbidden) => {
    expect(isForbiddenAddress(ip)).toBe(forbidden);
  });
});

describe("checkHost", () => {
  const resolver = (table: Record<string, string[]>) => async (host: string) => {
    const addresses = table[host];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND" });
    return addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
  };
  const lookup = resolver({
    "github.com": ["140.82.112.3"],
    "rebind.example": ["93.184.216.34", "127.0.0.1"],
    "meta.example": ["169.254.169.254"],
    "v6.example": ["::ffff:10.0.0.5"],
    "empty.example": [],
  });

  it.each([
    ["a public host", "github.com", strict, null],
    ["one private address among public ones", "rebind.example", strict, "FORBIDDEN_HOST"],
    ["cloud metadata", "meta.example", strict, "FORBIDDEN_HOST"],
    ["an IPv4-mapped private address", "v6.example", strict, "FORBIDDEN_HOST"],
    ["a private host when allowed", "meta.example", open, null],
    ["an unknown host", "nope.example", strict, "UNREACHABLE_HOST"],
    ["an unknown host even when private hosts are allowed", "nope.example", open, "UNREACHABLE_HOST"],
    ["no addresses", "empty.example", strict, "UNREACHABLE_HOST"],
    ["a public literal, without asking DNS", "8.8.8.8", strict, null],
    ["a private literal", "10.0.0.1", strict, "FORBIDDEN_HOST"],
  ] as const)("%s", async (_name, host, policy, code) => {
    const outcome = await checkHost(host, policy, lookup).then(
      () => null,
      (error: UserError) => error.code,
    );
    expect(outcome).toBe(code);
  });

  it.each([
    ["a name", "rebind.example", open, ["93.184.216.34", "127.0.0.1"]],
    ["a literal, unbracketed", "[2606:4700::1111]", strict, ["2606:4700::1111"]],
    ["a public name", "github.com", strict, ["140.82.112.3"]],
  ] as const)("returns the addresses it checked: %s", async (_name, host, policy, addresses) => {
    expect(await checkHost(host, policy, lookup)).toEqual(addresses);
  });
});

describe("pinRepo", () => {
  it("resolves a remote once and keeps what it checked, however DNS answers later", async () => {
    const calls: string[] = [];
    const rebinding = async (host: string) => {
      calls.push(host);
      return [{ address: calls.length === 1 ? "140.82.112.3" : "127.0.0.1", family: 4 }];
    };
    const location = { kind: "remote" as const, url: "https://git.example.com/a", host: "git.example.com" };
    expect(await pinRepo(location, strict, rebinding)).toEqual({ ...location, addresses: ["140.82.112.3"] });
    expect(calls).toEqual(["git.example.com"]);
  });

  it("passes a local path through", async () => {
    expect(await pinRepo({ kind: "local", path: "/srv/x" }, open)).toEqual({ kind: "local", path: "/srv/x" });
  });
});

describe("validateRef", () => {
  it.each([
    ["main", true],
    ["feature/login-v2", true],
    ["v1.2.3", true],
    ["release_2024.01", true],
    ["0123456789abcdef0123456789abcdef01234567", true],
    ["-main", false],
    ["--upload-pack=x", false],
    [".hidden", false],
    ["a..b", false],
    ["main@{1}", false],
    ["a//b", false],
    ["a/", false],
    ["a/.b", false],
    ["main.lock", false],
    ["has space", false],
    ["a~1", false],
    ["a^{commit}", false],
    ["a:b", false],
    ["", false],
    ["x".repeat(201), false],
  ])("%s -> %s", (ref, valid) => {
    expect(codeOf(() => validateRef(ref))).toBe(valid ? null : "INVALID_REF");
  });
});

describe("validateSubdir", () => {
  it.each([
    ["services/api", "services/api"],
    ["./services/api/", "services/api"],
    ["a//b/./c", "a/b/c"],
    [".", "."],
    ["./", "."],
    ["cmd/hello.v2", "cmd/hello.v2"],
    ["", "INVALID_SUBDIR"],
    ["/etc", "INVALID_SUBDIR"],
    ["../outside", "INVALID_SUBDIR"],
    ["a/../../b", "INVALID_SUBDIR"],
    ["-rf", "INVALID_SUBDIR"],
    ["a/-b", "INVALID_SUBDIR"],
    ["a b", "INVALID_SUBDIR"],
    ["a;rm", "INVALID_SUBDIR"],
    ["$(id)", "INVALID_SUBDIR"],
    ["a\nb", "INVALID_SUBDIR"],
  ])("%j -> %s", (input, expected) => {
    const outcome = codeOf(() => validateSubdir(input)) ?? validateSubdir(input);
    expect(outcome).toBe(expected);
  });

  it("names the subdir field", () => {
    expect(() => validateSubdir("/x")).toThrow(expect.objectContaining({ field: "subdir", kind: "invalid" }));
  });
});

describe("validateMainPackage", () => {
  it.each([
    [".", "."],
    ["./", "."],
    ["./cmd/server", "./cmd/server"],
    ["cmd/server", "./cmd/server"],
    ["cmd/server/", "./cmd/server"],
    ["/cmd/server", "INVALID_MAIN_PACKAGE"],
    ["../x", "INVALID_MAIN_PACKAGE"],
    ["-ldflags=-X", "INVALID_MAIN_PACKAGE"],
    ["github.com/x/y@latest", "INVALID_MAIN_PACKAGE"],
    ["./cmd/*", "INVALID_MAIN_PACKAGE"],
  ])("%j -> %s", (input, expected) => {
    const outcome = codeOf(() => validateMainPackage(input)) ?? validateMainPackage(input);
    expect(outcome).toBe(expected);
  });

  it("names the mainPackage field", () => {
    expect(() => validateMainPackage("../x")).toThrow(expect.objectContaining({ field: "mainPackage" }));
  });
});
