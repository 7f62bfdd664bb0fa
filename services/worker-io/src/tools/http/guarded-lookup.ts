import { lookup as dnsLookup, LookupAddress } from 'node:dns';
import { isIP, LookupFunction } from 'node:net';
import { AddressGuard, AddressRefusedError, Destination } from './address-guard';

/** Resolves a host name to every address it has. Injectable so tests need no DNS. */
export type Resolver = (hostname: string) => Promise<readonly LookupAddress[]>;

export const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) => (error ? reject(error) : resolve(addresses)));
  });

/**
 * Node connects to IP literals without calling `lookup`, so those are checked here, before
 * any request exists. Returns the refusal, or undefined when the host is not a literal or passes.
 */
export function checkLiteralHost(guard: AddressGuard, destination: Destination): AddressRefusedError | undefined {
  if (isIP(destination.host) === 0) return undefined;
  const verdict = guard.checkAddress(destination, destination.host);
  return verdict.allowed ? undefined : new AddressRefusedError(destination.host, verdict.reason);
}

/**
 * A `lookup` for http.request that resolves the host once, refuses the connection unless
 * EVERY address passes the guard, and hands the socket exactly the addresses it checked:
 * the socket never resolves again, so DNS cannot change the answer between check and connect.
 */
export function guardedLookup(guard: AddressGuard, destination: Destination, resolver: Resolver): LookupFunction {
  return (hostname, options, callback) => {
    const refusal = guard.checkHostName(destination);
    if (!refusal.allowed) {
      callback(new AddressRefusedError(hostname, refusal.reason), []);
      return;
    }
    resolver(hostname).then(
      (resolved) => {
        for (const { address } of resolved) {
          const verdict = guard.checkAddress(destination, address);
          if (!verdict.allowed) {
            callback(new AddressRefusedError(`${hostname} (${address})`, verdict.reason), []);
            return;
          }
        }
        const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family;
        const addresses = resolved.filter((entry) => !family || entry.family === family);
        if (addresses.length === 0) {
          callback(Object.assign(new Error(`${hostname} has no usable addresses`), { code: 'ENOTFOUND' }), []);
          return;
        }
        if (options.all) callback(null, [...addresses]);
        else callback(null, addresses[0]!.address, addresses[0]!.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, []),
    );
  };
}
