import { didDocumentUrl, pdsEndpointOf } from './did-resolver';

const PLC = 'https://plc.directory';
const DID = 'did:plc:ewvi7nxzyoun6zhxrhs64oiz';

describe('didDocumentUrl', () => {
  it.each<[string, boolean, string | null]>([
    [DID, false, 'https://plc.directory/did%3Aplc%3Aewvi7nxzyoun6zhxrhs64oiz'],
    ['did:web:blueskyweb.xyz', false, 'https://blueskyweb.xyz/.well-known/did.json'],
    ['did:web:Example.COM', false, 'https://example.com/.well-known/did.json'],
    ['did:web:example.com%3A8443', false, 'https://example.com:8443/.well-known/did.json'],
    ['did:web:127.0.0.1%3A4714', true, 'http://127.0.0.1:4714/.well-known/did.json'],
    ['did:web:localhost%3A4714', true, 'http://localhost:4714/.well-known/did.json'],
    ['did:web:127.0.0.1%3A4714', false, 'https://127.0.0.1:4714/.well-known/did.json'],
    ['did:web:example.com:user:alice', false, null], // path form: not used in atproto
    ['did:web:example.com%2Fpath', false, null],
    ['did:web:example.com%3A99999', false, null],
    ['did:web:intranet', false, null],
    ['did:web:', false, null],
    ['did:plc:EWVI7NXZYOUN6ZHXRHS64OIZ', false, null],
    ['did:plc:ewvi7nxzyoun6zhxrhs64oi', false, null],
    ['did:plc:ewvi7nxzyoun6zhxrhs64oiz/../../admin', false, null],
    ['did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK', false, null],
    ['not a did', false, null],
  ])('%s (insecure allowed: %s) → %s', (did, allowInsecure, expected) => {
    expect(didDocumentUrl(did, PLC, allowInsecure)).toBe(expected);
  });

  it('uses the configured directory', () => {
    expect(didDocumentUrl(DID, 'http://127.0.0.1:4714/', true)).toBe(
      `http://127.0.0.1:4714/${encodeURIComponent(DID)}`,
    );
  });
});

describe('pdsEndpointOf', () => {
  const pds = (service: unknown) => ({ id: DID, service });
  const entry = (overrides: Record<string, unknown> = {}) => ({
    id: '#atproto_pds',
    type: 'AtprotoPersonalDataServer',
    serviceEndpoint: 'https://morel.us-east.host.bsky.network',
    ...overrides,
  });
  it.each<[string, unknown, string | null]>([
    ['the usual document', pds([entry()]), 'https://morel.us-east.host.bsky.network'],
    [
      'the id written with the DID',
      pds([entry({ id: `${DID}#atproto_pds` })]),
      'https://morel.us-east.host.bsky.network',
    ],
    [
      'a trailing slash',
      pds([entry({ serviceEndpoint: 'https://pds.example/' })]),
      'https://pds.example',
    ],
    ['one service, not a list', pds(entry()), 'https://morel.us-east.host.bsky.network'],
    [
      'among other services',
      pds([
        { id: '#bsky_fg', type: 'BskyFeedGenerator', serviceEndpoint: 'https://fg.example' },
        entry(),
      ]),
      'https://morel.us-east.host.bsky.network',
    ],
    [
      'another DID’s id',
      pds([entry({ id: 'did:plc:aaaaaaaaaaaaaaaaaaaaaaaa#atproto_pds' })]),
      null,
    ],
    ['another type', pds([entry({ type: 'BskyFeedGenerator' })]), null],
    [
      'an endpoint that is an object',
      pds([entry({ serviceEndpoint: { uri: 'https://x' } })]),
      null,
    ],
    [
      'an endpoint of another scheme',
      pds([entry({ serviceEndpoint: 'file:///etc/passwd' })]),
      null,
    ],
    ['an endpoint that is no URL', pds([entry({ serviceEndpoint: 'pds' })]), null],
    ['no services', { id: DID }, null],
    ['not an object', 'did', null],
  ])('%s', (_name, document, expected) => {
    expect(pdsEndpointOf(document, DID)).toBe(expected);
  });
});
