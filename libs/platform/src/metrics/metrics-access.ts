import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';

export type MetricsAccess = 'allowed' | 'unauthenticated' | 'forbidden';

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6 (::ffff:127.0.0.1). */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const plain = address.replace(/^::ffff:/i, '');
  if (isIP(plain) === 4) return plain.startsWith('127.');
  return address === '::1' || /^(0{1,4}:){7}0{0,3}1$/.test(address);
}

/** Equal in constant time, whatever the lengths (both are hashed to 32 bytes first). */
export function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

export interface MetricsCaller {
  /** The Authorization header as sent. */
  authorization: string | undefined;
  /** The peer of the TCP connection. */
  socketAddress: string | undefined;
  /** The client as the HTTP framework sees it behind trusted proxies (TRUST_PROXY_HOPS). */
  clientAddress: string | undefined;
  /** The request names a client it was forwarded for (X-Forwarded-For, Forwarded, X-Real-IP). */
  forwarded: boolean;
}

/**
 * Who may read /metrics (API.md §Conventions). With METRICS_TOKEN set: a bearer token equal
 * to it, from anywhere, else 401. Without it: loopback callers only, else 403. A request
 * forwarded by a proxy is not a loopback caller even when the proxy runs on this host: the
 * proxy would otherwise hand the public our metrics.
 */
export function metricsAccess(token: string | undefined, caller: MetricsCaller): MetricsAccess {
  if (token) {
    const match = /^Bearer\s+(\S+)$/i.exec(caller.authorization ?? '');
    return match && sameSecret(match[1], token) ? 'allowed' : 'unauthenticated';
  }
  const local =
    !caller.forwarded && isLoopback(caller.socketAddress) && isLoopback(caller.clientAddress);
  return local ? 'allowed' : 'forbidden';
}

/** The headers by which a proxy says whom it forwards for. */
export const FORWARDING_HEADERS = ['x-forwarded-for', 'forwarded', 'x-real-ip'] as const;
