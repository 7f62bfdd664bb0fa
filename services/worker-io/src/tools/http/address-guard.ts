import { isIPv4, isIPv6 } from 'node:net';
import { AllowedHosts } from './allowed-hosts';
import { embeddedIPv4 } from './ip-bytes';
import { IPV4_SPECIAL_RANGES, IPV6_SPECIAL_RANGES, isIPv6GlobalUnicast, SpecialRange } from './special-ranges';

export interface AddressGuardOptions {
  /** Allow private, loopback, link-local and CGNAT ranges (never the cloud metadata address). Default false. */
  readonly allowPrivateNetworks?: boolean;
  /**
   * `host` or `host:port` entries reachable even when private or loopback. An entry matches
   * the host as written in the URL or the address it resolves to (`127.0.0.1:8080`).
   */
  readonly allowedHosts?: readonly string[];
}

/** Where a request is going: the host as written in the URL and the port. */
export interface Destination {
  readonly host: string;
  readonly port: number;
}

export type GuardVerdict = { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

const ALLOWED: GuardVerdict = { allowed: true };

/** A connection the guard refused; carries a message fit for the caller. */
export class AddressRefusedError extends Error {
  constructor(
    readonly target: string,
    readonly reason: string,
  ) {
    super(`refusing to connect to ${target}: ${reason}`);
    this.name = 'AddressRefusedError';
  }
}

/** Decides whether the worker may open a connection to an address (SSRF protection). */
export class AddressGuard {
  private readonly allowPrivateNetworks: boolean;
  private readonly allowedHosts: AllowedHosts;

  constructor(options: AddressGuardOptions = {}) {
    this.allowPrivateNetworks = options.allowPrivateNetworks ?? false;
    this.allowedHosts = new AllowedHosts(options.allowedHosts ?? []);
  }

  /** Checks a host name before resolving it: `localhost` names mean loopback whatever DNS says (RFC 6761). */
  checkHostName(destination: Destination): GuardVerdict {
    if (this.allowedHosts.allows(destination.host, destination.port)) return ALLOWED;
    const host = destination.host.toLowerCase().replace(/\.$/, '');
    if (host === 'localhost' || host.endsWith('.localhost')) {
      return this.allowPrivateNetworks ? ALLOWED : { allowed: false, reason: 'localhost is a loopback address' };
    }
    return ALLOWED;
  }

  /** Checks one address the destination resolved to (or the literal IP it names). */
  checkAddress(destination: Destination, address: string): GuardVerdict {
    if (this.allowedHosts.allows(destination.host, destination.port)) return ALLOWED;
    if (this.allowedHosts.allows(address, destination.port)) return ALLOWED;
    const special = classify(address);
    if (special === undefined) return ALLOWED;
    if (special.privateNetwork && this.allowPrivateNetworks) return ALLOWED;
    return { allowed: false, reason: special.reason };
  }
}

/** The special range an address falls in, or undefined for an ordinary public address. */
export function classify(address: string): { reason: string; privateNetwork: boolean } | undefined {
  if (isIPv4(address)) return firstMatch(IPV4_SPECIAL_RANGES, address, 'ipv4');
  if (!isIPv6(address)) return { reason: 'not an IP address', privateNetwork: false };
  const embedded = embeddedIPv4(address);
  if (embedded) {
    const inner = firstMatch(IPV4_SPECIAL_RANGES, embedded.ipv4, 'ipv4');
    return inner && { ...inner, reason: `${inner.reason} (${embedded.form} ${embedded.ipv4})` };
  }
  const bare = address.split('%')[0]!;
  const special = firstMatch(IPV6_SPECIAL_RANGES, bare, 'ipv6');
  if (special) return special;
  return isIPv6GlobalUnicast(bare) ? undefined : { reason: 'reserved address (not global unicast)', privateNetwork: false };
}

function firstMatch(
  ranges: readonly SpecialRange[],
  address: string,
  family: 'ipv4' | 'ipv6',
): { reason: string; privateNetwork: boolean } | undefined {
  const match = ranges.find((special) => special.blocks.check(address, family));
  return match && { reason: match.reason, privateNetwork: match.privateNetwork };
}
