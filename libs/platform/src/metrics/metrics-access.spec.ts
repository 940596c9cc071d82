import { isLoopback, metricsAccess, sameSecret, type MetricsCaller } from './metrics-access';

const TOKEN = 'a-metrics-token-of-some-length';
const local: MetricsCaller = {
  authorization: undefined,
  socketAddress: '127.0.0.1',
  clientAddress: '127.0.0.1',
  forwarded: false,
};

describe('isLoopback', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['::1', true],
    ['::ffff:127.0.0.1', true],
    ['0:0:0:0:0:0:0:1', true],
    ['10.0.0.1', false],
    ['::ffff:10.0.0.1', false],
    ['192.168.1.127', false],
    ['fe80::1', false],
    ['::', false],
    ['', false],
    [undefined, false],
  ])('%s → %s', (address, expected) => {
    expect(isLoopback(address)).toBe(expected);
  });
});

describe('sameSecret', () => {
  it('is true only for the same string, whatever the lengths', () => {
    expect(sameSecret(TOKEN, TOKEN)).toBe(true);
    expect(sameSecret(`${TOKEN}x`, TOKEN)).toBe(false);
    expect(sameSecret('', TOKEN)).toBe(false);
    expect(sameSecret(TOKEN.toUpperCase(), TOKEN)).toBe(false);
  });
});

describe('metricsAccess', () => {
  it.each<[string, string | undefined, Partial<MetricsCaller>, string]>([
    ['no token configured, loopback', undefined, {}, 'allowed'],
    [
      'no token configured, IPv6 loopback',
      undefined,
      { socketAddress: '::1', clientAddress: '::1' },
      'allowed',
    ],
    [
      'no token configured, remote peer',
      undefined,
      { socketAddress: '10.1.2.3', clientAddress: '10.1.2.3' },
      'forbidden',
    ],
    [
      'no token configured, a trusted proxy names a remote client',
      undefined,
      { clientAddress: '203.0.113.9' },
      'forbidden',
    ],
    [
      'no token configured, forwarded by a proxy on this host',
      undefined,
      { forwarded: true },
      'forbidden',
    ],
    [
      'no token configured, a bearer token does not help a remote peer',
      undefined,
      { socketAddress: '10.1.2.3', clientAddress: '10.1.2.3', authorization: `Bearer ${TOKEN}` },
      'forbidden',
    ],
    [
      'token configured, the right bearer from anywhere',
      TOKEN,
      {
        socketAddress: '10.1.2.3',
        clientAddress: '10.1.2.3',
        forwarded: true,
        authorization: `Bearer ${TOKEN}`,
      },
      'allowed',
    ],
    [
      'token configured, scheme in lower case',
      TOKEN,
      { authorization: `bearer ${TOKEN}` },
      'allowed',
    ],
    ['token configured, loopback without a token', TOKEN, {}, 'unauthenticated'],
    [
      'token configured, a wrong token',
      TOKEN,
      { authorization: 'Bearer wrong' },
      'unauthenticated',
    ],
    [
      'token configured, the token as Basic',
      TOKEN,
      { authorization: `Basic ${TOKEN}` },
      'unauthenticated',
    ],
    [
      'token configured, a longer token',
      TOKEN,
      { authorization: `Bearer ${TOKEN}x` },
      'unauthenticated',
    ],
  ])('%s', (_name, token, caller, expected) => {
    expect(metricsAccess(token, { ...local, ...caller })).toBe(expected);
  });
});
