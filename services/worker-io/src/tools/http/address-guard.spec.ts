import { AddressGuard, classify } from './address-guard';

const to = (host: string, port = 443) => ({ host, port });

describe('classify', () => {
  it.each([
    ['127.0.0.1', 'loopback address'],
    ['127.255.0.9', 'loopback address'],
    ['::1', 'loopback address'],
    ['10.0.0.1', 'private address'],
    ['172.16.5.4', 'private address'],
    ['172.31.255.255', 'private address'],
    ['192.168.1.1', 'private address'],
    ['fc00::1', 'private (unique local) address'],
    ['fd12:3456::1', 'private (unique local) address'],
    ['169.254.169.254', 'cloud metadata address'],
    ['fd00:ec2::254', 'cloud metadata address'],
    ['169.254.1.1', 'link-local address'],
    ['fe80::1', 'link-local address'],
    ['fe80::1%eth0', 'link-local address'],
    ['100.64.0.1', 'shared (CGNAT) address'],
    ['0.0.0.0', 'unspecified address'],
    ['::', 'unspecified address'],
    ['224.0.0.1', 'multicast address'],
    ['ff02::1', 'multicast address'],
    ['255.255.255.255', 'broadcast address'],
    ['240.0.0.1', 'reserved address'],
    ['192.0.2.1', 'reserved address'],
    ['2001:db8::1', 'reserved address'],
    ['2001::1', 'reserved address'],
    ['::7f00:1', 'reserved address (not global unicast)'],
    ['::ffff:127.0.0.1', 'loopback address (IPv4-mapped 127.0.0.1)'],
    ['::ffff:7f00:1', 'loopback address (IPv4-mapped 127.0.0.1)'],
    ['::ffff:10.0.0.1', 'private address (IPv4-mapped 10.0.0.1)'],
    ['64:ff9b::a00:1', 'private address (NAT64 10.0.0.1)'],
    ['2002:7f00:1::', 'loopback address (6to4 127.0.0.1)'],
    ['2002:a9fe:a9fe::1', 'cloud metadata address (6to4 169.254.169.254)'],
    ['example.com', 'not an IP address'],
  ])('%s is a %s', (address, reason) => {
    expect(classify(address)?.reason).toBe(reason);
  });

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1'])(
    '%s is an ordinary public address',
    (address) => {
      expect(classify(address)).toBeUndefined();
    },
  );
});

describe('AddressGuard', () => {
  it('refuses special addresses by default, naming the reason', () => {
    expect(new AddressGuard().checkAddress(to('127.0.0.1'), '127.0.0.1')).toEqual({ allowed: false, reason: 'loopback address' });
    expect(new AddressGuard().checkAddress(to('93.184.216.34'), '93.184.216.34')).toEqual({ allowed: true });
  });

  it('allows private networks when configured, but never the metadata service or non-unicast addresses', () => {
    const guard = new AddressGuard({ allowPrivateNetworks: true });
    for (const address of ['10.0.0.1', '127.0.0.1', '::1', 'fd00::1', '100.64.0.1', '169.254.1.1']) {
      expect(guard.checkAddress(to(address), address)).toEqual({ allowed: true });
    }
    for (const address of ['169.254.169.254', 'fd00:ec2::254', '0.0.0.0', '224.0.0.1', '240.0.0.1']) {
      expect(guard.checkAddress(to(address), address).allowed).toBe(false);
    }
  });

  it('allows an allowlisted host:port only on that port', () => {
    const guard = new AddressGuard({ allowedHosts: ['127.0.0.1:8080'] });
    expect(guard.checkAddress(to('127.0.0.1', 8080), '127.0.0.1')).toEqual({ allowed: true });
    expect(guard.checkAddress(to('127.0.0.1', 8081), '127.0.0.1').allowed).toBe(false);
  });

  it('allows an allowlisted host on any port, by the name in the URL whatever it resolves to', () => {
    const guard = new AddressGuard({ allowedHosts: ['Internal.Test.'] });
    expect(guard.checkAddress(to('internal.test', 1), '10.1.2.3')).toEqual({ allowed: true });
    expect(guard.checkAddress(to('other.test', 1), '10.1.2.3').allowed).toBe(false);
  });

  it('matches an allowlisted IP against the address a name resolves to', () => {
    const guard = new AddressGuard({ allowedHosts: ['10.1.2.3:80'] });
    expect(guard.checkAddress(to('internal.test', 80), '10.1.2.3')).toEqual({ allowed: true });
  });

  it.each([['[::1]:9000'], ['::1'], ['[0:0::1]']])('understands the IPv6 allowlist entry %s', (entry) => {
    const guard = new AddressGuard({ allowedHosts: [entry] });
    expect(guard.checkAddress(to('::1', 9000), '::1')).toEqual({ allowed: true });
  });

  it.each([['a:b:c'], ['host:99999'], ['host:'], ['']])('rejects the malformed allowlist entry "%s"', (entry) => {
    expect(() => new AddressGuard({ allowedHosts: [entry] })).toThrow(/allowedHosts entry/);
  });

  it('refuses localhost names before resolving them', () => {
    const guard = new AddressGuard();
    for (const host of ['localhost', 'LOCALHOST.', 'api.localhost']) {
      expect(guard.checkHostName(to(host))).toEqual({ allowed: false, reason: 'localhost is a loopback address' });
    }
    expect(guard.checkHostName(to('example.com'))).toEqual({ allowed: true });
    expect(new AddressGuard({ allowedHosts: ['localhost:443'] }).checkHostName(to('localhost'))).toEqual({ allowed: true });
    expect(new AddressGuard({ allowPrivateNetworks: true }).checkHostName(to('localhost'))).toEqual({ allowed: true });
  });
});
