import type { LookupAddress } from 'node:dns';
import { Permanent } from '../errors';
import { FakeServer } from '../fakes/fake-server';
import { SafeHttp, type ResolveAll } from './safe-http';

/** The SSRF guard switched on (production mode): host names are checked when a connection opens. */
describe('SafeHttp with the connect-time address guard on', () => {
  let server: FakeServer;
  let port: string;
  const clients: SafeHttp[] = [];

  beforeAll(async () => {
    server = await new FakeServer(() => ({
      status: 200,
      headers: { connection: 'close' }, // every request opens a connection of its own
      json: { ok: true },
    })).start();
    port = new URL(server.url).port;
  });
  afterEach(() => {
    server.requests.length = 0;
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await server.close();
  });

  /** A resolver that answers `addresses` for every name, and counts its calls. */
  const resolverOf = (...addresses: string[]) => {
    const calls: string[] = [];
    const resolve: ResolveAll = (hostname, _options, callback) => {
      calls.push(hostname);
      const answer: LookupAddress[] = addresses.map((address) => ({
        address,
        family: address.includes(':') ? 6 : 4,
      }));
      setImmediate(() => callback(null, answer));
    };
    return { resolve, calls };
  };
  const client = (allowPrivateAddresses: boolean, resolve?: ResolveAll) => {
    const http = new SafeHttp(allowPrivateAddresses, { resolve });
    clients.push(http);
    return http;
  };
  const refusal = async (http: SafeHttp, url: string) => {
    const error = await http.send({ url, timeoutMs: 5000 }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Permanent);
    return (error as Error).message;
  };

  it('refuses localhost through the system resolver, before anything is sent', async () => {
    expect(await refusal(client(false), `http://localhost:${port}/x`)).toMatch(
      /localhost resolves to a private address/,
    );
    expect(server.requests).toEqual([]);
  });

  it.each([
    ['loopback', ['127.0.0.1']],
    ['an IPv4-mapped loopback', ['::ffff:7f00:1']],
    ['a public and a private address together (rebinding by round robin)', ['8.8.8.8', '10.0.0.7']],
  ])('refuses a host name that resolves to %s, at connect time', async (_name, addresses) => {
    const { resolve, calls } = resolverOf(...addresses);
    const http = client(false, resolve);
    expect(await refusal(http, `http://api.channel.test:${port}/x`)).toMatch(
      /api\.channel\.test resolves to a private address/,
    );
    expect(calls).toEqual(['api.channel.test']);
    expect(server.requests).toEqual([]);
  });

  it('checks each new connection again: a name that rebinds after a first check is seen', async () => {
    const { resolve, calls } = resolverOf('127.0.0.1');
    const http = client(false, resolve);
    await refusal(http, `http://rebind.test:${port}/one`);
    await refusal(http, `http://rebind.test:${port}/two`);
    expect(calls).toEqual(['rebind.test', 'rebind.test']);
  });

  it('connects to the address the resolver gave (the address checked is the address used)', async () => {
    const { resolve, calls } = resolverOf('127.0.0.1');
    const answer = await client(true, resolve).send({ url: `http://api.channel.test:${port}/x` });
    expect(answer.json).toEqual({ ok: true });
    expect(calls).toEqual(['api.channel.test']);
    expect(server.requests.map((r) => [r.path, r.headers.host])).toEqual([
      ['/x', `api.channel.test:${port}`],
    ]);
  });

  it.each([
    `http://127.0.0.1:PORT/x`,
    `http://[::1]:PORT/x`,
    `http://[::ffff:127.0.0.1]:PORT/x`,
    `http://[0:0:0:0:0:ffff:7f00:1]:PORT/x`,
    `http://[::ffff:0:7f00:1]:PORT/x`,
    `http://[::7f00:1]:PORT/x`,
  ])('refuses an address written in the URL without looking anything up: %s', async (url) => {
    const { resolve, calls } = resolverOf('8.8.8.8');
    expect(await refusal(client(false, resolve), url.replace('PORT', port))).toMatch(
      /is a private address/,
    );
    expect(calls).toEqual([]);
    expect(server.requests).toEqual([]);
  });

  it('refuses an answer larger than the request allows', async () => {
    const http = client(true);
    await expect(http.send({ url: `${server.url}/big`, maxBodyBytes: 5 })).rejects.toThrow(
      /too large/,
    );
  });
});
