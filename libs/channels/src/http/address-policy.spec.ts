import { channelUrlProblems, isPrivateAddress } from './address-policy';

describe('isPrivateAddress (SSRF protection)', () => {
  it.each([
    ['8.8.8.8', false],
    ['1.1.1.1', false],
    ['151.101.1.69', false],
    ['2606:4700::1111', false],
    ['2a00:1450:4001:82b::200e', false],
    ['::ffff:8.8.8.8', false],
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
    ['::1', true],
    ['::', true],
    ['fe80::1', true],
    ['fd00::1', true],
    ['fec0::1', true],
    ['::ffff:127.0.0.1', true],
    ['::ffff:7f00:1', true],
    ['::ffff:10.0.0.1', true],
    ['64:ff9b::a00:1', true],
    ['2002:7f00:1::', true],
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
