import { embeddedIPv4, ipv6Bytes } from './ip-bytes';

describe('ipv6Bytes', () => {
  it.each([
    ['::1', [...new Array<number>(15).fill(0), 1]],
    ['2001:db8::8:800:200c:417a', [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 8, 8, 0, 0x20, 0x0c, 0x41, 0x7a]],
    ['::ffff:1.2.3.4', [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 1, 2, 3, 4]],
    ['1:2:3:4:5:6:7:8', [0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8]],
    ['fe80::1%eth0', [0xfe, 0x80, ...new Array<number>(13).fill(0), 1]],
  ])('parses %s', (address, bytes) => {
    expect(Array.from(ipv6Bytes(address)!)).toEqual(bytes);
  });

  it('returns undefined for anything else', () => {
    expect(ipv6Bytes('1.2.3.4')).toBeUndefined();
    expect(ipv6Bytes('nope')).toBeUndefined();
  });
});

describe('embeddedIPv4', () => {
  it.each([
    ['::ffff:127.0.0.1', { ipv4: '127.0.0.1', form: 'IPv4-mapped' }],
    ['::ffff:a9fe:a9fe', { ipv4: '169.254.169.254', form: 'IPv4-mapped' }],
    ['64:ff9b::192.168.0.1', { ipv4: '192.168.0.1', form: 'NAT64' }],
    ['2002:c0a8:1::', { ipv4: '192.168.0.1', form: '6to4' }],
  ])('finds the IPv4 address in %s', (address, expected) => {
    expect(embeddedIPv4(address)).toEqual(expected);
  });

  it('finds none in an ordinary IPv6 address', () => {
    expect(embeddedIPv4('2606:4700:4700::1111')).toBeUndefined();
  });
});
