import { ValidationFailedError } from '../errors/domain-error';
import { OutgoingAllowList } from './allow-list';
import { ipLiteralOf, isBlockedAddress } from './blocked-address';

/** The code of every refusal of an outgoing destination, at registration (400) and on delivery. */
export const BLOCKED_DESTINATION = 'blocked_destination';

/**
 * Ports an outgoing call never uses, whatever the host: the Fetch standard's "bad ports" (mail,
 * shell, DNS, IRC… — the ones browsers refuse, because a POST to them can speak another protocol),
 * plus the usual datastores and control planes that answer (or half-answer) HTTP inside a network:
 * MySQL, PostgreSQL, Redis, memcached, MongoDB, the Docker daemon, etcd and the kubelet. Any other
 * port is allowed: on-premise ERPs listen on 8080, 8443, 9000, 18080 and more.
 */
export const BLOCKED_PORTS: ReadonlySet<number> = new Set([
  0, 1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512,
  513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679,
  6697, 10080,
  // Datastores and control planes.
  2375, 2376, 2379, 2380, 3306, 5432, 6379, 10250, 11211, 27017,
]);

/** Why a URL may not be called; undefined when it may (a host name is checked again when it is resolved). */
export function outgoingUrlRefusal(url: string | URL, allow: OutgoingAllowList): string | undefined {
  let target: URL;
  try {
    target = typeof url === 'string' ? new URL(url) : url;
  } catch {
    return 'is not a valid URL';
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') return 'must be an http or https URL';
  if (target.username !== '' || target.password !== '') return 'may not carry a user name or password';
  if (target.hostname === '') return 'has no host';
  const port = target.port === '' ? (target.protocol === 'https:' ? 443 : 80) : Number(target.port);
  if (BLOCKED_PORTS.has(port)) return `may not use port ${port}`;
  // Parsed the way node:http will connect: WHATWG URL turns 0x7f000001, 2130706433, 0177.0.0.1 and
  // 127.1 into 127.0.0.1 and [0:0:0:0:0:0:0:1] into [::1] before anything looks at the host.
  const literal = ipLiteralOf(target.hostname);
  if (literal !== undefined) return isBlockedAddress(literal) && !allow.allowsAddress(literal) ? 'points at an address outgoing calls may not reach' : undefined;
  const name = target.hostname.toLowerCase().replace(/\.$/, '');
  if ((name === 'localhost' || name.endsWith('.localhost')) && !allow.allowsName(name)) return 'points at an address outgoing calls may not reach';
  return undefined;
}

/**
 * Refuses, as a 400 naming the field (code `blocked_destination`), a URL the worker could be made to
 * call inward: not http(s), credentials in it, a blocked port, or a host spelled as a loopback,
 * private, link-local, metadata or otherwise non-public address (however it is spelled) that the
 * operator did not allow. Names are checked where they are resolved, when the worker connects.
 */
export function assertOutgoingUrl(url: string | undefined | null, field: string, allow: OutgoingAllowList): void {
  if (url === undefined || url === null) return;
  const refusal = outgoingUrlRefusal(url, allow);
  if (refusal) throw ValidationFailedError.field(field, refusal, BLOCKED_DESTINATION);
}
