import { BlockList, isIP } from 'node:net';

/** Addresses a channel URL may never reach: loopback, private, link-local, shared, reserved. */
const PRIVATE_V4 = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  PRIVATE_V4.addSubnet(network, prefix, 'ipv4');
}
// Kept apart from the IPv4 list: a BlockList matches IPv4 addresses against IPv4-mapped IPv6
// rules too, so one list with ::ffff:0:0/96 in it would call every IPv4 address private.
const PRIVATE_V6 = new BlockList();
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['2002::', 16],
] as const) {
  PRIVATE_V6.addSubnet(network, prefix, 'ipv6');
}

/** The IPv4 address inside an IPv4-mapped or -compatible IPv6 address (::ffff:a.b.c.d), if any. */
function embeddedIpv4(address: string): string | null {
  const dotted = /^(?:::ffff:|::)(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (dotted) return dotted[1] as string;
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (!hex) return null;
  const [high, low] = [parseInt(hex[1] as string, 16), parseInt(hex[2] as string, 16)];
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

/** True for an address a channel URL must not reach (SSRF protection). */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  if (family === 4) return PRIVATE_V4.check(address, 'ipv4');
  const ipv4 = embeddedIpv4(address);
  if (ipv4) return PRIVATE_V4.check(ipv4, 'ipv4');
  return PRIVATE_V6.check(address, 'ipv6');
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
