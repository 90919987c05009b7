import * as ipaddr from 'ipaddr.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/** NAT64 prefixes (RFC 6052 well-known, RFC 8215 local use): the last 32 bits are an IPv4 address. */
const NAT64_PREFIXES = [ipaddr.parseCIDR('64:ff9b::/96'), ipaddr.parseCIDR('64:ff9b:1::/48')] as const;

/** The IPv4 address an IPv6 address carries (mapped, compatible, translated, NAT64, 6to4), if any. */
function embeddedIPv4(address: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  const parts = address.parts;
  const fromParts = (high: number, low: number) => new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
  // ::ffff:a.b.c.d (mapped), ::ffff:0:a.b.c.d (translated), ::a.b.c.d (compatible, deprecated).
  if (parts.slice(0, 5).every((part) => part === 0) && [0, 0xffff].includes(parts[5])) return fromParts(parts[6], parts[7]);
  if (parts.slice(0, 4).every((part) => part === 0) && parts[4] === 0xffff && parts[5] === 0) return fromParts(parts[6], parts[7]);
  if (NAT64_PREFIXES.some((prefix) => address.match(prefix))) return fromParts(parts[6], parts[7]);
  // 2002:AABB:CCDD::/48 is 6to4 for AA.BB.CC.DD.
  if (parts[0] === 0x2002) return fromParts(parts[1], parts[2]);
  return undefined;
}

function isBlocked(address: Address): boolean {
  if (address.kind() === 'ipv4') return address.range() !== 'unicast';
  const v6 = address as ipaddr.IPv6;
  const embedded = embeddedIPv4(v6);
  if (embedded) return isBlocked(embedded);
  // Only global unicast: loopback, unspecified, link-local fe80::/10, unique-local fc00::/7 (which
  // holds AWS's metadata fd00:ec2::254), multicast, Teredo, documentation and other reserved blocks are refused.
  return v6.range() !== 'unicast';
}

/**
 * True when an outgoing call must not go to this address: anything but public unicast. IPv4:
 * loopback 127/8, private 10/8 172.16/12 192.168/16, link-local 169.254/16 (cloud metadata at
 * 169.254.169.254), carrier-grade NAT 100.64/10 (Alibaba Cloud's metadata at 100.100.100.200),
 * unspecified 0/8, multicast, broadcast and the reserved blocks. IPv6: every special range, and an
 * IPv4 address embedded in an IPv6 one is judged as that IPv4 address. An address that does not
 * parse is blocked (fail closed).
 */
export function isBlockedAddress(ip: string): boolean {
  const text = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  if (!ipaddr.isValid(text)) return true;
  return isBlocked(ipaddr.parse(text));
}

/** The address a URL host is spelled as (brackets dropped), or undefined for a name. WHATWG URL already turned 0x7f000001 or 127.1 into 127.0.0.1. */
export function ipLiteralOf(hostname: string): string | undefined {
  const text = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return ipaddr.IPv4.isValidFourPartDecimal(text) || ipaddr.IPv6.isValid(text) ? text : undefined;
}
