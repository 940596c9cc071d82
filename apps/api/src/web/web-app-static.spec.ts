import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import express from 'express';
import request from 'supertest';
import { cacheControlFor, IMMUTABLE, REVALIDATE, SHORT, webAppHandler } from './web-app-static';

const JS = `export const greeting = ${JSON.stringify('hallo '.repeat(200))};\n`;
const HTML = '<!doctype html><html><body><div id="root"></div></body></html>\n';

/** A build as Vite and vite-plugin-compression2 leave it: each text file also as .br and .gz. */
function fakeBuild(): string {
  const dir = mkdtempSync(join(tmpdir(), 'toonbank-web-'));
  mkdirSync(join(dir, 'assets'));
  const write = (path: string, text: string, compressed = true) => {
    writeFileSync(join(dir, path), text);
    if (!compressed) return;
    writeFileSync(join(dir, `${path}.br`), brotliCompressSync(text));
    writeFileSync(join(dir, `${path}.gz`), gzipSync(text));
  };
  write('index.html', HTML);
  write('assets/index-abc123.js', JS);
  write('assets/index-abc123.js.map', '{}', false);
  write('robots.txt', 'User-agent: *\n', false);
  return dir;
}

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The bytes as sent (supertest would decompress them). */
  body: Buffer;
}

function rawGet(server: Server, path: string, headers: Record<string, string>) {
  const { port } = server.address() as AddressInfo;
  return new Promise<RawResponse>((resolve, reject) => {
    get({ host: '127.0.0.1', port, path, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks),
        }),
      );
    }).on('error', reject);
  });
}

describe('webAppHandler', () => {
  let dir: string;
  let app: express.Express;
  let server: Server;

  beforeAll(async () => {
    dir = fakeBuild();
    app = express();
    app.get('/api/known', (_request, response) => {
      response.json({ ok: true });
    });
    app.use(webAppHandler(dir));
    // What Nest does after the web app: unknown paths are the API's JSON 404.
    app.use((_request, response) => {
      response.status(404).json({ code: 'not_found' });
    });
    server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it.each<[string, string | undefined, string | undefined, (body: Buffer) => Buffer]>([
    ['brotli when accepted', 'gzip, deflate, br', 'br', brotliDecompressSync],
    ['gzip when brotli is not accepted', 'gzip', 'gzip', gunzipSync],
    ['the file itself without Accept-Encoding', undefined, undefined, (body) => body],
    ['the file itself for identity only', 'identity', undefined, (body) => body],
    ['the file itself when gzip is refused', 'gzip;q=0', undefined, (body) => body],
  ])('a hashed asset: %s, cached for a year', async (_label, accept, encoding, decode) => {
    const response = await rawGet(
      server,
      '/assets/index-abc123.js',
      accept === undefined ? {} : { 'Accept-Encoding': accept },
    );

    expect(response.status).toBe(200);
    expect(response.headers['content-encoding']).toBe(encoding);
    expect(response.headers['content-type']).toMatch(/^(text|application)\/javascript/);
    expect(response.headers['vary']).toBe('Accept-Encoding');
    expect(response.headers['cache-control']).toBe(IMMUTABLE);
    expect(decode(response.body).toString()).toBe(JS);
  });

  it.each([['/'], ['/inbox'], ['/admin/users'], ['/inbox/00000000-0000-4000-8000-000000000001']])(
    '%s is index.html, revalidated on every visit',
    async (path) => {
      const response = await rawGet(server, path, { 'Accept-Encoding': 'br' });
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/html; charset=utf-8$/i);
      expect(response.headers['cache-control']).toBe(REVALIDATE);
      expect(brotliDecompressSync(response.body).toString()).toBe(HTML);
    },
  );

  it.each([
    ['an unknown API path', 'GET', '/api/not-a-route'],
    ['a missing hashed asset', 'GET', '/assets/index-gone.js'],
    ['the socket path', 'GET', '/socket.io/x'],
    ['the metrics path', 'GET', '/metrics'],
    ['a POST to an app path', 'POST', '/inbox'],
  ])('%s is not the web app (JSON 404)', async (_label, method, path) => {
    const response = await request(app)[method === 'POST' ? 'post' : 'get'](path);
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ code: 'not_found' });
  });

  it('leaves the API routes before it alone', async () => {
    const response = await request(app).get('/api/known');
    expect(response.body).toEqual({ ok: true });
  });

  it.each([
    ['assets/index-abc123.js', IMMUTABLE],
    ['assets/index-abc123.js.br', IMMUTABLE],
    ['assets/index-abc123.js.map', IMMUTABLE],
    ['index.html', REVALIDATE],
    ['index.html.br', REVALIDATE],
    ['index.html.gz', REVALIDATE],
    ['robots.txt', SHORT],
  ])('cacheControlFor(%s) = %s', (file, expected) => {
    expect(cacheControlFor('/srv/web', join('/srv/web', file))).toBe(expected);
  });
});
