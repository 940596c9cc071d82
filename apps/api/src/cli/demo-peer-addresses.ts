/**
 * Where the demo's local channel peers listen and who they are (stable, so that the seeded
 * channels find them after a restart). The seed connects the demo organisation to them
 * (demo-channels.ts); the peers themselves run from scripts/demo-peers, beside the built api.
 */
export const DEMO_PEERS = {
  mastodon: { port: 4711, accessToken: 'demo-mastodon-token' },
  bluesky: {
    port: 4712,
    handle: 'demo-energie.bsky.social',
    appPassword: 'demo-bsky-app-password',
    /** The account's did:plc, published in the demo's PLC directory. */
    did: 'did:plc:xg64fzpn55z6k6c7mfouvin2',
  },
  meta: {
    port: 4713,
    page: { id: '1029384756', name: 'Demo Energie', token: 'EAAGdemoPageToken1029' },
  },
  /** The DID directory the demo api resolves Bluesky accounts in (BLUESKY_PLC_DIRECTORY_URL). */
  plc: { port: 4714 },
};

export const demoPeerUrl = (port: number) => `http://127.0.0.1:${port}`;
