import * as dns from 'node:dns';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { LookupFunction } from 'node:net';
import { OutgoingAllowList } from './allow-list';
import { isBlockedAddress } from './blocked-address';
import { BLOCKED_DESTINATION } from './outgoing-url';

/** A name resolved to an address outgoing calls may not reach (the socket never connected). */
export class BlockedDestinationError extends Error {
  readonly code = BLOCKED_DESTINATION;

  constructor(hostname: string, address: string) {
    super(`${hostname} resolves to ${address}, which outgoing calls may not reach`);
  }
}

/**
 * A `lookup` for sockets: resolves every address of the name (dns.lookup, as node:net would), refuses
 * when any of them is blocked and not allowed (so a name with one public and one private address
 * cannot be raced into the private one), and hands the socket exactly the addresses it checked —
 * node:net connects to what lookup answers, so nothing is resolved twice (no time-of-check gap
 * for a rebinding DNS server to use). A host name the operator allowed is not checked.
 */
export function guardedLookup(allow: OutgoingAllowList): LookupFunction {
  return (hostname, options, callback) => {
    // Looked up on the module at call time (not bound once), so a test can stub the resolver.
    dns.lookup(hostname, { family: options.family, hints: options.hints, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      if (!allow.allowsName(hostname)) {
        const blocked = addresses.find(({ address }) => isBlockedAddress(address) && !allow.allowsAddress(address));
        if (blocked) return callback(new BlockedDestinationError(hostname, blocked.address), '', 0);
      }
      if (addresses.length === 0) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
      if (options.all) return (callback as unknown as (error: null, addresses: dns.LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

export interface GuardedAgents {
  'http:': HttpAgent;
  'https:': HttpsAgent;
}

const agentsByAllowList = new WeakMap<OutgoingAllowList, GuardedAgents>();

/**
 * The kept-alive agents of outgoing calls under one allow-list, every socket opened through the
 * guarded lookup. A busy endpoint gets one TCP connection per parallel delivery, not one per
 * delivery; an idle connection is closed after 4 s, before a NAT or load balancer silently drops it.
 */
export function guardedAgents(allow: OutgoingAllowList): GuardedAgents {
  let agents = agentsByAllowList.get(allow);
  if (!agents) {
    const lookup = guardedLookup(allow);
    agents = {
      'http:': new HttpAgent({ keepAlive: true, maxSockets: 64, timeout: 4000, lookup }),
      'https:': new HttpsAgent({ keepAlive: true, maxSockets: 64, timeout: 4000, lookup }),
    };
    agentsByAllowList.set(allow, agents);
  }
  return agents;
}
