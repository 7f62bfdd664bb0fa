import { isIPv4, isIPv6 } from 'node:net';

/** The 16 bytes of an IPv6 address (zone id dropped), or undefined if it is not one. */
export function ipv6Bytes(address: string): Uint8Array | undefined {
  let text = address.split('%')[0]!;
  if (!isIPv6(text)) return undefined;
  const lastColon = text.lastIndexOf(':');
  const dottedTail = text.slice(lastColon + 1);
  const tailIPv4 = isIPv4(dottedTail) ? dottedTail.split('.').map(Number) : undefined;
  if (tailIPv4) text = `${text.slice(0, lastColon + 1)}0:0`;

  const [head = '', tail] = text.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = tail === undefined ? [] : new Array<string>(8 - headGroups.length - tailGroups.length).fill('0');
  const bytes = new Uint8Array(16);
  [...headGroups, ...zeros, ...tailGroups].forEach((group, index) => {
    const value = parseInt(group, 16);
    bytes[index * 2] = value >> 8;
    bytes[index * 2 + 1] = value & 0xff;
  });
  if (tailIPv4) bytes.set(tailIPv4, 12);
  return bytes;
}

/**
 * The IPv4 address an IPv6 address stands for, when it is one of the forms that reach an
 * IPv4 host: IPv4-mapped (::ffff:a.b.c.d), NAT64 (64:ff9b::a.b.c.d) and 6to4 (2002:aabb:ccdd::).
 */
export function embeddedIPv4(address: string): { ipv4: string; form: string } | undefined {
  const bytes = ipv6Bytes(address);
  if (!bytes) return undefined;
  const dotted = (offset: number): string => Array.from(bytes.subarray(offset, offset + 4)).join('.');
  if (startsWith(bytes, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff])) return { ipv4: dotted(12), form: 'IPv4-mapped' };
  if (startsWith(bytes, [0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0])) return { ipv4: dotted(12), form: 'NAT64' };
  if (startsWith(bytes, [0x20, 0x02])) return { ipv4: dotted(2), form: '6to4' };
  return undefined;
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((value, index) => bytes[index] === value);
}
