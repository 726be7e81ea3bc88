// Which IP addresses a server-side fetch may reach: only those ipaddr.js classifies as
// "unicast" (its range tables follow IANA's special-purpose registries: loopback, private,
// link-local, CGNAT, benchmarking, documentation, site-local, multicast, ... all refused).
// IPv6 forms that carry an IPv4 address reach that IPv4 address, so it is classified too.
import net from "node:net";
import ipaddr from "ipaddr.js";

const isPublic = (...addresses: ipaddr.IPv4[]) => addresses.every((a) => a.range() === "unicast");
const ipv4 = (high: number, low: number) => new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);

/** True for any address a server-side fetch must not reach; also for anything that is not an IP. */
export function isForbiddenAddress(ip: string): boolean {
  // A zone ("%eth0") only picks an interface; the address decides.
  const address = ip.replace(/^\[(.*)\]$/, "$1").replace(/%.*$/, "");
  // net.isIP is strict (no "0x7f.1" or "127.1", which ipaddr.js would also read).
  const family = net.isIP(address);
  if (family === 4) return !isPublic(ipaddr.IPv4.parse(address));
  if (family === 6) return !ipv6Allowed(ipaddr.IPv6.parse(address));
  return true;
}

function ipv6Allowed(address: ipaddr.IPv6): boolean {
  const p = address.parts;
  // ::a.b.c.d (IPv4-compatible, deprecated; ipaddr.js calls it unicast), ::ffff:a.b.c.d
  // (IPv4-mapped) and ::ffff:0:a.b.c.d (IPv4-translated, RFC 6145) all reach a.b.c.d.
  if (p.slice(0, 4).every((w) => w === 0) && ((p[4] === 0 && (p[5] === 0 || p[5] === 0xffff)) || (p[4] === 0xffff && p[5] === 0))) {
    if (p.slice(4, 7).every((w) => w === 0) && p[7] <= 1) return false; // :: and ::1
    return isPublic(ipv4(p[6], p[7]));
  }
  switch (address.range()) {
    case "unicast":
      return true;
    case "rfc6052":
      // NAT64's well-known prefix 64:ff9b::/96 carries the IPv4 address in the last 32 bits.
      // The local-use prefix 64:ff9b:1::/48 (RFC 8215) is refused outright: it leads into
      // the operator's own translator, at a prefix length (and so an IPv4 position) of
      // their choosing, so there is no one address to check.
      return p[2] === 0 && isPublic(ipv4(p[6], p[7]));
    case "6to4":
      // 2002:AABB:CCDD::/48 is the 6to4 site behind IPv4 AA.BB.CC.DD (bits 16..47).
      return isPublic(ipv4(p[1], p[2]));
    case "teredo":
      // 2001:0:SERVER:FLAGS:PORT:CLIENT: the server's IPv4 in bits 32..63, the client's in the
      // last 32 bits, inverted.
      return isPublic(ipv4(p[2], p[3]), ipv4(p[6] ^ 0xffff, p[7] ^ 0xffff));
    default:
      return false;
  }
}
