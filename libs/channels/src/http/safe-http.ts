import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import { Agent, request, type Dispatcher } from 'undici';
import { isIP, type LookupFunction } from 'node:net';
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
  /** The largest answer accepted (default 20 MB): a larger one is a Transient error. */
  maxBodyBytes?: number;
}

/** DNS resolution as the connect-time guard uses it: every address of a host name. */
export type ResolveAll = (
  hostname: string,
  options: LookupAllOptions,
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

export interface SafeHttpOptions {
  /** Replaces the system resolver (tests: a host name that answers what the test needs). */
  resolve?: ResolveAll;
}

/** Raised at connect time when a host name resolves to an address the policy refuses. */
export class PrivateAddressError extends Error {
  readonly code = 'EPRIVATEADDRESS';
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

  constructor(
    readonly allowPrivateAddresses: boolean,
    options: SafeHttpOptions = {},
  ) {
    const resolve: ResolveAll = options.resolve ?? dnsLookup;
    this.dispatcher = new Agent({
      connect: allowPrivateAddresses
        ? { lookup: options.resolve ? singleOrAll(resolve, () => null) : undefined }
        : { lookup: singleOrAll(resolve, refusePrivate) },
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
        if (size > (req.maxBodyBytes ?? MAX_BODY_BYTES))
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
      if (code === 'EPRIVATEADDRESS') {
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

/** The addresses a connection may use, or the error that refuses them all. */
function refusePrivate(hostname: string, addresses: LookupAddress[]): Error | null {
  return addresses.some((a) => isPrivateAddress(a.address))
    ? new PrivateAddressError(`refused: ${hostname} resolves to a private address`)
    : null;
}

/**
 * A `lookup` for net.connect (which undici calls for every new connection, so the address
 * checked is the address connected: no window for DNS rebinding). Node asks for all addresses
 * when it races IPv4 and IPv6 (autoSelectFamily), else for one.
 */
function singleOrAll(
  resolve: ResolveAll,
  refuse: (hostname: string, addresses: LookupAddress[]) => Error | null,
) {
  const lookup: LookupFunction = (hostname, options, callback) =>
    resolve(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, options.all ? [] : '');
      const refused = refuse(hostname, addresses);
      if (refused) return callback(refused, options.all ? [] : '');
      if (options.all) return callback(null, addresses);
      const [first] = addresses;
      return first
        ? callback(null, first.address, first.family)
        : callback(
            Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }),
            '',
          );
    });
  return lookup;
}
