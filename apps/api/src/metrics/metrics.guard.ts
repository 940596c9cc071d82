import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiError, FORWARDING_HEADERS, metricsAccess, type Environment } from '@toonbank/platform';
import type { Request } from 'express';

/**
 * /metrics is @Public() for the auth guard (Prometheus has no user) and guarded here instead
 * (API.md §Conventions): METRICS_TOKEN as a bearer token when it is set (401), otherwise
 * loopback callers only (403). `req.ip` follows TRUST_PROXY_HOPS, so a public client behind a
 * trusted proxy is seen as such.
 */
@Injectable()
export class MetricsGuard implements CanActivate {
  constructor(private readonly config: ConfigService<Environment, true>) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    const access = metricsAccess(this.config.get('METRICS_TOKEN', { infer: true }), {
      authorization: request.headers.authorization,
      socketAddress: request.socket.remoteAddress,
      clientAddress: request.ip,
      forwarded: FORWARDING_HEADERS.some((name) => request.headers[name] !== undefined),
    });
    if (access === 'unauthenticated')
      throw ApiError.unauthenticated('/metrics needs the METRICS_TOKEN as a bearer token.');
    if (access === 'forbidden')
      throw ApiError.forbidden('/metrics answers only on loopback when METRICS_TOKEN is not set.');
    return true;
  }
}
