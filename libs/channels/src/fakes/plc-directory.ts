import { createHash } from 'node:crypto';
import { FakeServer, type FakeRequest, type FakeResponse } from './fake-server';

/** An account as the PLC directory knows it: its DID, its handle, the PDS that hosts it. */
export interface PlcAccount {
  did: string;
  handle: string;
  pdsUrl: string;
}

/** The DID document of an account, shaped like plc.directory's (and a did:web's did.json). */
export function didDocument(account: PlcAccount): Record<string, unknown> {
  const key = createHash('sha256').update(account.did).digest('base64url');
  return {
    '@context': [
      'https://www.w3.org/ns/did/v1',
      'https://w3id.org/security/multikey/v1',
      'https://w3id.org/security/suites/secp256k1-2019/v1',
    ],
    id: account.did,
    alsoKnownAs: [`at://${account.handle}`],
    verificationMethod: [
      {
        id: `${account.did}#atproto`,
        type: 'Multikey',
        controller: account.did,
        publicKeyMultibase: `zQ3sh${key}`,
      },
    ],
    service: [
      { id: '#atproto_pds', type: 'AtprotoPersonalDataServer', serviceEndpoint: account.pdsUrl },
    ],
  };
}

/**
 * A fake DID PLC directory (plc.directory) for tests and the demo, over real HTTP:
 * `GET /{did}` answers the DID document, 404 `{ message }` for an unknown DID. Fake Bluesky
 * peers publish their accounts here when given it (`new BlueskyPeer({ plc })`).
 */
export class FakePlcDirectory {
  private readonly server = new FakeServer((request) => this.answer(request));
  private readonly documents = new Map<string, unknown>();

  async start(port = 0): Promise<this> {
    await this.server.start(port);
    return this;
  }

  get url(): string {
    return this.server.url;
  }

  get requests(): FakeRequest[] {
    return this.server.requests;
  }

  async close(): Promise<void> {
    await this.server.close();
  }

  /** Registers (or moves) an account: its DID now resolves to this PDS. */
  publish(account: PlcAccount): void {
    this.documents.set(account.did, didDocument(account));
  }

  /** Any document under a DID, exactly as given (hostile or broken shapes). */
  publishDocument(did: string, document: unknown): void {
    this.documents.set(did, document);
  }

  private answer(request: FakeRequest): FakeResponse {
    let did: string;
    try {
      did = decodeURIComponent(request.path.slice(1));
    } catch {
      return { status: 400, json: { message: 'Invalid DID' } };
    }
    if (request.method !== 'GET' || !did.startsWith('did:plc:'))
      return { status: 404, json: { message: 'Not Found' } };
    const document = this.documents.get(did);
    return document === undefined
      ? { status: 404, json: { message: `DID not registered: ${did}` } }
      : { status: 200, json: structuredClone(document) };
  }
}
