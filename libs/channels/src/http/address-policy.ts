import { BlockList, isIP } from 'node:net';

/** IPv4 addresses a channel URL may never reach: loopback, private, link-local, shared, reserved. */
const PRIVATE_V4 = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  PRIVATE_V4.addSubnet(network, prefix, 'ipv4');
}

/**
 * IPv6 ranges refused whole: loopback and unspecified, unique-local, link- and site-local,
 * multicast, discard-only, documentation, the IETF protocol block (Teredo, benchmarking,
 * ORCHID: no channel lives there, and Teredo's relays reach where we cannot check), the
 * local-use NAT64 prefix, and every IPv4-compatible address (deprecated; some stacks still
 * route them as IPv4).
 */
const REFUSED_V6: readonly (readonly [string, number])[] = [
  ['::', 96],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
  ['100::', 64],
  ['2001::', 23],
  ['2001:db8::', 32],
  ['3fff::', 20],
  ['64:ff9b:1::', 48],
];

/**
 * IPv6 ranges that carry an IPv4 address: that address decides. [prefix, length, byte offset
 * of the IPv4 address]. Kept out of a BlockList, which matches IPv4-mapped rules against plain
 * IPv4 addresses and misses the other forms (SIIT, NAT64, 6to4).
 */
const EMBEDDING_V6: readonly (readonly [string, number, number])[] = [
  ['::ffff:0:0', 96, 12], // IPv4-mapped, in every spelling
  ['::ffff:0:0:0', 96, 12], // SIIT, IPv4-translated
  ['64:ff9b::', 96, 12], // NAT64 (well-known prefix)
  ['2002::', 16, 2], // 6to4
];

/** The 16 bytes of a valid IPv6 address (any spelling: compressed, full, dotted tail). */
function ipv6Bytes(address: string): Uint8Array {
  const zone = address.indexOf('%'); // the zone of a link-local address
  const bare = zone < 0 ? address : address.slice(0, zone);
  const bytes = new Uint8Array(16);
  // A dotted IPv4 tail (`::ffff:127.0.0.1`) stands for the last two groups.
  const tailStart = bare.lastIndexOf(':') + 1;
  const dotted = bare.includes('.', tailStart) ? bare.slice(tailStart).split('.') : null;
  const groupsText = dotted ? `${bare.slice(0, tailStart)}0:0` : bare;
  const [head, tail] = groupsText.includes('::') ? groupsText.split('::') : [groupsText, null];
  const parse = (part: string | null | undefined) =>
    part ? part.split(':').map((group) => parseInt(group, 16)) : [];
  const headGroups = parse(head);
  const tailGroups = parse(tail);
  const groups =
    tail === null
      ? headGroups
      : [
          ...headGroups,
          ...Array<number>(8 - headGroups.length - tailGroups.length).fill(0),
          ...tailGroups,
        ];
  groups.forEach((group, i) => {
    bytes[i * 2] = group >> 8;
    bytes[i * 2 + 1] = group & 255;
  });
  if (dotted) for (let i = 0; i < 4; i += 1) bytes[12 + i] = Number(dotted[i]);
  return bytes;
}

function inPrefix(bytes: Uint8Array, network: string, length: number): boolean {
  const prefix = ipv6Bytes(network);
  for (let bit = 0; bit < length; bit += 8) {
    const mask = length - bit >= 8 ? 0xff : (0xff << (8 - (length - bit))) & 0xff;
    if ((bytes[bit / 8]! & mask) !== (prefix[bit / 8]! & mask)) return false;
  }
  return true;
}

/** True for an address a channel URL must not reach (SSRF protection). */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  if (family === 4) return PRIVATE_V4.check(address, 'ipv4');
  const bytes = ipv6Bytes(address);
  for (const [network, length, offset] of EMBEDDING_V6) {
    if (inPrefix(bytes, network, length))
      return PRIVATE_V4.check(bytes.slice(offset, offset + 4).join('.'), 'ipv4');
  }
  return REFUSED_V6.some(([network, length]) => inPrefix(bytes, network, length));
}

/**
 * Problems with a URL an admin gave for a channel (instance, service, API base): https only,
 * no credentials in it, and no address literal of a private network. Host names are checked
 * again at connect time (their DNS answer could point anywhere).
 */
export function channelUrlProblems(value: unknown, allowInsecure: boolean): string[] {
  if (typeof value !== 'string' || value.length > 500) return ['must be a URL'];
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return ['must be a URL'];
  }
  const problems: string[] = [];
  if (url.protocol !== 'https:' && !(allowInsecure && url.protocol === 'http:'))
    problems.push('must use https');
  if (url.username || url.password) problems.push('must not contain credentials');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (
    !allowInsecure &&
    (host === 'localhost' || host.endsWith('.localhost') || (isIP(host) && isPrivateAddress(host)))
  ) {
    problems.push('must not point at a loopback or private address');
  }
  return problems;
}
