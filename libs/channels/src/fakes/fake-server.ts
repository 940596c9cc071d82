import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  /** The raw body. */
  body: string;
  /** The body parsed as JSON or a form, when it is one. */
  parsed: unknown;
}

export interface FakeResponse {
  status: number;
  headers?: Record<string, string>;
  /** Sent as JSON; a RawJson anywhere inside goes out as its text. */
  json?: unknown;
  text?: string;
}

/**
 * JSON text that an answer's `json` carries as it is, wherever it sits: a hostile payload
 * that JSON.stringify cannot write (nested 100,000 levels deep), among ordinary fields.
 */
export class RawJson {
  constructor(readonly text: string) {}
}

/** `{"a":{"a":…1…}}`, `depth` objects deep, as text (building it as objects would not print). */
export const deeplyNestedJson = (depth: number): RawJson =>
  new RawJson(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);

/** JSON.stringify, with each RawJson's text in its place. */
function jsonText(value: unknown): string {
  const raw: string[] = [];
  const marker = `__raw_json_${Math.random().toString(36).slice(2)}_`;
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (!(v instanceof RawJson)) return v;
    raw.push(v.text);
    return `${marker}${raw.length - 1}`;
  });
  return raw.reduce((out, piece, index) => out.replace(`"${marker}${index}"`, () => piece), text);
}

export type FakeHandler = (request: FakeRequest) => FakeResponse | Promise<FakeResponse>;

/** An answer held back: the request had its effect, the caller has not heard of it yet. */
export interface HeldAnswer {
  /** Resolves when the matching request has been handled. */
  arrived: Promise<FakeRequest>;
  /** Sends the answer (to nobody, if the caller has gone). */
  release: () => void;
}

/**
 * A real HTTP server on 127.0.0.1 for a channel's fake peer: tests and the demo talk to it
 * over the network like to the channel itself. Every request is recorded.
 */
export class FakeServer {
  readonly requests: FakeRequest[] = [];
  private server?: Server;
  private baseUrl = '';
  private held: {
    match: (request: FakeRequest) => boolean;
    arrived: (r: FakeRequest) => void;
    released: Promise<void>;
  }[] = [];

  constructor(private readonly handle: FakeHandler) {}

  get url(): string {
    return this.baseUrl;
  }

  async start(port = 0): Promise<this> {
    this.server = createServer((req, res) => void this.serve(req, res));
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /**
   * The next request that `match`es is handled as usual (a post is posted), but its answer
   * waits until `release()`: an answer lost in flight, when the caller dies meanwhile.
   */
  holdNextAnswer(match: (request: FakeRequest) => boolean): HeldAnswer {
    let arrived!: (request: FakeRequest) => void;
    let release!: () => void;
    const arrival = new Promise<FakeRequest>((resolve) => (arrived = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    this.held.push({ match, arrived, released });
    return { arrived: arrival, release };
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://fake');
    let parsed: unknown;
    const type = req.headers['content-type'] ?? '';
    try {
      if (type.includes('json') && body) parsed = JSON.parse(body);
      else if (type.includes('x-www-form-urlencoded'))
        parsed = Object.fromEntries(new URLSearchParams(body));
    } catch {
      parsed = undefined;
    }
    const request: FakeRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body,
      parsed,
    };
    this.requests.push(request);
    let response: FakeResponse;
    try {
      response = await this.handle(request);
    } catch (error) {
      response = {
        status: 500,
        json: { error: error instanceof Error ? error.message : String(error) },
      };
    }
    const hold = this.held.findIndex((held) => held.match(request));
    if (hold >= 0) {
      const [held] = this.held.splice(hold, 1);
      held!.arrived(request);
      await held!.released;
      if (res.destroyed) return;
    }
    const headers = { ...response.headers };
    let payload = response.text ?? '';
    if (response.json !== undefined) {
      headers['content-type'] = 'application/json';
      payload = jsonText(response.json);
    }
    res.writeHead(response.status, headers);
    res.end(payload);
  }
}
