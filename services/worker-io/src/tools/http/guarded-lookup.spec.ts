import { LookupAddress } from 'node:dns';
import { LookupOptions } from 'node:dns';
import { AddressGuard, AddressRefusedError } from './address-guard';
import { checkLiteralHost, guardedLookup, Resolver } from './guarded-lookup';

type LookupResult = { error: NodeJS.ErrnoException | null; address: string | LookupAddress[]; family?: number };

/** Calls the lookup as node's socket would; only the resolver runs, nothing is contacted. */
function lookupWith(resolver: Resolver, options: LookupOptions, guard = new AddressGuard()): Promise<LookupResult> {
  const lookup = guardedLookup(guard, { host: 'api.example', port: 443 }, resolver);
  return new Promise((resolve) => lookup('api.example', options, (error, address, family) => resolve({ error, address, family })));
}

const fixed =
  (...addresses: LookupAddress[]): Resolver =>
  async () =>
    addresses;

describe('guardedLookup', () => {
  const publicV4 = { address: '93.184.216.34', family: 4 };
  const publicV6 = { address: '2606:2800:220:1::1', family: 6 };

  it('hands over every checked address when asked for all', async () => {
    await expect(lookupWith(fixed(publicV4, publicV6), { all: true })).resolves.toEqual({
      error: null,
      address: [publicV4, publicV6],
      family: undefined,
    });
  });

  it('hands over the first address otherwise, honouring the family asked for', async () => {
    await expect(lookupWith(fixed(publicV4, publicV6), {})).resolves.toEqual({ error: null, address: publicV4.address, family: 4 });
    await expect(lookupWith(fixed(publicV4, publicV6), { family: 6 })).resolves.toEqual({ error: null, address: publicV6.address, family: 6 });
  });

  it('refuses when any resolved address is private, even if another is public (DNS rebinding)', async () => {
    const { error } = await lookupWith(fixed(publicV4, { address: '10.0.0.5', family: 4 }), { all: true });
    expect(error).toBeInstanceOf(AddressRefusedError);
    expect(error?.message).toBe('refusing to connect to api.example (10.0.0.5): private address');
  });

  it('checks addresses of the family it filters out too', async () => {
    const { error } = await lookupWith(fixed(publicV4, { address: '::1', family: 6 }), { family: 4 });
    expect(error).toBeInstanceOf(AddressRefusedError);
  });

  it('passes resolver failures on', async () => {
    const failure = Object.assign(new Error('getaddrinfo ENOTFOUND api.example'), { code: 'ENOTFOUND' });
    const { error } = await lookupWith(() => Promise.reject(failure), {});
    expect(error).toBe(failure);
  });

  it('reports a name without addresses as not found', async () => {
    const { error } = await lookupWith(fixed(), {});
    expect(error?.code).toBe('ENOTFOUND');
  });

  it('refuses localhost names without resolving them', async () => {
    const resolver = jest.fn(fixed(publicV4));
    const lookup = guardedLookup(new AddressGuard(), { host: 'localhost', port: 80 }, resolver);
    const error = await new Promise((resolve) => lookup('localhost', {}, resolve));
    expect(error).toBeInstanceOf(AddressRefusedError);
    expect(resolver).not.toHaveBeenCalled();
  });
});

describe('checkLiteralHost', () => {
  it('refuses a special IP literal and ignores names', () => {
    const guard = new AddressGuard();
    expect(checkLiteralHost(guard, { host: '169.254.169.254', port: 80 })?.message).toBe(
      'refusing to connect to 169.254.169.254: cloud metadata address',
    );
    expect(checkLiteralHost(guard, { host: '93.184.216.34', port: 80 })).toBeUndefined();
    expect(checkLiteralHost(guard, { host: 'example.com', port: 80 })).toBeUndefined();
  });
});
