import { channelUrlProblems, isPrivateAddress } from './address-policy';

describe('isPrivateAddress (SSRF protection)', () => {
  it.each([
    // IPv4
    ['8.8.8.8', false],
    ['1.1.1.1', false],
    ['151.101.1.69', false],
    ['127.0.0.1', true],
    ['127.12.0.1', true],
    ['10.1.2.3', true],
    ['172.16.5.4', true],
    ['172.31.255.255', true],
    ['192.168.1.1', true],
    ['169.254.169.254', true],
    ['100.64.0.1', true],
    ['0.0.0.0', true],
    ['224.0.0.1', true],
    ['255.255.255.255', true],
    ['192.0.2.10', true],
    ['203.0.113.7', true],
    // IPv6 on its own
    ['2606:4700::1111', false],
    ['2a00:1450:4001:82b::200e', false],
    ['::1', true],
    ['0:0:0:0:0:0:0:1', true],
    ['::', true],
    ['fe80::1', true],
    ['fe80::1%eth0', true],
    ['fd00::1', true],
    ['fec0::1', true],
    ['ff02::1', true],
    ['100::1', true],
    ['2001:db8::1', true],
    // IPv4-mapped, in every spelling: the IPv4 address decides
    ['::ffff:8.8.8.8', false],
    ['::ffff:808:808', false],
    ['0:0:0:0:0:ffff:808:808', false],
    ['::ffff:127.0.0.1', true],
    ['::ffff:7f00:1', true],
    ['::FFFF:7F00:1', true],
    ['0:0:0:0:0:ffff:7f00:1', true],
    ['0000:0000:0000:0000:0000:ffff:7f00:0001', true],
    ['0:0:0:0:0:ffff:127.0.0.1', true],
    ['::ffff:10.0.0.1', true],
    ['::ffff:a9fe:a9fe', true],
    // SIIT / IPv4-translated (::ffff:0:a.b.c.d)
    ['::ffff:0:808:808', false],
    ['::ffff:0:7f00:1', true],
    ['::ffff:0:127.0.0.1', true],
    ['0:0:0:0:ffff:0:a9fe:a9fe', true],
    // IPv4-compatible (deprecated): refused whole
    ['::7f00:1', true],
    ['::127.0.0.1', true],
    ['::10.0.0.1', true],
    ['::8.8.8.8', true],
    // NAT64: the well-known prefix carries the IPv4 address; the local-use prefix is refused
    ['64:ff9b::808:808', false],
    ['64:ff9b::8.8.8.8', false],
    ['64:ff9b::a00:1', true],
    ['64:ff9b::127.0.0.1', true],
    ['64:ff9b:1::808:808', true],
    // 6to4: the IPv4 address in bits 16-48
    ['2002:808:808::1', false],
    ['2002:7f00:1::', true],
    ['2002:a00:1:1::1', true],
    ['2002:c0a8:101::1', true],
    // Teredo (2001::/32), public or not: refused whole with the IETF protocol block
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', true],
    ['2001:0:808:808::f7f7:f7f7', true],
    ['2001:0:7f00:1::80ff:fffe', true],
    ['not an address', true],
  ])('%s → private=%s', (address, expected) => {
    expect(isPrivateAddress(address)).toBe(expected);
  });
});

describe('channelUrlProblems', () => {
  it.each([
    ['https://mastodon.social', false, []],
    ['http://mastodon.social', false, ['must use https']],
    ['http://127.0.0.1:4711', true, []],
    ['https://127.0.0.1', false, ['must not point at a loopback or private address']],
    ['https://[::1]', false, ['must not point at a loopback or private address']],
    ['https://localhost', false, ['must not point at a loopback or private address']],
    ['https://user:pw@mastodon.social', false, ['must not contain credentials']],
    ['not a url', false, ['must be a URL']],
  ] as const)('%s (insecure allowed: %s)', (url, allowInsecure, problems) => {
    expect(channelUrlProblems(url, allowInsecure)).toEqual(problems);
  });
});
