import { isIPv6 } from 'node:net';

interface AllowedHost {
  readonly host: string;
  /** Undefined: any port. */
  readonly port: number | undefined;
}

const HOST_AND_PORT = /^(\[[^\]]+\]|[^:[\]]+)(?::(\d{1,5}))?$/;

/**
 * Host names and IPs in one canonical spelling (lowercase, punycode, compressed IPv6 without
 * brackets, no trailing dot), so `LOCALHOST.`, `[::1]` and `0:0::1` compare equal to what
 * URL parsing and the resolver produce.
 */
export function canonicalHost(host: string): string {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  const bracketed = isIPv6(bare) ? `[${bare}]` : bare.replace(/\.$/, '');
  const canonical = new URL(`http://${bracketed}/`).hostname;
  return canonical.startsWith('[') ? canonical.slice(1, -1) : canonical;
}

/** Entries `host` or `host:port` (IPv6 as `[::1]:8080` or bare `::1`) that are reachable whatever their address. */
export class AllowedHosts {
  private readonly entries: readonly AllowedHost[];

  constructor(entries: readonly string[]) {
    this.entries = entries.map(parseEntry);
  }

  /** True if an entry names this host (as written in the URL, or the address it resolved to) and port. */
  allows(hostOrAddress: string, port: number): boolean {
    const host = canonicalHost(hostOrAddress);
    return this.entries.some((entry) => entry.host === host && (entry.port === undefined || entry.port === port));
  }
}

function parseEntry(entry: string): AllowedHost {
  const trimmed = entry.trim();
  if (isIPv6(trimmed)) return { host: canonicalHost(trimmed), port: undefined };
  const match = HOST_AND_PORT.exec(trimmed);
  if (!match) throw new Error(`allowedHosts entry "${entry}" is not host or host:port`);
  const port = match[2] === undefined ? undefined : Number(match[2]);
  if (port !== undefined && (port < 1 || port > 65_535)) throw new Error(`allowedHosts entry "${entry}" has an invalid port`);
  try {
    return { host: canonicalHost(match[1]!), port };
  } catch {
    throw new Error(`allowedHosts entry "${entry}" is not a valid host name`);
  }
}
