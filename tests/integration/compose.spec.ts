// `docker compose up` (docker-compose.yml, Dockerfile, .dockerignore) checked without a Docker
// engine: the compose file's services, health checks, start order and commands, its environment
// against the configuration schema (and start-up validation in production), and the image's
// stages (non-root, production, the built web app, no dev dependencies).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ENVIRONMENT_KEYS, loadEnvironment } from '@toonbank/platform';
import { parse } from 'yaml';

const root = path.resolve(__dirname, '..', '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

// --- docker-compose.yml ------------------------------------------------------------------------

type Command = string | string[];
interface Healthcheck {
  test?: Command;
  disable?: boolean;
}
interface Service {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: Command;
  environment?: Record<string, string | number | boolean | null> | string[];
  env_file?: unknown;
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: Healthcheck;
  ports?: (string | number | { target?: number | string })[];
  stop_grace_period?: string;
  volumes?: (string | { source?: string; target?: string })[];
  deploy?: { replicas?: number };
  container_name?: string;
}
interface ComposeFile {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

/** The compose file as written, anchors and merge keys (<<) resolved, variables not substituted. */
const loadCompose = (): ComposeFile => parse(read('docker-compose.yml'), { merge: true });

/**
 * Compose's variable substitution: $$, $VAR, ${VAR}, ${VAR:-default}, ${VAR-default},
 * ${VAR:?error}, ${VAR?error}, ${VAR:+other} and ${VAR+other}. Throws, as compose does, for a
 * required variable that is missing.
 */
function interpolate(text: string, vars: Record<string, string | undefined>): string {
  const pattern = /\$(?:(\$)|\{([A-Za-z_]\w*)(?:(:?[-?+])([^}]*))?\}|([A-Za-z_]\w*))/g;
  return text.replace(pattern, (match, dollar, braced, operator, argument, bare) => {
    if (dollar) return '$';
    const name = (braced ?? bare) as string;
    const value = vars[name];
    if (typeof argument === 'string' && argument.includes('$')) {
      throw new Error(`nested substitution in ${match} is more than this check understands`);
    }
    const unset = operator?.startsWith(':') ? !value : value === undefined;
    switch (operator) {
      case ':-':
      case '-':
        return unset ? argument : (value as string);
      case ':?':
      case '?':
        if (unset) throw new Error(`required variable ${name} is missing a value: ${argument}`);
        return value as string;
      case ':+':
      case '+':
        return unset ? '' : argument;
      default:
        return value ?? '';
    }
  });
}

/** Every string of the compose file substituted with vars, as `docker compose config` would. */
function substitute<T>(node: T, vars: Record<string, string | undefined>): T {
  if (typeof node === 'string') return interpolate(node, vars) as T;
  if (Array.isArray(node)) return node.map((item: unknown) => substitute(item, vars)) as T;
  if (node && typeof node === 'object') {
    return Object.fromEntries(
      Object.entries(node).map(([key, value]) => [key, substitute(value, vars)]),
    ) as T;
  }
  return node;
}

/** A service's environment as name -> value (undefined: taken from the shell, unset here). */
function environmentOf(service: Service): Record<string, string | undefined> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((entry) => {
        const at = entry.indexOf('=');
        return at < 0 ? [entry, undefined] : [entry.slice(0, at), entry.slice(at + 1)];
      }),
    );
  }
  return Object.fromEntries(
    Object.entries(env).map(([key, value]) => [key, value === null ? undefined : String(value)]),
  );
}

/** A command as one shell line. */
const commandLine = (command: Command | undefined): string =>
  Array.isArray(command) ? command.join(' ') : (command ?? '');

/** The service's command as the steps of an `a && b && c` chain (sh -c's script, if it is one). */
function commandSteps(command: Command | undefined): string[] {
  const argv = Array.isArray(command) ? command : [];
  const script =
    argv.length === 3 &&
    ['sh', '/bin/sh', 'bash', '/bin/bash'].includes(argv[0]) &&
    argv[1] === '-c'
      ? argv[2]
      : commandLine(command);
  expect(script).not.toMatch(/;|\|\||(?<!&)&(?!&)/); // a failed step must stop the chain
  return script.split('&&').map((step) => step.trim().replace(/^exec\s+/, ''));
}

const dependencies = (service: Service): Record<string, string | undefined> =>
  Array.isArray(service.depends_on)
    ? Object.fromEntries(service.depends_on.map((name) => [name, undefined]))
    : Object.fromEntries(
        Object.entries(service.depends_on ?? {}).map(([name, { condition }]) => [name, condition]),
      );

// --- Dockerfile --------------------------------------------------------------------------------

interface Instruction {
  keyword: string;
  /** The arguments as written (flags included). */
  text: string;
}
interface Stage {
  image: string;
  name?: string;
  instructions: Instruction[];
}

/** The Dockerfile's stages: continuation lines joined, comments dropped. */
function dockerfileStages(text: string): Stage[] {
  const logical: string[] = [];
  let pending = '';
  for (const line of text.split('\n')) {
    if (/^\s*#/.test(line)) continue; // comments (also those inside a continued instruction)
    const continued = /\\\s*$/.test(line);
    pending += `${line.replace(/\\\s*$/, '').trim()} `;
    if (!continued) {
      if (pending.trim()) logical.push(pending.trim());
      pending = '';
    }
  }
  if (pending.trim()) logical.push(pending.trim());
  const stages: Stage[] = [];
  for (const entry of logical) {
    const [, keyword, rest = ''] = /^(\S+)\s*(.*)$/.exec(entry) ?? [];
    if (keyword.toUpperCase() === 'FROM') {
      const [image, as, name] = rest.split(/\s+/).filter((word) => !word.startsWith('--'));
      stages.push({ image, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] });
    } else if (stages.length > 0) {
      stages[stages.length - 1].instructions.push({ keyword: keyword.toUpperCase(), text: rest });
    }
  }
  return stages;
}

/** Words of an instruction: a JSON array, or whitespace-separated with simple quoting. */
function words(text: string): string[] {
  if (text.startsWith('[')) return JSON.parse(text) as string[];
  return [...text.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]);
}

/** ENV instructions as name -> value (both KEY=value and the old `ENV KEY value`). */
function envOf(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { text } of stage.instructions.filter((i) => i.keyword === 'ENV')) {
    const list = words(text);
    if (!list[0]?.includes('=')) env[list[0]] = list.slice(1).join(' ');
    else
      for (const word of list) {
        const at = word.indexOf('=');
        env[word.slice(0, at)] = word.slice(at + 1).replace(/^"(.*)"$/, '$1');
      }
  }
  return env;
}

interface Copy {
  from?: string;
  sources: string[];
  /** Absolute, against the stage's WORKDIR at that point. */
  destination: string;
}

function copiesOf(stage: Stage): Copy[] {
  const copies: Copy[] = [];
  let workdir = '/';
  for (const { keyword, text } of stage.instructions) {
    if (keyword === 'WORKDIR') workdir = path.posix.resolve(workdir, text.trim());
    if (keyword !== 'COPY' && keyword !== 'ADD') continue;
    const list = words(text);
    const flags = list.filter((word) => word.startsWith('--'));
    const paths = list.filter((word) => !word.startsWith('--'));
    const from = flags.find((flag) => flag.startsWith('--from='))?.slice('--from='.length);
    const destination = path.posix.resolve(workdir, paths[paths.length - 1]);
    copies.push({ from, sources: paths.slice(0, -1), destination });
  }
  return copies;
}

const runs = (stage: Stage) =>
  stage.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.text);

// --- the checks --------------------------------------------------------------------------------

const SECRETS = {
  JWT_SECRET: 'a-jwt-secret-of-more-than-thirty-two-characters',
  CHANNEL_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
};

describe('docker-compose.yml', () => {
  const compose = loadCompose();
  const { postgres, redis, api, worker } = compose.services;

  it('has the services postgres, redis, api and worker', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['api', 'postgres', 'redis', 'worker']);
    expect(postgres.image).toMatch(/^postgres:1[67](\.\d+)*-alpine$/);
    expect(redis.image).toMatch(/^redis:7(\.\d+)*-alpine$/);
  });

  it('runs api and worker from the same image, built from the Dockerfile here', () => {
    expect(api.image).toBeTruthy();
    expect(worker.image).toBe(api.image);
    expect(worker.build).toEqual(api.build);
    const build = typeof api.build === 'string' ? { context: api.build } : api.build;
    expect(path.resolve(root, build?.context ?? '')).toBe(root);
    expect(build?.dockerfile ?? 'Dockerfile').toBe('Dockerfile');
  });

  it('gives each service a health check that runs a command', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      const test = service.healthcheck?.test;
      expect({ name, disabled: service.healthcheck?.disable ?? false }).toEqual({
        name,
        disabled: false,
      });
      const argv = Array.isArray(test) ? test : ['CMD-SHELL', test ?? ''];
      expect({ name, kind: argv[0] }).toEqual({
        name,
        kind: expect.stringMatching(/^CMD(-SHELL)?$/),
      });
      expect({ name, command: argv.slice(1).join(' ').trim() }).toEqual({
        name,
        command: expect.stringMatching(/\S/),
      });
    }
    expect(commandLine(postgres.healthcheck?.test)).toContain('pg_isready');
    expect(commandLine(redis.healthcheck?.test)).toMatch(/redis-cli\b.*\bping\b/);
    // The slim image has no curl: Node fetches the health endpoint, on the port the api uses.
    // Readiness: not ready while PostgreSQL or Redis is down, or while the replica stops.
    expect(commandLine(api.healthcheck?.test)).toMatch(
      /\bnode\b.*fetch\(\s*['"]http:\/\/(127\.0\.0\.1|localhost):3000\/api\/health\/ready['"]/s,
    );
    expect(commandLine(worker.healthcheck?.test)).toMatch(
      /\bnode apps\/worker\/dist\/healthcheck\.js$/,
    );
  });

  it('runs two api and two worker replicas, each api replica on a host port of its own', () => {
    for (const [name, service] of Object.entries({ api, worker })) {
      expect({ name, replicas: service.deploy?.replicas }).toEqual({ name, replicas: 2 });
      // A fixed container name would allow one container only.
      expect({ name, container_name: service.container_name }).toEqual({
        name,
        container_name: undefined,
      });
    }
    expect(worker.ports ?? []).toEqual([]);
    // Docker hands each replica one port of the range: as many ports as replicas, none fixed twice.
    const resolved = substitute(compose, SECRETS).services.api;
    expect(resolved.ports).toHaveLength(1);
    const [host, container] = String(resolved.ports?.[0]).split(':').slice(-2);
    expect(container).toBe('3000');
    const [first, last] = host.split('-').map(Number);
    expect(last - first + 1).toBe(api.deploy?.replicas);
    const custom = substitute(compose, { ...SECRETS, TOONBANK_PORTS: '8080-8081' }).services.api;
    expect(custom.ports).toEqual(['8080-8081:3000']);
  });

  it('starts api and worker once PostgreSQL and Redis are healthy, the worker after the api', () => {
    expect(dependencies(api)).toEqual({ postgres: 'service_healthy', redis: 'service_healthy' });
    expect(dependencies(worker)).toEqual({
      postgres: 'service_healthy',
      redis: 'service_healthy',
      api: 'service_healthy',
    });
  });

  it('sets on api and worker only variables that the configuration knows', () => {
    for (const [name, service] of Object.entries({ api, worker })) {
      // An env_file would bring in variables that no one checks here.
      expect({ name, env_file: service.env_file }).toEqual({ name, env_file: undefined });
      const keys = Object.keys(environmentOf(service));
      expect(keys.length).toBeGreaterThan(0);
      expect({ name, unknown: keys.filter((key) => !ENVIRONMENT_KEYS.includes(key)) }).toEqual({
        name,
        unknown: [],
      });
    }
  });

  it('passes start-up validation in production once the two secrets are given', () => {
    const imageEnv = envOf(dockerfileStages(read('Dockerfile')).at(-1) as Stage);
    const resolved = substitute(compose, SECRETS).services;
    const postgresEnv = environmentOf(resolved.postgres);
    for (const name of ['api', 'worker'] as const) {
      // The container's environment: the image's ENV, then the compose file's.
      const env = loadEnvironment({ ...imageEnv, ...environmentOf(resolved[name]) });
      expect(env.NODE_ENV).toBe('production');
      expect(env.JWT_SECRET).toBe(SECRETS.JWT_SECRET);
      expect(env.CHANNEL_ENCRYPTION_KEY).toBe(SECRETS.CHANNEL_ENCRYPTION_KEY);
      expect(env.SEED_DEMO).toBe(false);
      // PostgreSQL and Redis are the services of this file, with the credentials postgres gets.
      const database = new URL(env.DATABASE_URL);
      expect(database.hostname).toBe('postgres');
      expect(decodeURIComponent(database.username)).toBe(postgresEnv.POSTGRES_USER);
      expect(decodeURIComponent(database.password)).toBe(postgresEnv.POSTGRES_PASSWORD);
      expect(database.pathname).toBe(`/${postgresEnv.POSTGRES_DB ?? postgresEnv.POSTGRES_USER}`);
      expect(new URL(env.REDIS_URL).hostname).toBe('redis');
      if (name === 'api') {
        // Reachable from outside the container, on the port that is published and health-checked.
        expect(env.HOST).toBe('0.0.0.0');
        expect(env.PORT).toBe(3000);
        const published = (resolved.api.ports ?? []).map((port) =>
          typeof port === 'object' ? String(port.target) : String(port).split(':').at(-1),
        );
        expect(published).toContain('3000');
        expect(env.WEB_DIST_DIR).toBe('/app/apps/web/dist');
      }
    }
    // The demo seed is opt-in.
    const seeded = substitute(compose, { ...SECRETS, SEED_DEMO: 'true' }).services.api;
    expect(loadEnvironment({ ...imageEnv, ...environmentOf(seeded) }).SEED_DEMO).toBe(true);
  });

  it('refuses to start without JWT_SECRET or CHANNEL_ENCRYPTION_KEY', () => {
    for (const secret of Object.keys(SECRETS) as (keyof typeof SECRETS)[]) {
      for (const missing of [undefined, '']) {
        expect(() => substitute(compose, { ...SECRETS, [secret]: missing })).toThrow(
          new RegExp(`required variable ${secret} `),
        );
      }
    }
  });

  it('migrates (and seeds) in the api before it starts; the worker never migrates', () => {
    const steps = commandSteps(api.command);
    const migrate = steps.findIndex((step) => /^node apps\/api\/dist\/cli\.js migrate$/.test(step));
    const seed = steps.findIndex((step) => /^node apps\/api\/dist\/cli\.js seed$/.test(step));
    expect(migrate).toBe(0);
    expect(seed).toBeGreaterThan(migrate);
    expect(steps.at(-1)).toBe('node apps/api/dist/main.js');

    expect(commandSteps(worker.command)).toEqual(['node apps/worker/dist/main.js']);
    expect(commandLine(worker.command)).not.toMatch(/migrat|cli\.js/);
  });

  it('runs only files that the build produces', () => {
    const files = [api, worker].flatMap((service) =>
      [commandLine(service.command), commandLine(service.healthcheck?.test)].flatMap((line) =>
        [...line.matchAll(/apps\/(api|worker)\/dist\/([\w/.-]+)\.js/g)].map(
          ([, app, file]) => `apps/${app}/src/${file}.ts`,
        ),
      ),
    );
    expect(files.length).toBeGreaterThanOrEqual(4);
    expect(files.filter((file) => !existsSync(path.join(root, file)))).toEqual([]);
  });

  it('gives api and worker the time to stop gracefully (stopOnSignals waits up to 25 s)', () => {
    const seconds = (duration = '10s') =>
      [...duration.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s)/g)].reduce(
        (total, [, amount, unit]) =>
          total +
          Number(amount) * { h: 3600, m: 60, s: 1, ms: 0.001 }[unit as 'h' | 'm' | 's' | 'ms'],
        0,
      );
    expect(seconds(api.stop_grace_period)).toBeGreaterThan(25);
    expect(seconds(worker.stop_grace_period)).toBeGreaterThan(25);
  });

  it('keeps the data of PostgreSQL and Redis in named volumes', () => {
    const mounts = (service: Service) =>
      (service.volumes ?? []).map((volume) =>
        typeof volume === 'string' ? volume.split(':').slice(0, 2) : [volume.source, volume.target],
      );
    expect(mounts(postgres)).toContainEqual([
      expect.stringMatching(/^[\w-]+$/),
      '/var/lib/postgresql/data',
    ]);
    expect(mounts(redis)).toContainEqual([expect.stringMatching(/^[\w-]+$/), '/data']);
    for (const [source] of [...mounts(postgres), ...mounts(redis)]) {
      expect(Object.keys(compose.volumes ?? {})).toContain(source);
    }
  });
});

describe('Dockerfile', () => {
  const stages = dockerfileStages(read('Dockerfile'));
  const final = stages[stages.length - 1];
  const stageNamed = (name: string | undefined) =>
    stages.find((stage, index) => stage.name === name || String(index) === name);

  it('builds on node:20-bookworm-slim', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(stage.image).toBe('node:20-bookworm-slim');
  });

  it('installs with npm 11, builds, and prunes to production dependencies', () => {
    const stage = stages.find((candidate) => runs(candidate).some((run) => /\bnpm ci\b/.test(run)));
    const build = stage ? runs(stage) : [];
    expect(build.join('\n')).toMatch(/\bnpm (i|install) (-g|--global) npm@11\b/);
    const order = [/\bnpm ci\b/, /\bnpm run build\b/, /\bnpm (prune|ci)\b[^\n]*--omit=dev/].map(
      (pattern) => build.findIndex((run) => pattern.test(run)),
    );
    expect(order.every((index) => index >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // The first install has the dev dependencies that the build needs.
    expect(build[order[0]]).not.toMatch(/--omit=dev|--production/);
  });

  it('runs the final stage as an unprivileged user, in production', () => {
    const users = final.instructions.filter((i) => i.keyword === 'USER').map((i) => i.text.trim());
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)).not.toMatch(/^(root|0)(:|$)/);
    const env = envOf(final);
    expect(env).toMatchObject({ NODE_ENV: 'production', HOST: '0.0.0.0' });
  });

  it('copies the built apps, the web app where WEB_DIST_DIR points, and no sources', () => {
    const copies = copiesOf(final);
    // Everything comes from an earlier stage: nothing straight from the build context.
    expect(copies.filter((copy) => !copy.from)).toEqual([]);
    for (const copy of copies) expect(stageNamed(copy.from)).toBeDefined();

    const destinationOf = (pattern: RegExp) =>
      copies.flatMap(({ sources, destination }) =>
        sources.filter((source) => pattern.test(source)).map(() => destination),
      );
    const webDist = envOf(final).WEB_DIST_DIR;
    const web = [
      ...destinationOf(/\/apps\/web\/dist\/?$/),
      ...destinationOf(/\/apps\/web\/?$/).map((destination) => `${destination}/dist`),
    ];
    expect(web).toContain(webDist);
    for (const app of ['api', 'worker']) {
      expect(destinationOf(new RegExp(`/apps/${app}(/dist)?/?$`)).length).toBe(1);
    }
    expect(destinationOf(/\/(libs|migrations)\/?/).length).toBeGreaterThan(0);

    const sources = copies.flatMap((copy) => copy.sources);
    expect(
      sources.filter((source) => /(^|\/)(src|tests|scripts)(\/|$)|^\.\/?$/.test(source)),
    ).toEqual([]);

    // node_modules come from the stage that pruned the dev dependencies away.
    const modules = copies.filter((copy) => copy.sources.some((s) => /node_modules\/?$/.test(s)));
    expect(modules.length).toBe(1);
    expect(runs(stageNamed(modules[0].from) as Stage).join('\n')).toMatch(/--omit=dev/);
  });

  it('runs the API by default', () => {
    const cmd = final.instructions.filter((i) => i.keyword === 'CMD').at(-1);
    expect(cmd && words(cmd.text)).toEqual(['node', 'apps/api/dist/main.js']);
  });
});

describe('.dockerignore', () => {
  const patterns = read('.dockerignore')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));

  it('keeps dependencies, builds, local data and secrets out of the build context', () => {
    for (const pattern of [
      '**/node_modules',
      '**/dist',
      '.data',
      '.nx',
      'coverage',
      '.git',
      'docs/screenshots',
      '**/*.log',
      '.env',
    ]) {
      expect(patterns).toContain(pattern);
    }
  });
});
