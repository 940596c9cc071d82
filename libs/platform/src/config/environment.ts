import { randomBytes } from 'node:crypto';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
  type ValidationError,
} from 'class-validator';

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
const toBool = ({ value }: { value: unknown }) =>
  value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Every environment variable Toonbank reads, with its default. Validated at start-up:
 * a missing or bad variable stops the process with one clear line per problem.
 */
export class Environment {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  /** Interface the API listens on. */
  @IsString()
  HOST = '127.0.0.1';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'must be a postgres:// URL' })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/toonbank';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_POOL_SIZE = 10;

  @Matches(/^rediss?:\/\/\S+$/, { message: 'must be a redis:// or rediss:// URL' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  /** Namespaces every Redis key, queue and pub/sub channel of this deployment. */
  @Matches(/^[a-z0-9][a-z0-9-]{0,39}$/, {
    message: 'must be 1-40 lower-case letters, digits or dashes',
  })
  REDIS_PREFIX = 'toonbank';

  /** Signs access tokens. Required in production; elsewhere a random one per process is used. */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'must be at least 32 characters' })
  JWT_SECRET?: string = undefined;

  /** Signs paging cursors; derived from JWT_SECRET when absent. */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'must be at least 32 characters' })
  CURSOR_SECRET?: string = undefined;

  @Transform(toInt)
  @IsInt()
  @Min(900, { message: 'must be at least 900 (access tokens live at least 15 minutes)' })
  @Max(86400)
  ACCESS_TOKEN_TTL_SECONDS = 900;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(365)
  REFRESH_TOKEN_TTL_DAYS = 30;

  /** AES-256-GCM key for channel credentials: 32 bytes, base64. Required in production. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9+/]{43}=$/, { message: 'must be 32 bytes in base64 (44 characters)' })
  CHANNEL_ENCRYPTION_KEY?: string = undefined;

  /** Allows http:// and private addresses in channel URLs (development and tests only). */
  @Transform(toBool)
  @IsBoolean()
  CHANNEL_ALLOW_INSECURE_URLS = false;

  /**
   * The DID PLC directory that resolves a Bluesky account's `did:plc` to its DID document (its
   * PDS), to confirm a connected account really is the one the service named.
   */
  @Matches(/^https?:\/\/[^\s/?#@]+(\/[^\s?#]*)?$/, {
    message: 'must be an http(s) URL without credentials, query or fragment',
  })
  BLUESKY_PLC_DIRECTORY_URL = 'https://plc.directory';

  @IsOptional()
  @IsString()
  META_APP_SECRET?: string = undefined;

  @IsOptional()
  @IsString()
  META_VERIFY_TOKEN?: string = undefined;

  /** Bearer token for GET /metrics; without it /metrics answers only on loopback. */
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'must be at least 16 characters' })
  METRICS_TOKEN?: string = undefined;

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: LogLevel = 'info';

  /** The built web app that the API serves; none when absent. */
  @IsOptional()
  @IsString()
  WEB_DIST_DIR?: string = undefined;

  /** Seed the demo organisations in production too (never by default). */
  @Transform(toBool)
  @IsBoolean()
  SEED_DEMO = false;

  /**
   * How often the worker sweeps for what a lost trigger missed (routing, hand-back, SLA
   * breaches); 0 = never (tests that drive the sweeps themselves).
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3600)
  SWEEP_INTERVAL_SECONDS = 60;

  /**
   * How often the worker checks that its job schedulers (polls, sweeps, maintenance) are still
   * in Redis and re-creates the missing ones (Redis back empty); also on every reconnect.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3600)
  SCHEDULE_CHECK_SECONDS = 60;

  /** "Poll now" answers the poll's result if it finished within this time, else 202. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(60)
  POLL_NOW_WAIT_SECONDS = 10;

  /** A writer's `composer.inactive` goes out after this long without a heartbeat (API.md: 10). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(60)
  COMPOSER_IDLE_SECONDS = 10;

  /** Hops of reverse proxies to trust for the client address (throttling by address). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(10)
  TRUST_PROXY_HOPS = 0;

  /**
   * The worker's own /metrics listener (jobs, ingest, replies sent); none when absent. 0 takes
   * any free port. Guarded as the api's /metrics is (METRICS_TOKEN, else loopback only).
   */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  WORKER_METRICS_PORT?: number = undefined;

  /** Interface of the worker's metrics listener. */
  @IsString()
  @Matches(/^[\w.:-]+$/, { message: 'must be a host name or address' })
  WORKER_METRICS_HOST = '127.0.0.1';

  /**
   * On SIGTERM the api first answers GET /api/health/ready with 503 for this long, still
   * serving, so that a load balancer stops sending before the listener closes.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(20)
  SHUTDOWN_DELAY_SECONDS = 0;

  /**
   * The queue dashboard (Bull Board at /api/admin/queues) is served to the admins of this
   * organisation (its slug) only: it shows every organisation's jobs, so it belongs to the
   * operator of the deployment. Off when absent.
   */
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9-]{0,62}$/, { message: 'must be an organisation slug' })
  QUEUE_DASHBOARD_ORG?: string = undefined;
}

/** The names of every variable the configuration knows (the compose file may set no other). */
export const ENVIRONMENT_KEYS: readonly string[] = Object.keys(new Environment());

/** Type rules come before range rules: "abc" is not an integer, rather than "too large". */
const RULE_ORDER = ['isInt', 'isBoolean', 'isString', 'isIn', 'matches'];

/** One line per variable: its most fundamental broken rule. */
const describe = (error: ValidationError): string => {
  const constraints = Object.entries(error.constraints ?? {}).sort(
    ([a], [b]) => (RULE_ORDER.indexOf(a) + 1 || 99) - (RULE_ORDER.indexOf(b) + 1 || 99),
  );
  const message = constraints[0]?.[1] ?? 'is not valid';
  return `${error.property}: ${message.replace(`${error.property} `, '')} (got ${JSON.stringify(error.value)})`;
};

/**
 * Reads and checks the environment. Throws one Error listing every problem, one line per
 * variable, so that a deployment learns all that is wrong at once.
 */
export function loadEnvironment(source: Record<string, string | undefined>): Environment {
  const known = Object.fromEntries(
    ENVIRONMENT_KEYS.filter((key) => source[key] !== undefined && source[key] !== '').map((key) => [
      key,
      source[key],
    ]),
  );
  const env = plainToInstance(Environment, known, { exposeDefaultValues: true });
  const problems = new Map<string, string>(
    validateSync(env, { forbidUnknownValues: false }).map((error) => [
      error.property,
      describe(error),
    ]),
  );
  if (env.NODE_ENV === 'production') {
    const require = (key: keyof Environment, message: string, broken: boolean) => {
      if (broken && !problems.has(key)) problems.set(key, `${key}: ${message}`);
    };
    require('JWT_SECRET', 'is required in production', !env.JWT_SECRET);
    require('CHANNEL_ENCRYPTION_KEY', 'is required in production', !env.CHANNEL_ENCRYPTION_KEY);
    require('CHANNEL_ALLOW_INSECURE_URLS', 'must not be true in production', env.CHANNEL_ALLOW_INSECURE_URLS ===
      true);
    require('BLUESKY_PLC_DIRECTORY_URL', 'must use https in production', !env.BLUESKY_PLC_DIRECTORY_URL.startsWith(
      'https://',
    ));
  }
  if (problems.size > 0) {
    throw new Error(
      `Invalid configuration:\n${[...problems.values()].map((p) => `  - ${p}`).join('\n')}`,
    );
  }
  // Outside production a missing secret is made up: tokens then die with the process.
  env.JWT_SECRET ??= randomBytes(32).toString('base64');
  return env;
}
