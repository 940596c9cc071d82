import {
  Ambiguous,
  ChannelError,
  CredentialsInvalid,
  InvalidPayload,
  NetworkError,
  Permanent,
  RateLimited,
  TokenExpired,
  Transient,
} from '../../errors';
import type { ConfigField, ParseOptions } from '../../connector';
import { channelUrlProblems } from '../../http/address-policy';
import type { HttpAnswer, SafeHttp } from '../../http/safe-http';
import { withoutTrailingSlashes } from '../../http/trailing-slashes';

/** Meta's Graph API, pinned to a version (an admin may point graphBaseUrl at another one). */
export const DEFAULT_GRAPH_BASE_URL = 'https://graph.facebook.com/v21.0';

/** What every Meta channel keeps secret: the page access token (Instagram goes through the page). */
export interface MetaSecrets {
  pageAccessToken: string;
}

/** Graph error codes that mean "throttled" (app, user, page, custom and business use case limits). */
export function isThrottleCode(code: number | null): boolean {
  if (code === null) return false;
  return (
    code === 4 || code === 17 || code === 32 || code === 613 || (code >= 80001 && code <= 80014)
  );
}

/** Token errors: 190 (invalid or expired OAuth token) and 102 (session). */
export function isTokenCode(code: number | null): boolean {
  return code === 190 || code === 102;
}

/** When nothing says how long to wait after throttling: a few minutes. */
export const DEFAULT_THROTTLE_WAIT_MS = 5 * 60_000;

const ID = /^\d{1,32}$/;
// A token is one printable word; Meta's page tokens are ~200 characters of [A-Za-z0-9].
const TOKEN = /^[\x21-\x7e]{1,4096}$/;

/** CHANNELS.md §Meta: { pageId | igUserId, pageAccessToken, graphBaseUrl? } (parseMetaConfig). */
export function metaConfigFields(idField: 'pageId' | 'igUserId'): readonly ConfigField[] {
  return [
    idField === 'pageId'
      ? { key: 'pageId', label: 'Page id', kind: 'text', required: true }
      : { key: 'igUserId', label: 'Id of the Instagram account', kind: 'text', required: true },
    { key: 'pageAccessToken', label: 'Page access token', kind: 'secret', required: true },
    {
      key: 'graphBaseUrl',
      label: 'Address of the Graph API',
      kind: 'url',
      required: false,
      placeholder: DEFAULT_GRAPH_BASE_URL,
    },
  ];
}

/**
 * Checks the `config` of POST /api/channels for a Meta provider: the account id (digits, as a
 * string: Instagram ids do not fit a JSON number), the page access token and an optional
 * graphBaseUrl. The token goes to `secrets`, never to `config`.
 */
export function parseMetaConfig<IdField extends 'pageId' | 'igUserId'>(
  input: unknown,
  idField: IdField,
  options: ParseOptions,
): {
  config: { [K in IdField]: string } & { graphBaseUrl: string };
  secrets: MetaSecrets;
  externalAccountId: string;
} {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new InvalidPayload('config: must be an object');
  }
  const source = input as Record<string, unknown>;
  const problems: string[] = [];

  const rawId = source[idField];
  const id = typeof rawId === 'string' ? rawId.trim() : '';
  if (rawId === undefined || rawId === null || rawId === '')
    problems.push(`${idField}: is required`);
  else if (typeof rawId !== 'string' || !ID.test(id))
    problems.push(`${idField}: must be a string of digits`);

  const rawToken = source.pageAccessToken;
  const token = typeof rawToken === 'string' ? rawToken.trim() : '';
  if (rawToken === undefined || rawToken === null || rawToken === '')
    problems.push('pageAccessToken: is required');
  else if (typeof rawToken !== 'string' || !TOKEN.test(token))
    problems.push('pageAccessToken: must be a token without spaces (at most 4096 characters)');

  let graphBaseUrl = DEFAULT_GRAPH_BASE_URL;
  const rawBase = source.graphBaseUrl;
  if (rawBase !== undefined && rawBase !== null && rawBase !== '') {
    const urlProblems = channelUrlProblems(rawBase, options.allowInsecureUrls);
    // Outside development and tests only Meta's own Graph host: the webhook routes deliveries
    // by the page id this check proves, so the answer must come from Meta itself.
    if (!options.allowInsecureUrls && typeof rawBase === 'string' && URL.canParse(rawBase)) {
      if (new URL(rawBase).host !== new URL(DEFAULT_GRAPH_BASE_URL).host) {
        urlProblems.push(`must be on ${new URL(DEFAULT_GRAPH_BASE_URL).host}`);
      }
    }
    if (urlProblems.length) problems.push(`graphBaseUrl: ${urlProblems.join(', ')}`);
    else {
      const url = new URL(rawBase as string);
      if (url.search || url.hash) problems.push('graphBaseUrl: must not have a query or fragment');
      else graphBaseUrl = withoutTrailingSlashes(url.toString());
    }
  }

  if (problems.length) throw new InvalidPayload(problems.join('; '));
  return {
    config: { [idField]: id, graphBaseUrl } as { [K in IdField]: string } & {
      graphBaseUrl: string;
    },
    secrets: { pageAccessToken: token },
    externalAccountId: id,
  };
}

/** The `error` object of a Graph API answer. */
export interface GraphError {
  code: number | null;
  subcode: number | null;
  type: string | null;
  message: string;
  isTransient: boolean;
}

export function graphErrorOf(answer: HttpAnswer): GraphError | null {
  const body = answer.json;
  if (typeof body !== 'object' || body === null) return null;
  const error = (body as { error?: unknown }).error;
  if (typeof error !== 'object' || error === null) return null;
  const e = error as Record<string, unknown>;
  const num = (value: unknown): number | null => {
    const n = typeof value === 'string' ? Number(value) : value;
    return typeof n === 'number' && Number.isFinite(n) ? n : null;
  };
  return {
    code: num(e.code),
    subcode: num(e.error_subcode),
    type: typeof e.type === 'string' ? e.type : null,
    message: typeof e.message === 'string' ? e.message : '',
    isTransient: e.is_transient === true,
  };
}

/**
 * When to try again after throttling: the largest `estimated_time_to_regain_access` (minutes)
 * of `X-Business-Use-Case-Usage` (or the older X-Page-Usage / X-Ad-Account-Usage), else a
 * Retry-After in seconds, else a few minutes.
 */
export function throttleRetryAt(headers: Record<string, string>, now: Date): Date {
  let minutes = 0;
  const consider = (value: unknown) => {
    if (typeof value !== 'object' || value === null) return;
    const m = Number((value as Record<string, unknown>).estimated_time_to_regain_access);
    if (Number.isFinite(m) && m > minutes) minutes = m;
  };
  for (const name of ['x-business-use-case-usage', 'x-page-usage', 'x-ad-account-usage']) {
    const text = headers[name];
    if (!text) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      continue;
    }
    if (typeof parsed !== 'object' || parsed === null) continue;
    consider(parsed);
    // X-Business-Use-Case-Usage: { "<business object id>": [{ type, call_count, ..., estimated_time_to_regain_access }] }
    for (const value of Object.values(parsed as Record<string, unknown>)) {
      if (Array.isArray(value)) value.forEach(consider);
      else consider(value);
    }
  }
  if (minutes > 0) return new Date(now.getTime() + Math.min(minutes, 24 * 60) * 60_000);
  const retryAfter = Number(headers['retry-after']);
  if (Number.isFinite(retryAfter) && retryAfter > 0 && retryAfter < 86_400)
    return new Date(now.getTime() + retryAfter * 1000);
  return new Date(now.getTime() + DEFAULT_THROTTLE_WAIT_MS);
}

export type GraphPurpose = 'verify' | 'send';

/** What a failed Graph answer means (see CHANNELS.md §Meta and the brief's error rules). */
export function classifyGraphFailure(
  answer: HttpAnswer,
  purpose: GraphPurpose,
  now: Date,
): ChannelError {
  const error = graphErrorOf(answer);
  const code = error?.code ?? null;
  const detail = error
    ? `Meta Graph error ${code ?? '?'}${error.subcode ? `/${error.subcode}` : ''}: ${error.message || 'no message'}`
    : `Meta Graph answered HTTP ${answer.status}`;

  if (answer.status === 429 || isThrottleCode(code)) {
    const retryAt = throttleRetryAt(answer.headers, now);
    return new RateLimited(retryAt, `${detail} (throttled until ${retryAt.toISOString()})`);
  }
  if (isTokenCode(code) || answer.status === 401) {
    return purpose === 'verify'
      ? new CredentialsInvalid(`Meta refused the page access token: ${detail}`)
      : new TokenExpired(`the page access token no longer works: ${detail}`);
  }
  if (answer.status >= 500 || error?.isTransient || code === 1 || code === 2) {
    return new Transient(detail);
  }
  if (purpose === 'verify') {
    // Permissions (10, 200-299), an id the token cannot read (100/33), a base URL that is not Graph.
    return new CredentialsInvalid(`Meta refused access with this page access token: ${detail}`);
  }
  return new Permanent(detail);
}

export interface GraphCall {
  method: 'GET' | 'POST';
  baseUrl: string;
  /** Path below the base URL, e.g. `/1029384756`; ids are encoded by the caller. */
  path: string;
  token: string;
  query?: Record<string, string>;
  form?: Record<string, string>;
  json?: unknown;
  purpose: GraphPurpose;
  now: Date;
  timeoutMs?: number;
}

/**
 * One Graph API call with the page token as a bearer (kept out of URLs and logs). Answers the
 * JSON object of a 2xx; anything else becomes the ChannelError it means. Meta has no
 * idempotency, so a send whose request may have left (a timeout, a reset) is Ambiguous.
 */
export async function graphCall(http: SafeHttp, call: GraphCall): Promise<Record<string, unknown>> {
  const url = new URL(withoutTrailingSlashes(call.baseUrl) + call.path);
  for (const [key, value] of Object.entries(call.query ?? {})) url.searchParams.set(key, value);
  let answer: HttpAnswer;
  try {
    answer = await http.send({
      method: call.method,
      url: url.toString(),
      headers: { authorization: `Bearer ${call.token}` },
      form: call.form,
      json: call.json,
      timeoutMs: call.timeoutMs,
    });
  } catch (error) {
    if (call.purpose === 'send' && error instanceof NetworkError && error.maybeDelivered) {
      throw new Ambiguous(
        `the reply may or may not have reached Meta (no idempotency; not retried): ${error.message}`,
      );
    }
    throw error;
  }
  if (answer.status >= 200 && answer.status < 300) {
    if (typeof answer.json === 'object' && answer.json !== null && !Array.isArray(answer.json)) {
      return answer.json as Record<string, unknown>;
    }
    if (call.purpose === 'send') {
      throw new Ambiguous(
        `Meta answered HTTP ${answer.status} without JSON: the reply may be posted`,
      );
    }
    throw new Transient(`Meta answered HTTP ${answer.status} without JSON`);
  }
  throw classifyGraphFailure(answer, call.purpose, call.now);
}

/** The id Meta answered for a post, or Ambiguous (it said yes but not what it made). */
export function answeredId(body: Record<string, unknown>, field: 'id' | 'message_id'): string {
  const value = body[field];
  if (typeof value === 'string' && value) return value;
  if (typeof value === 'number') return String(value);
  throw new Ambiguous(`Meta accepted the reply but answered no ${field}: it may be posted`);
}

/** `/<id>` with the id encoded (ids come from payloads; never let one add a path). */
export function idPath(id: string, edge?: string): string {
  return `/${encodeURIComponent(id)}${edge ? `/${edge}` : ''}`;
}

/** Length in characters as people count them (code points, so an emoji is one). */
export function characterCount(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/** A plain object, or null. */
export function objectOf(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

/** A non-empty id from a payload (Meta sends ids as strings; tolerate safe integers). */
export function idOf(value: unknown): string | null {
  if (typeof value === 'string' && value.trim() && value.length <= 200) return value.trim();
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  return null;
}

/** A payload time: epoch seconds, epoch milliseconds (told apart by size) or an ISO string. */
export function timeOf(value: unknown): Date | null {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) {
    return new Date(value > 1e11 ? value : value * 1000);
  }
  if (typeof value === 'string' && value.trim()) {
    if (/^\d+(\.\d+)?$/.test(value.trim())) return timeOf(Number(value));
    const parsed = Date.parse(value);
    return Number.isNaN(parsed) ? null : new Date(parsed);
  }
  return null;
}
