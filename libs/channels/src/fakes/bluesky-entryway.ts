import { FakeServer, type FakeRequest, type FakeResponse } from './fake-server';

/**
 * A fake entryway like bsky.social: it logs accounts in and forwards every XRPC call to the PDS
 * that hosts them (another host), whose tokens it shares. Connecting through it must still be
 * confirmed by that PDS, as the DID document names it.
 */
export class BlueskyEntryway {
  private readonly server = new FakeServer((request) => this.forward(request));

  constructor(private readonly pds: { url: string }) {}

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

  private async forward(request: FakeRequest): Promise<FakeResponse> {
    const headers: Record<string, string> = {};
    for (const name of ['authorization', 'content-type', 'accept']) {
      const value = request.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const query = request.query.toString();
    const answer = await fetch(`${this.pds.url}${request.path}${query ? `?${query}` : ''}`, {
      method: request.method,
      headers,
      body: request.method === 'GET' ? undefined : request.body,
    });
    const text = await answer.text();
    const forwarded: Record<string, string> = {};
    answer.headers.forEach((value, name) => {
      if (name.startsWith('ratelimit-') || name === 'retry-after') forwarded[name] = value;
    });
    if (answer.headers.get('content-type')?.includes('json') && text)
      return { status: answer.status, headers: forwarded, json: JSON.parse(text) as unknown };
    return { status: answer.status, headers: forwarded, text };
  }
}
