import { fakeDid } from '@toonbank/channels/testing';
import { DEMO_PEERS } from './demo-peer-addresses';

describe('the demo peers addresses', () => {
  it('name the DID the fake Bluesky peer derives from the handle (channels seeded before keep theirs)', () => {
    expect(DEMO_PEERS.bluesky.did).toBe(fakeDid(DEMO_PEERS.bluesky.handle));
  });

  it('give each peer a port of its own', () => {
    const ports = [DEMO_PEERS.mastodon, DEMO_PEERS.bluesky, DEMO_PEERS.meta, DEMO_PEERS.plc].map(
      (peer) => peer.port,
    );
    expect(new Set(ports).size).toBe(ports.length);
  });
});
