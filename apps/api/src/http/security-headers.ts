import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';

/**
 * The Content-Security-Policy of everything the api serves: the web app, the Swagger UI at
 * /api/docs and the JSON answers. No inline or foreign script anywhere (the Vite build and
 * Swagger UI load their scripts from files of this origin). Inline styles are allowed: the
 * Swagger UI's page has a <style> block, and charts and React set style attributes.
 * `connect-src 'self'` covers the socket.io websocket on the same host (CSP Level 3).
 */
export const CONTENT_SECURITY_POLICY: Record<string, string[]> = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

export interface SecurityHeaderOptions {
  /** Strict-Transport-Security: only where the api is reached over HTTPS (production). */
  hsts: boolean;
}

/** The browser's protections for every answer (helmet). */
export function securityHeaders({ hsts }: SecurityHeaderOptions) {
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: hsts ? { maxAge: 365 * 24 * 3600, includeSubDomains: true } : false,
    xContentTypeOptions: true,
  });
}

/** API answers (tokens, customers' words) are never stored by a browser or a proxy. */
export function noStore(_request: Request, response: Response, next: NextFunction): void {
  response.setHeader('Cache-Control', 'no-store');
  next();
}
