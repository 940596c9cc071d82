import { BlockList, isIP } from 'node:net';

/** Addresses a channel URL may never reach: loopback, private, link-local, shared, reserved. */
const PRIVATE = new BlockList();
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
  PRIVATE.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['::ffff:0:0', 96],
  ['64:ff9b::', 96],
] as const) {
  PRIVATE.addSubnet(network, prefix, 'ipv6');
}

/** True for an address a channel URL must not reach (SSRF protection). */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  return PRIVATE.check(address, family === 4 ? 'ipv4' : 'ipv6');
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
