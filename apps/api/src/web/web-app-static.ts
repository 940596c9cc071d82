import type { ServerResponse } from 'node:http';
import { relative, resolve, sep } from 'node:path';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import expressStaticGzip from 'express-static-gzip';

/** Vite's hashed output (`assets/<name>-<hash>.js`): a new build gives new names. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** index.html names the current assets: a browser asks again (a 304 when unchanged). */
export const REVALIDATE = 'no-cache';
/** Anything else at the root of the build (none today): an hour, as before. */
export const SHORT = 'public, max-age=3600';

/** Paths that are never the web app: the API (JSON 404s included), the socket, the metrics. */
const NOT_THE_APP = ['/api', '/socket.io', '/metrics'];
/** A missing hashed file is a 404, not index.html (a stale tab after a deploy must see it). */
const ASSETS = '/assets';

const under = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}/`);

/**
 * The Cache-Control of a file of the build, by the file actually sent (`x.js.br` for `x.js`
 * in brotli): immutable under assets/, revalidated for HTML, an hour for the rest.
 */
export function cacheControlFor(root: string, file: string): string {
  const path = relative(root, file).split(sep).join('/');
  if (path.startsWith('assets/')) return IMMUTABLE;
  const original = path.replace(/\.(br|gz)$/, '');
  if (original.endsWith('.html')) return REVALIDATE;
  return SHORT;
}

/**
 * The built web app (WEB_DIST_DIR), as files precompressed at build time (vite.config.ts:
 * vite-plugin-compression2 writes `x.br` and `x.gz` beside each text file): express-static-gzip
 * picks brotli, else gzip, else the file itself by the request's Accept-Encoding, and sets
 * Content-Encoding, the original's Content-Type and `Vary: Accept-Encoding`; serve-static under
 * it sends the file (ETag, Last-Modified, ranges, 304s). Any other GET outside /api, /socket.io,
 * /metrics and /assets (a route of the single-page app: /inbox, /admin/users) gets index.html
 * through the same middleware.
 */
export function webAppHandler(distDir: string): RequestHandler {
  const root = resolve(distDir);
  const files = expressStaticGzip(root, {
    enableBrotli: true,
    orderPreference: ['br', 'gzip'],
    index: 'index.html',
    serveStatic: {
      index: false,
      redirect: false,
      cacheControl: false,
      setHeaders: (response: ServerResponse, file: string) => {
        response.setHeader('Cache-Control', cacheControlFor(root, file));
      },
    },
  }) as RequestHandler;

  return (request: Request, response: Response, next: NextFunction) => {
    const method = request.method;
    if ((method !== 'GET' && method !== 'HEAD') || NOT_THE_APP.some((p) => under(request.path, p)))
      return next();
    files(request, response, (error?: unknown) => {
      if (error || under(request.path, ASSETS)) return next(error);
      // Not a file of the build: a route of the single-page app.
      const url = request.url;
      request.url = '/index.html';
      files(request, response, (fallbackError?: unknown) => {
        request.url = url;
        next(fallbackError);
      });
    });
  };
}
