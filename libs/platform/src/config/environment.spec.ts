import { Environment, ENVIRONMENT_KEYS, loadEnvironment, LOG_LEVELS } from './environment';

type Source = Record<string, string | undefined>;

const KEY_A = Buffer.alloc(32, 7).toString('base64');
// Bytes chosen so that the base64 text holds '+' and '/'.
const KEY_B = Buffer.from(Array.from({ length: 32 }, (_, i) => 0xf8 + (i % 8))).toString('base64');
const SECRET = 's'.repeat(32);
const PRODUCTION: Source = {
  NODE_ENV: 'production',
  JWT_SECRET: SECRET,
  CHANNEL_ENCRYPTION_KEY: KEY_A,
};

/** The problem lines of the error loadEnvironment throws ("  - KEY: …" without the dash). */
function problemsOf(source: Source): string[] {
  let message: string | undefined;
  try {
    loadEnvironment(source);
  } catch (error) {
    message = (error as Error).message;
  }
  if (message === undefined) throw new Error(`expected ${JSON.stringify(source)} to be refused`);
  const [title, ...lines] = message.split('\n');
  expect(title).toBe('Invalid configuration:');
  for (const line of lines) expect(line).toMatch(/^ {2}- [A-Z_]+: \S/);
  return lines.map((line) => line.replace(/^ {2}- /, ''));
}
const variableOf = (line: string) => line.slice(0, line.indexOf(':'));

const DEFAULTS: [keyof Environment, unknown][] = [
  ['NODE_ENV', 'development'],
  ['HOST', '127.0.0.1'],
  ['PORT', 3000],
  ['DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/toonbank'],
  ['DATABASE_POOL_SIZE', 10],
  ['REDIS_URL', 'redis://127.0.0.1:6379'],
  ['REDIS_PREFIX', 'toonbank'],
  ['CURSOR_SECRET', undefined],
  ['ACCESS_TOKEN_TTL_SECONDS', 900],
  ['REFRESH_TOKEN_TTL_DAYS', 30],
  ['CHANNEL_ENCRYPTION_KEY', undefined],
  ['CHANNEL_ALLOW_INSECURE_URLS', false],
  ['BLUESKY_PLC_DIRECTORY_URL', 'https://plc.directory'],
  ['META_APP_SECRET', undefined],
  ['META_VERIFY_TOKEN', undefined],
  ['METRICS_TOKEN', undefined],
  ['LOG_LEVEL', 'info'],
  ['WEB_DIST_DIR', undefined],
  ['SEED_DEMO', false],
  ['SWEEP_INTERVAL_SECONDS', 60],
  ['SCHEDULE_CHECK_SECONDS', 60],
  ['POLL_NOW_WAIT_SECONDS', 10],
  ['COMPOSER_IDLE_SECONDS', 10],
  ['TRUST_PROXY_HOPS', 0],
  ['WORKER_METRICS_PORT', undefined],
  ['WORKER_METRICS_HOST', '127.0.0.1'],
  ['SHUTDOWN_DELAY_SECONDS', 0],
  ['QUEUE_DASHBOARD_ORG', undefined],
];

describe('loadEnvironment: defaults', () => {
  it.each(DEFAULTS)('an empty environment gives %s = %p', (key, expected) => {
    expect(loadEnvironment({})[key]).toStrictEqual(expected);
  });

  it('returns an Environment', () => {
    expect(loadEnvironment({})).toBeInstanceOf(Environment);
  });

  it('the defaults table covers every variable but the made-up JWT_SECRET', () => {
    expect(DEFAULTS.map(([key]) => key).sort()).toEqual(
      ENVIRONMENT_KEYS.filter((key) => key !== 'JWT_SECRET').sort(),
    );
  });
});

describe('loadEnvironment: valid values', () => {
  it.each<[string, string, unknown]>([
    ['NODE_ENV', 'development', 'development'],
    ['NODE_ENV', 'test', 'test'],
    ['HOST', '0.0.0.0', '0.0.0.0'],
    ['HOST', '::', '::'],
    ['PORT', '0', 0],
    ['PORT', '1', 1],
    ['PORT', '8080', 8080],
    ['PORT', '65535', 65535],
    ['PORT', ' 8080 ', 8080],
    ['DATABASE_URL', 'postgres://u:p@db:5432/x', 'postgres://u:p@db:5432/x'],
    ['DATABASE_URL', 'postgresql://db/x?sslmode=require', 'postgresql://db/x?sslmode=require'],
    ['DATABASE_POOL_SIZE', '1', 1],
    ['DATABASE_POOL_SIZE', '200', 200],
    ['REDIS_URL', 'redis://r:6379', 'redis://r:6379'],
    ['REDIS_URL', 'rediss://user:pw@r:6380/2', 'rediss://user:pw@r:6380/2'],
    ['REDIS_PREFIX', 'a', 'a'],
    ['REDIS_PREFIX', '0', '0'],
    ['REDIS_PREFIX', 'toonbank-staging-2', 'toonbank-staging-2'],
    ['REDIS_PREFIX', 'a'.repeat(40), 'a'.repeat(40)],
    ['JWT_SECRET', 'x'.repeat(32), 'x'.repeat(32)],
    ['JWT_SECRET', 'x'.repeat(200), 'x'.repeat(200)],
    ['CURSOR_SECRET', 'c'.repeat(32), 'c'.repeat(32)],
    ['ACCESS_TOKEN_TTL_SECONDS', '900', 900],
    ['ACCESS_TOKEN_TTL_SECONDS', '3600', 3600],
    ['ACCESS_TOKEN_TTL_SECONDS', '86400', 86400],
    ['REFRESH_TOKEN_TTL_DAYS', '1', 1],
    ['REFRESH_TOKEN_TTL_DAYS', '365', 365],
    ['CHANNEL_ENCRYPTION_KEY', KEY_A, KEY_A],
    ['CHANNEL_ENCRYPTION_KEY', KEY_B, KEY_B],
    ['CHANNEL_ALLOW_INSECURE_URLS', 'true', true],
    ['CHANNEL_ALLOW_INSECURE_URLS', '1', true],
    ['CHANNEL_ALLOW_INSECURE_URLS', 'false', false],
    ['CHANNEL_ALLOW_INSECURE_URLS', '0', false],
    ['BLUESKY_PLC_DIRECTORY_URL', 'https://plc.example.org', 'https://plc.example.org'],
    ['BLUESKY_PLC_DIRECTORY_URL', 'http://127.0.0.1:4714', 'http://127.0.0.1:4714'],
    ['BLUESKY_PLC_DIRECTORY_URL', 'https://mirror.example/plc', 'https://mirror.example/plc'],
    ['SEED_DEMO', 'true', true],
    ['SEED_DEMO', '1', true],
    ['SEED_DEMO', 'false', false],
    ['SEED_DEMO', '0', false],
    ['META_APP_SECRET', 'app-secret', 'app-secret'],
    ['META_VERIFY_TOKEN', 'verify', 'verify'],
    ['METRICS_TOKEN', 'm'.repeat(16), 'm'.repeat(16)],
    ['LOG_LEVEL', 'fatal', 'fatal'],
    ['LOG_LEVEL', 'error', 'error'],
    ['LOG_LEVEL', 'warn', 'warn'],
    ['LOG_LEVEL', 'info', 'info'],
    ['LOG_LEVEL', 'debug', 'debug'],
    ['LOG_LEVEL', 'trace', 'trace'],
    ['LOG_LEVEL', 'silent', 'silent'],
    ['WEB_DIST_DIR', '/srv/toonbank/web', '/srv/toonbank/web'],
    ['SWEEP_INTERVAL_SECONDS', '0', 0],
    ['SWEEP_INTERVAL_SECONDS', '3600', 3600],
    ['SCHEDULE_CHECK_SECONDS', '1', 1],
    ['POLL_NOW_WAIT_SECONDS', '1', 1],
    ['COMPOSER_IDLE_SECONDS', '1', 1],
    ['COMPOSER_IDLE_SECONDS', '60', 60],
    ['TRUST_PROXY_HOPS', '0', 0],
    ['TRUST_PROXY_HOPS', '10', 10],
    ['WORKER_METRICS_PORT', '0', 0],
    ['WORKER_METRICS_PORT', '9464', 9464],
    ['WORKER_METRICS_HOST', '0.0.0.0', '0.0.0.0'],
    ['SHUTDOWN_DELAY_SECONDS', '5', 5],
    ['QUEUE_DASHBOARD_ORG', 'operator', 'operator'],
  ])('%s=%p is read as %p', (key, raw, expected) => {
    const env = loadEnvironment({ [key]: raw });
    expect(env[key as keyof Environment]).toStrictEqual(expected);
  });

  it('LOG_LEVELS are exactly the pino levels', () => {
    expect([...LOG_LEVELS]).toEqual(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);
  });
});

describe('loadEnvironment: invalid values', () => {
  const INT = 'must be an integer number';
  const BOOL = 'must be a boolean value';
  const PREFIX = 'must be 1-40 lower-case letters, digits or dashes';
  const KEY = 'must be 32 bytes in base64 (44 characters)';
  const PLC = 'must be an http(s) URL without credentials, query or fragment';
  const LEVELS =
    'must be one of the following values: fatal, error, warn, info, debug, trace, silent';

  it.each<[string, string, string]>([
    ['NODE_ENV', 'staging', 'must be one of the following values: development, production, test'],
    [
      'NODE_ENV',
      'Production',
      'must be one of the following values: development, production, test',
    ],
    ['PORT', '65536', 'must not be greater than 65535'],
    ['PORT', '-1', 'must not be less than 0'],
    ['PORT', 'abc', INT],
    ['PORT', '80.5', INT],
    ['PORT', '1e3', INT],
    ['PORT', '0x50', INT],
    ['DATABASE_URL', 'mysql://db/x', 'must be a postgres:// URL'],
    ['DATABASE_URL', 'postgres://', 'must be a postgres:// URL'],
    ['DATABASE_URL', 'postgres://db name/x', 'must be a postgres:// URL'],
    ['DATABASE_URL', 'db:5432', 'must be a postgres:// URL'],
    ['DATABASE_POOL_SIZE', '0', 'must not be less than 1'],
    ['DATABASE_POOL_SIZE', '201', 'must not be greater than 200'],
    ['REDIS_URL', 'http://r:6379', 'must be a redis:// or rediss:// URL'],
    ['REDIS_URL', 'redis://', 'must be a redis:// or rediss:// URL'],
    ['REDIS_URL', 'r:6379', 'must be a redis:// or rediss:// URL'],
    ['REDIS_PREFIX', 'Toonbank', PREFIX],
    ['REDIS_PREFIX', '-toonbank', PREFIX],
    ['REDIS_PREFIX', 'toon_bank', PREFIX],
    ['REDIS_PREFIX', 'toon:bank', PREFIX],
    ['REDIS_PREFIX', 'a'.repeat(41), PREFIX],
    ['JWT_SECRET', 'x'.repeat(31), 'must be at least 32 characters'],
    ['CURSOR_SECRET', 'short', 'must be at least 32 characters'],
    [
      'ACCESS_TOKEN_TTL_SECONDS',
      '899',
      'must be at least 900 (access tokens live at least 15 minutes)',
    ],
    [
      'ACCESS_TOKEN_TTL_SECONDS',
      '60',
      'must be at least 900 (access tokens live at least 15 minutes)',
    ],
    [
      'ACCESS_TOKEN_TTL_SECONDS',
      '0',
      'must be at least 900 (access tokens live at least 15 minutes)',
    ],
    ['ACCESS_TOKEN_TTL_SECONDS', '86401', 'must not be greater than 86400'],
    ['REFRESH_TOKEN_TTL_DAYS', '0', 'must not be less than 1'],
    ['REFRESH_TOKEN_TTL_DAYS', '366', 'must not be greater than 365'],
    ['CHANNEL_ENCRYPTION_KEY', 'not-a-key', KEY],
    ['CHANNEL_ENCRYPTION_KEY', Buffer.alloc(31, 7).toString('base64'), KEY],
    ['CHANNEL_ENCRYPTION_KEY', Buffer.alloc(33, 7).toString('base64'), KEY],
    ['CHANNEL_ENCRYPTION_KEY', Buffer.alloc(32, 0xfb).toString('base64url') + '=', KEY],
    ['CHANNEL_ENCRYPTION_KEY', Buffer.alloc(32, 7).toString('hex'), KEY],
    ['CHANNEL_ALLOW_INSECURE_URLS', 'yes', BOOL],
    ['CHANNEL_ALLOW_INSECURE_URLS', 'TRUE', BOOL],
    ['CHANNEL_ALLOW_INSECURE_URLS', 'on', BOOL],
    ['CHANNEL_ALLOW_INSECURE_URLS', '2', BOOL],
    ['BLUESKY_PLC_DIRECTORY_URL', 'plc.directory', PLC],
    ['BLUESKY_PLC_DIRECTORY_URL', 'ftp://plc.directory', PLC],
    ['BLUESKY_PLC_DIRECTORY_URL', 'https://u:p@plc.directory', PLC],
    ['BLUESKY_PLC_DIRECTORY_URL', 'https://plc.directory/?x=1', PLC],
    ['SEED_DEMO', 'no', BOOL],
    ['SEED_DEMO', 'False', BOOL],
    ['METRICS_TOKEN', 'm'.repeat(15), 'must be at least 16 characters'],
    ['LOG_LEVEL', 'verbose', LEVELS],
    ['LOG_LEVEL', 'INFO', LEVELS],
    ['SWEEP_INTERVAL_SECONDS', '3601', 'must not be greater than 3600'],
    ['SCHEDULE_CHECK_SECONDS', '0', 'must not be less than 1'],
    ['POLL_NOW_WAIT_SECONDS', '61', 'must not be greater than 60'],
    ['COMPOSER_IDLE_SECONDS', '0', 'must not be less than 1'],
    ['COMPOSER_IDLE_SECONDS', '61', 'must not be greater than 60'],
    ['TRUST_PROXY_HOPS', '11', 'must not be greater than 10'],
    ['TRUST_PROXY_HOPS', '-1', 'must not be less than 0'],
    ['WORKER_METRICS_PORT', '65536', 'must not be greater than 65535'],
    ['WORKER_METRICS_PORT', 'ninety', 'must be an integer number'],
    ['SHUTDOWN_DELAY_SECONDS', '21', 'must not be greater than 20'],
    ['QUEUE_DASHBOARD_ORG', 'Demo Org', 'must be an organisation slug'],
  ])('%s=%p is refused: "%s"', (key, raw, message) => {
    const problems = problemsOf({ [key]: raw });
    expect(problems).toContainEqual(expect.stringMatching(/\(got .+\)$/));
    expect(problems).toContainEqual(expect.stringContaining(`${key}: ${message} (got `));
    expect(problems.filter((line) => variableOf(line) !== key)).toEqual([]);
  });

  it.each<[string, string, string]>([
    ['PORT', '70000', 'PORT: must not be greater than 65535 (got 70000)'],
    ['LOG_LEVEL', 'loud', `LOG_LEVEL: ${LEVELS} (got "loud")`],
    ['REDIS_PREFIX', 'BAD', `REDIS_PREFIX: ${PREFIX} (got "BAD")`],
    ['CHANNEL_ALLOW_INSECURE_URLS', 'yes', `CHANNEL_ALLOW_INSECURE_URLS: ${BOOL} (got "yes")`],
  ])('%s=%p is reported as the exact line %p', (key, raw, line) => {
    expect(problemsOf({ [key]: raw })).toEqual([line]);
  });

  it('lists every problem at once, one line per variable', () => {
    const problems = problemsOf({
      PORT: '70000',
      DATABASE_URL: 'mysql://db/x',
      REDIS_PREFIX: 'BAD',
      JWT_SECRET: 'short',
      ACCESS_TOKEN_TTL_SECONDS: '60',
      CHANNEL_ALLOW_INSECURE_URLS: 'yes',
      LOG_LEVEL: 'loud',
      CHANNEL_ENCRYPTION_KEY: 'nope',
    });
    expect(problems.map(variableOf).sort()).toEqual(
      [
        'ACCESS_TOKEN_TTL_SECONDS',
        'CHANNEL_ALLOW_INSECURE_URLS',
        'CHANNEL_ENCRYPTION_KEY',
        'DATABASE_URL',
        'JWT_SECRET',
        'LOG_LEVEL',
        'PORT',
        'REDIS_PREFIX',
      ].sort(),
    );
  });

  // A value that is not a number at all should give one clear line, not the integer,
  // minimum and maximum rules each at once ("must not be greater than 65535" for "abc").
  it.each<[string, string, Source]>([
    ['PORT=abc', 'PORT', { PORT: 'abc' }],
    ['PORT=80.5', 'PORT', { PORT: '80.5' }],
    ['DATABASE_POOL_SIZE=ten', 'DATABASE_POOL_SIZE', { DATABASE_POOL_SIZE: 'ten' }],
    [
      'ACCESS_TOKEN_TTL_SECONDS=15m',
      'ACCESS_TOKEN_TTL_SECONDS',
      { ACCESS_TOKEN_TTL_SECONDS: '15m' },
    ],
    ['TRUST_PROXY_HOPS=1.5', 'TRUST_PROXY_HOPS', { TRUST_PROXY_HOPS: '1.5' }],
    [
      'CHANNEL_ALLOW_INSECURE_URLS=yes in production',
      'CHANNEL_ALLOW_INSECURE_URLS',
      { ...PRODUCTION, CHANNEL_ALLOW_INSECURE_URLS: 'yes' },
    ],
  ])('%s is reported on exactly one line', (_label, key, source) => {
    expect(problemsOf(source)).toEqual([expect.stringMatching(new RegExp(`^${key}: `))]);
  });

  it('does not report valid variables next to invalid ones', () => {
    expect(problemsOf({ PORT: '70000', HOST: '0.0.0.0', LOG_LEVEL: 'debug' })).toEqual([
      'PORT: must not be greater than 65535 (got 70000)',
    ]);
  });
});

describe('loadEnvironment: production', () => {
  it('accepts a complete production environment and keeps its secret', () => {
    const env = loadEnvironment(PRODUCTION);
    expect(env.NODE_ENV).toBe('production');
    expect(env.JWT_SECRET).toBe(SECRET);
    expect(env.CHANNEL_ENCRYPTION_KEY).toBe(KEY_A);
    expect(env.CHANNEL_ALLOW_INSECURE_URLS).toBe(false);
  });

  it.each<[string, Source, string[]]>([
    [
      'JWT_SECRET missing',
      { ...PRODUCTION, JWT_SECRET: undefined },
      ['JWT_SECRET: is required in production'],
    ],
    [
      'JWT_SECRET empty',
      { ...PRODUCTION, JWT_SECRET: '' },
      ['JWT_SECRET: is required in production'],
    ],
    [
      'CHANNEL_ENCRYPTION_KEY missing',
      { ...PRODUCTION, CHANNEL_ENCRYPTION_KEY: undefined },
      ['CHANNEL_ENCRYPTION_KEY: is required in production'],
    ],
    [
      'CHANNEL_ENCRYPTION_KEY empty',
      { ...PRODUCTION, CHANNEL_ENCRYPTION_KEY: '' },
      ['CHANNEL_ENCRYPTION_KEY: is required in production'],
    ],
    [
      'both secrets missing',
      { NODE_ENV: 'production' },
      [
        'JWT_SECRET: is required in production',
        'CHANNEL_ENCRYPTION_KEY: is required in production',
      ],
    ],
    [
      'CHANNEL_ALLOW_INSECURE_URLS=true',
      { ...PRODUCTION, CHANNEL_ALLOW_INSECURE_URLS: 'true' },
      ['CHANNEL_ALLOW_INSECURE_URLS: must not be true in production'],
    ],
    [
      'an http:// PLC directory',
      { ...PRODUCTION, BLUESKY_PLC_DIRECTORY_URL: 'http://plc.directory' },
      ['BLUESKY_PLC_DIRECTORY_URL: must use https in production'],
    ],
    [
      'CHANNEL_ALLOW_INSECURE_URLS=1',
      { ...PRODUCTION, CHANNEL_ALLOW_INSECURE_URLS: '1' },
      ['CHANNEL_ALLOW_INSECURE_URLS: must not be true in production'],
    ],
    [
      'everything wrong at once',
      { NODE_ENV: 'production', CHANNEL_ALLOW_INSECURE_URLS: 'true', PORT: '70000' },
      [
        'PORT: must not be greater than 65535 (got 70000)',
        'JWT_SECRET: is required in production',
        'CHANNEL_ENCRYPTION_KEY: is required in production',
        'CHANNEL_ALLOW_INSECURE_URLS: must not be true in production',
      ],
    ],
  ])('refuses %s', (_label, source, expected) => {
    expect(problemsOf(source).sort()).toEqual([...expected].sort());
  });

  it.each(['false', '0'])('accepts CHANNEL_ALLOW_INSECURE_URLS=%s', (raw) => {
    expect(
      loadEnvironment({ ...PRODUCTION, CHANNEL_ALLOW_INSECURE_URLS: raw })
        .CHANNEL_ALLOW_INSECURE_URLS,
    ).toBe(false);
  });

  it('still checks the length of a production JWT_SECRET', () => {
    expect(problemsOf({ ...PRODUCTION, JWT_SECRET: 'too-short' })).toEqual([
      'JWT_SECRET: must be at least 32 characters (got "too-short")',
    ]);
  });
});

describe('loadEnvironment: outside production', () => {
  it.each<[string, Source]>([
    ['nothing set', {}],
    ['NODE_ENV=development', { NODE_ENV: 'development' }],
    ['NODE_ENV=test', { NODE_ENV: 'test' }],
    ['JWT_SECRET empty', { NODE_ENV: 'test', JWT_SECRET: '' }],
  ])('with %s makes up a random 32-byte JWT_SECRET', (_label, source) => {
    const first = loadEnvironment(source).JWT_SECRET;
    const second = loadEnvironment(source).JWT_SECRET;
    expect(typeof first).toBe('string');
    expect(first!.length).toBeGreaterThanOrEqual(32);
    expect(Buffer.from(first!, 'base64')).toHaveLength(32);
    expect(second).not.toBe(first);
  });

  it('keeps a JWT_SECRET that is given', () => {
    expect(loadEnvironment({ JWT_SECRET: SECRET }).JWT_SECRET).toBe(SECRET);
  });

  it('does not make up a CURSOR_SECRET or CHANNEL_ENCRYPTION_KEY', () => {
    const env = loadEnvironment({ NODE_ENV: 'development' });
    expect(env.CURSOR_SECRET).toBeUndefined();
    expect(env.CHANNEL_ENCRYPTION_KEY).toBeUndefined();
  });

  it.each(['development', 'test'])(
    'allows CHANNEL_ALLOW_INSECURE_URLS=true with NODE_ENV=%s',
    (nodeEnv) => {
      const env = loadEnvironment({ NODE_ENV: nodeEnv, CHANNEL_ALLOW_INSECURE_URLS: 'true' });
      expect(env.CHANNEL_ALLOW_INSECURE_URLS).toBe(true);
    },
  );
});

describe('loadEnvironment: what it ignores', () => {
  const withoutSecret = (env: Environment) => ({ ...env, JWT_SECRET: undefined });

  it.each<[string, Source]>([
    ['unknown variables', { FOO: 'bar', PATH: '/usr/bin', HOME: '/root' }],
    ['lower-case spellings of known variables', { port: '1', log_level: 'loud' }],
    ['invalid values of unknown variables', { TOONBANK_PORT: 'abc', NODE_OPTIONS: '--oops' }],
    ['undefined values', { PORT: undefined, NODE_ENV: undefined }],
  ])('ignores %s', (_label, source) => {
    const env = loadEnvironment(source);
    expect(withoutSecret(env)).toEqual(withoutSecret(loadEnvironment({})));
    for (const key of Object.keys(source)) {
      if (!ENVIRONMENT_KEYS.includes(key)) expect(env).not.toHaveProperty(key);
    }
  });

  it.each(ENVIRONMENT_KEYS.filter((key) => key !== 'JWT_SECRET'))(
    'treats an empty %s as unset',
    (key) => {
      const env = loadEnvironment({ [key]: '' });
      expect(env[key as keyof Environment]).toStrictEqual(
        loadEnvironment({})[key as keyof Environment],
      );
    },
  );

  it('treats an environment of only empty strings as empty', () => {
    const source = Object.fromEntries(ENVIRONMENT_KEYS.map((key) => [key, '']));
    expect(withoutSecret(loadEnvironment(source))).toEqual(withoutSecret(loadEnvironment({})));
  });

  it('does not change the source it reads', () => {
    const source: Source = { PORT: '8080', FOO: 'bar', JWT_SECRET: '' };
    const copy = { ...source };
    loadEnvironment(source);
    expect(source).toEqual(copy);
  });
});

describe('ENVIRONMENT_KEYS', () => {
  const EXPECTED = [
    'NODE_ENV',
    'HOST',
    'PORT',
    'DATABASE_URL',
    'DATABASE_POOL_SIZE',
    'REDIS_URL',
    'REDIS_PREFIX',
    'JWT_SECRET',
    'CURSOR_SECRET',
    'ACCESS_TOKEN_TTL_SECONDS',
    'REFRESH_TOKEN_TTL_DAYS',
    'CHANNEL_ENCRYPTION_KEY',
    'CHANNEL_ALLOW_INSECURE_URLS',
    'BLUESKY_PLC_DIRECTORY_URL',
    'META_APP_SECRET',
    'META_VERIFY_TOKEN',
    'METRICS_TOKEN',
    'LOG_LEVEL',
    'WEB_DIST_DIR',
    'SEED_DEMO',
    'SWEEP_INTERVAL_SECONDS',
    'SCHEDULE_CHECK_SECONDS',
    'POLL_NOW_WAIT_SECONDS',
    'COMPOSER_IDLE_SECONDS',
    'TRUST_PROXY_HOPS',
    'WORKER_METRICS_PORT',
    'WORKER_METRICS_HOST',
    'SHUTDOWN_DELAY_SECONDS',
    'QUEUE_DASHBOARD_ORG',
  ];

  it('names every variable, once', () => {
    expect([...ENVIRONMENT_KEYS].sort()).toEqual([...EXPECTED].sort());
    expect(new Set(ENVIRONMENT_KEYS).size).toBe(ENVIRONMENT_KEYS.length);
  });

  it('lists every property of a loaded Environment', () => {
    expect(Object.keys(loadEnvironment({})).sort()).toEqual([...ENVIRONMENT_KEYS].sort());
    expect(Object.keys(loadEnvironment(PRODUCTION)).sort()).toEqual([...ENVIRONMENT_KEYS].sort());
  });

  it.each(EXPECTED)('%s is read from the source', (key) => {
    const freeForm = key === 'HOST' || key.startsWith('META_') || key === 'WEB_DIST_DIR';
    if (freeForm) {
      // Free-form strings are read as they are.
      expect(loadEnvironment({ [key]: 'value-from-source' })[key as keyof Environment]).toBe(
        'value-from-source',
      );
    } else {
      // Every other variable has a rule: a value it refuses must show up in the error.
      expect(problemsOf({ [key]: '\u0000bad' }).map(variableOf)).toContain(key);
    }
  });
});
