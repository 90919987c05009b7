import * as ipaddr from 'ipaddr.js';

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9_]([a-z0-9_-]{0,62})(\.[a-z0-9_]([a-z0-9_-]{0,62}))*$/;

const normaliseName = (name: string) => name.toLowerCase().replace(/\.$/, '');

/**
 * What an operator lets outgoing calls reach although it is loopback, private or otherwise blocked
 * (an on-premise ERP, the loopback sinks of tests and demos): `OUTGOING_ALLOW_HOSTS`, a comma-separated
 * list of addresses (`10.0.0.5`, `::1`), CIDR ranges (`10.20.0.0/16`, `fd12::/16`) and host names
 * (`erp.intranet.example`, matched exactly, whatever they resolve to). Empty in production by default.
 */
export class OutgoingAllowList {
  static readonly none = new OutgoingAllowList([], new Set());

  private constructor(
    private readonly ranges: [ipaddr.IPv4 | ipaddr.IPv6, number][],
    private readonly names: Set<string>,
  ) {}

  /** Parses the setting; throws naming the first entry that is neither an address, a range nor a host name. */
  static parse(text: string | undefined): OutgoingAllowList {
    const entries = (text ?? '')
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean);
    if (entries.length === 0) return OutgoingAllowList.none;
    const ranges: [ipaddr.IPv4 | ipaddr.IPv6, number][] = [];
    const names = new Set<string>();
    for (const entry of entries) {
      const bare = entry.replace(/^\[(.*)\]$/, '$1');
      if (bare.includes('/')) {
        if (!ipaddr.isValidCIDR(bare)) throw new Error(`${JSON.stringify(entry)} is not a CIDR range`);
        ranges.push(ipaddr.parseCIDR(bare));
      } else if (ipaddr.IPv4.isValidFourPartDecimal(bare) || ipaddr.IPv6.isValid(bare)) {
        const address = ipaddr.parse(bare);
        ranges.push([address, address.kind() === 'ipv4' ? 32 : 128]);
      } else if (HOST_NAME.test(normaliseName(entry))) {
        names.add(normaliseName(entry));
      } else {
        throw new Error(`${JSON.stringify(entry)} is neither an address, a CIDR range nor a host name`);
      }
    }
    return new OutgoingAllowList(ranges, names);
  }

  get empty(): boolean {
    return this.ranges.length === 0 && this.names.size === 0;
  }

  /** The host name (not an address) was allowed by the operator. */
  allowsName(hostname: string): boolean {
    return this.names.has(normaliseName(hostname));
  }

  /** The address falls in an allowed address or range (an IPv4-mapped IPv6 address counts as its IPv4 address). */
  allowsAddress(ip: string): boolean {
    const text = ip.replace(/^\[(.*)\]$/, '$1');
    if (this.ranges.length === 0 || !ipaddr.isValid(text)) return false;
    const parsed = ipaddr.process(text);
    return this.ranges.some(([range, bits]) => parsed.kind() === range.kind() && parsed.match(range, bits));
  }
}
