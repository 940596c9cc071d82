import { isIP } from 'node:net';
import { CredentialsInvalid, Transient } from '../../errors';
import { channelUrlProblems } from '../../http/address-policy';
import type { HttpAnswer, SafeHttp } from '../../http/safe-http';
import { withoutTrailingSlashes } from '../../http/trailing-slashes';

export const BLUESKY_DEFAULT_PLC_DIRECTORY_URL = 'https://plc.directory';

/** A DID document is small: a few keys, handles and services. */
export const DID_DOCUMENT_MAX_BYTES = 64 * 1024;
export const IDENTITY_TIMEOUT_MS = 10_000;

const PLC_DID = /^did:plc:[a-z2-7]{24}$/;
/** Only the hostname form of did:web is used in atproto; a port is percent-encoded (%3A). */
const WEB_DID = /^did:web:([a-z0-9.-]{1,253})(?:%3a(\d{1,5}))?$/i;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Where a DID's document is: `{plcDirectory}/{did}` for did:plc, `https://{host}/.well-known/did.json`
 * for did:web (plain http only for a loopback host, and only where insecure URLs are allowed).
 * Null for any other method or spelling.
 */
export function didDocumentUrl(
  did: string,
  plcDirectoryUrl: string,
  allowInsecure: boolean,
): string | null {
  if (PLC_DID.test(did))
    return `${withoutTrailingSlashes(plcDirectoryUrl)}/${encodeURIComponent(did)}`;
  const web = WEB_DID.exec(did);
  if (!web) return null;
  const host = web[1]!.toLowerCase();
  const port = web[2];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return null;
  const loopback = host === 'localhost' || isIP(host) !== 0;
  if (!loopback && !host.includes('.')) return null;
  const scheme = allowInsecure && loopback ? 'http' : 'https';
  return `${scheme}://${host}${port ? `:${port}` : ''}/.well-known/did.json`;
}

/**
 * The `#atproto_pds` service endpoint of a DID document (type AtprotoPersonalDataServer, its id
 * written `#atproto_pds` or `{did}#atproto_pds`), or null when it has none usable.
 */
export function pdsEndpointOf(document: unknown, did: string): string | null {
  if (!isObject(document)) return null;
  const services = Array.isArray(document.service)
    ? (document.service as unknown[])
    : [document.service];
  const pds = services.find(
    (service) =>
      isObject(service) && (service.id === '#atproto_pds' || service.id === `${did}#atproto_pds`),
  );
  if (!isObject(pds) || pds.type !== 'AtprotoPersonalDataServer') return null;
  const endpoint = pds.serviceEndpoint;
  if (typeof endpoint !== 'string' || !URL.canParse(endpoint)) return null;
  const url = new URL(endpoint);
  if (!['http:', 'https:'].includes(url.protocol) || !url.hostname) return null;
  return `${url.origin}${withoutTrailingSlashes(url.pathname)}`;
}

function failedAnswer(answer: HttpAnswer, what: string): Error {
  return answer.status === 429 || answer.status >= 500
    ? new Transient(`${what} answered ${answer.status}`)
    : new CredentialsInvalid(`${what} answered ${answer.status}`);
}

/**
 * The PDS that hosts `did`, read from its DID document (PLC directory or did:web), through the
 * SSRF-safe client. A DID that does not resolve, a document of another DID, or one without a
 * usable PDS: CredentialsInvalid. The directory unreachable or failing: Transient.
 */
export async function resolvePds(
  did: string,
  http: SafeHttp,
  plcDirectoryUrl: string,
): Promise<string> {
  const allowInsecure = http.allowPrivateAddresses;
  const url = didDocumentUrl(did, plcDirectoryUrl, allowInsecure);
  if (!url) throw new CredentialsInvalid(`the account's DID is not one Bluesky resolves: ${did}`);
  const answer = await http.send({
    url,
    timeoutMs: IDENTITY_TIMEOUT_MS,
    maxBodyBytes: DID_DOCUMENT_MAX_BYTES,
  });
  if (answer.status !== 200) throw failedAnswer(answer, `the DID document of ${did}`);
  if (!isObject(answer.json) || answer.json.id !== did)
    throw new CredentialsInvalid(`the DID document found for ${did} is not its own`);
  const pds = pdsEndpointOf(answer.json, did);
  if (!pds) throw new CredentialsInvalid(`the DID document of ${did} names no PDS`);
  const problems = channelUrlProblems(pds, allowInsecure);
  if (problems.length > 0)
    throw new CredentialsInvalid(`the PDS of ${did} ${problems.join(', ')}: ${pds}`);
  return pds;
}
