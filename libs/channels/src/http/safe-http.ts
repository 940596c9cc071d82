import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { Agent, request, type Dispatcher } from 'undici';
import { isIP } from 'node:net';
import { NetworkError, Permanent, Transient } from '../errors';
import { isPrivateAddress } from './address-policy';

export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  /** The body as text ('' when empty). */
  text: string;
  /** The body as JSON, or undefined when it is not JSON. */
  json: unknown;
}

export interface HttpRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as application/x-www-form-urlencoded. */
  form?: Record<string, string>;
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 15_000;
/** Failures that happen before a request leaves this machine. */
const NEVER_SENT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
const MAX_BODY_BYTES = 20 * 1024 * 1024;

/**
 * The only way connectors reach a channel. Unless insecure URLs are allowed (development and
 * tests), every connection is refused whose DNS answer is a loopback or private address, at
 * connect time, so that a host name cannot be pointed inside our network (SSRF, DNS rebinding).
 * Network failures and timeouts become `Transient` errors; HTTP statuses are the connector's
 * to judge.
 */
export class SafeHttp {
  private readonly dispatcher: Dispatcher;

  constructor(readonly allowPrivateAddresses: boolean) {
    this.dispatcher = new Agent({
      connect: allowPrivateAddresses
        ? {}
        : {
            lookup: (hostname, options, callback) =>
              dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
                if (error) return callback(error, []);
                const list = addresses as LookupAddress[];
                const refused = list.find((a) => isPrivateAddress(a.address));
                if (refused) {
                  return callback(
                    new Error(`refused: ${hostname} resolves to a private address`),
                    [],
                  );
                }
                // undici asks for all addresses.
                return (callback as (e: null, a: LookupAddress[]) => void)(null, list);
              }),
          },
      keepAliveTimeout: 10_000,
    });
  }

  async send(req: HttpRequest): Promise<HttpAnswer> {
    // An address written in the URL is never looked up: check it here.
    const host = new URL(req.url).hostname.replace(/^\[|\]$/g, '');
    if (!this.allowPrivateAddresses && isIP(host) && isPrivateAddress(host)) {
      throw new Permanent(`refused: ${host} is a private address`);
    }
    const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
    let body: string | undefined;
    if (req.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(req.json);
    } else if (req.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(req.form).toString();
    }
    const timeout = req.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    try {
      const response = await request(req.url, {
        method: req.method ?? 'GET',
        headers,
        body,
        dispatcher: this.dispatcher,
        headersTimeout: timeout,
        bodyTimeout: timeout,
        maxRedirections: 0,
      } as Parameters<typeof request>[1]);
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of response.body) {
        size += (chunk as Buffer).length;
        if (size > MAX_BODY_BYTES)
          throw new Transient(`the answer of ${new URL(req.url).host} is too large`);
        chunks.push(chunk as Buffer);
      }
      const text = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        json = undefined;
      }
      const flat: Record<string, string> = {};
      for (const [key, value] of Object.entries(response.headers)) {
        if (value !== undefined)
          flat[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
      }
      return { status: response.statusCode, headers: flat, text, json };
    } catch (error) {
      if (error instanceof Transient) throw error;
      const message = error instanceof Error ? error.message : String(error);
      const code = String(
        (error as { code?: unknown }).code ??
          (error as { cause?: { code?: unknown } }).cause?.code ??
          '',
      );
      if (code === 'EPRIVATEADDRESS' || message.includes('resolves to a private address')) {
        throw new Permanent(`${req.method ?? 'GET'} ${new URL(req.url).host}: ${message}`);
      }
      throw new NetworkError(
        `${req.method ?? 'GET'} ${new URL(req.url).host}: ${message}`,
        !NEVER_SENT.has(code),
      );
    }
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }
}
