import { BlockList } from 'node:net';

/** A kind of address a worker must not reach by default, and why. */
export interface SpecialRange {
  readonly reason: string;
  /** Reachable when the operator allows private networks (the cloud metadata service never is). */
  readonly privateNetwork: boolean;
  readonly blocks: BlockList;
}

type Family = 'ipv4' | 'ipv6';

function range(family: Family, reason: string, privateNetwork: boolean, cidrs: readonly string[]): SpecialRange {
  const blocks = new BlockList();
  for (const cidr of cidrs) {
    const [network, prefix] = cidr.split('/');
    blocks.addSubnet(network!, Number(prefix), family);
  }
  return { reason, privateNetwork, blocks };
}

// Order matters: the first match names the reason (the metadata address before link-local).
export const IPV4_SPECIAL_RANGES: readonly SpecialRange[] = [
  range('ipv4', 'unspecified address', false, ['0.0.0.0/8']),
  range('ipv4', 'loopback address', true, ['127.0.0.0/8']),
  range('ipv4', 'private address', true, ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16']),
  range('ipv4', 'cloud metadata address', false, ['169.254.169.254/32']),
  range('ipv4', 'link-local address', true, ['169.254.0.0/16']),
  range('ipv4', 'shared (CGNAT) address', true, ['100.64.0.0/10']),
  range('ipv4', 'multicast address', false, ['224.0.0.0/4']),
  range('ipv4', 'broadcast address', false, ['255.255.255.255/32']),
  range('ipv4', 'reserved address', false, [
    '192.0.0.0/24',
    '192.0.2.0/24',
    '192.88.99.0/24',
    '198.18.0.0/15',
    '198.51.100.0/24',
    '203.0.113.0/24',
    '240.0.0.0/4',
  ]),
];

export const IPV6_SPECIAL_RANGES: readonly SpecialRange[] = [
  range('ipv6', 'unspecified address', false, ['::/128']),
  range('ipv6', 'loopback address', true, ['::1/128']),
  range('ipv6', 'cloud metadata address', false, ['fd00:ec2::254/128']),
  range('ipv6', 'private (unique local) address', true, ['fc00::/7', 'fec0::/10', '64:ff9b:1::/48']),
  range('ipv6', 'link-local address', true, ['fe80::/10']),
  range('ipv6', 'multicast address', false, ['ff00::/8']),
  range('ipv6', 'reserved address', false, ['2001::/23', '2001:db8::/32', '100::/64']),
];

const GLOBAL_UNICAST = range('ipv6', 'global unicast', false, ['2000::/3']).blocks;

/** Everything outside 2000::/3 is unassigned or special: refused without naming each block. */
export function isIPv6GlobalUnicast(address: string): boolean {
  return GLOBAL_UNICAST.check(address, 'ipv6');
}
