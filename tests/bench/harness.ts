// The benchmark harness (issue 7): runs registered benchmarks, each in a scratch database and
// on a Redis prefix of its own, and renders docs/benchmarks.md. See tests/bench/README.md.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { assertBuilt, removeRedisKeys, ROOT } from '../support/built-stack';
import { closeTestDatabase, testDatabase } from '../support/database';
import { cpuProfile } from './measure';

/** `full`: the sizes of issue 7 (`npm run bench`). `smoke`: tiny sizes, run by `npm test`. */
export type BenchScale = 'full' | 'smoke';

export interface BenchContext {
  scale: BenchScale;
  /** `full` at full scale, `smoke` at smoke scale. */
  size<T>(full: T, smoke: T): T;
  /** The benchmark's scratch database, migrated; also process.env.DATABASE_URL meanwhile. */
  db: DataSource;
  databaseUrl: string;
  /** The benchmark's Redis prefix; also process.env.REDIS_PREFIX meanwhile. */
  redisPrefix: string;
  /** A progress line on the terminal (not in the report). */
  log(message: string): void;
  /**
   * Runs `fn`; with BENCH_PROFILE=1, under the CPU profiler, written to
   * .data/bench/<id>-<name>.cpuprofile (open it in Chrome's DevTools).
   */
  profile<T>(name: string, fn: () => Promise<T>): Promise<T>;
}

/** A bound on the Toonbank figure. */
export interface Target {
  op: '<=' | '>=';
  value: number;
}

/** One figure of Toonbank beside its physical baseline's, measured in the same run. */
export interface Measurement {
  /** What is measured, e.g. "p99, in process". */
  what: string;
  /** MiB for memory; KB (KiB) for bytes sent. */
  unit: 'ms' | '/s' | '×' | 'MB' | 'KB';
  toonbank: number;
  baseline: number;
  target?: Target;
}

/** A correctness figure that must equal `expected` (0 lost, 0 over capacity, …). */
export interface Check {
  what: string;
  value: number;
  expected: number;
}

export interface BenchResult {
  measurements: Measurement[];
  checks?: Check[];
  /** Markdown blocks for the report: sizes used, EXPLAIN output, timings. */
  details?: string[];
}

export interface Benchmark {
  /** Short, kebab-case: BENCH_ONLY selects by it; it names the scratch database. */
  id: string;
  title: string;
  /** What Toonbank does in it and what the baseline does (markdown). */
  description: string;
  /** Needs `npm run build` (the built apps as processes): the full run builds first. */
  needsBuild?: boolean;
  /** What was found about it: bottlenecks, fixes, what limits the rest (markdown). */
  analysis?: string;
  run(context: BenchContext): Promise<BenchResult>;
}

export interface BenchEntry {
  benchmark: Benchmark;
  seconds: number;
  /** The machine's 1-minute load average when it started and when it ended. */
  load: [number, number];
  result?: BenchResult;
  error?: string;
}

export interface MachineInfo {
  nproc: number;
  memoryGiB: number;
  cpu: string;
  loadAverage: number[];
  postgres: string;
  redis: string;
  node: string;
  os: string;
}

export interface BenchReport {
  scale: BenchScale;
  command: string;
  startedAt: Date;
  seconds: number;
  machine: MachineInfo;
  entries: BenchEntry[];
}

export const benchScale = (env: NodeJS.ProcessEnv = process.env): BenchScale =>
  env.BENCH_SCALE === 'smoke' ? 'smoke' : 'full';

export const log = (message: string) => process.stdout.write(`[bench] ${message}\n`);

/** The benchmarks named in `only` (comma-separated ids), or all of them. */
export function selectBenchmarks(all: readonly Benchmark[], only?: string): Benchmark[] {
  const ids = (only ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  if (ids.length === 0) return [...all];
  const unknown = ids.filter((id) => !all.some((b) => b.id === id));
  if (unknown.length > 0) {
    throw new Error(
      `Unknown benchmark ${unknown.join(', ')}; known: ${all.map((b) => b.id).join(', ')}`,
    );
  }
  return all.filter((b) => ids.includes(b.id));
}

const withDatabase = (url: string, database: string) => {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
};

/** One statement on the server's maintenance database (CREATE and DROP DATABASE). */
async function maintenance<T = unknown>(serverUrl: string, sql: string): Promise<T[]> {
  const admin = new DataSource({ type: 'postgres', url: withDatabase(serverUrl, 'postgres') });
  await admin.initialize();
  try {
    return (await admin.query(sql)) as T[];
  } finally {
    await admin.destroy();
  }
}

/**
 * A fresh database on the server of DATABASE_URL, migrated, that testDatabase(), startTestApp()
 * and the other test helpers use while `fn` runs; dropped afterwards. Never the test database.
 */
export async function withScratchDatabase<T>(
  id: string,
  fn: (db: DataSource, url: string) => Promise<T>,
): Promise<T> {
  const server = process.env.DATABASE_URL as string;
  const name = `toonbank_bench_${id.replace(/[^a-z0-9]/g, '_')}_${process.pid}_${Date.now()}`;
  await maintenance(server, `CREATE DATABASE "${name}"`);
  const url = withDatabase(server, name);
  await closeTestDatabase();
  process.env.DATABASE_URL = url;
  try {
    return await fn(await testDatabase(), url);
  } finally {
    await closeTestDatabase();
    process.env.DATABASE_URL = server;
    await maintenance(server, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
}

/** toonbank-bench-<id>-<random>, within REDIS_PREFIX's 40 characters. */
export const benchRedisPrefix = (id: string) =>
  `${`toonbank-bench-${id}`.slice(0, 31)}-${randomBytes(4).toString('hex')}`;

/** Runs one benchmark in its scratch database and Redis prefix; an error is caught and kept. */
export async function runBenchmark(
  benchmark: Benchmark,
  scale: BenchScale = benchScale(),
): Promise<BenchEntry> {
  const start = process.hrtime.bigint();
  const redisPrefix = benchRedisPrefix(benchmark.id);
  const savedPrefix = process.env.REDIS_PREFIX;
  process.env.REDIS_PREFIX = redisPrefix;
  const seconds = () => Number(process.hrtime.bigint() - start) / 1e9;
  const loadAtStart = os.loadavg()[0];
  const load = (): [number, number] => [loadAtStart, os.loadavg()[0]];
  try {
    const result = await withScratchDatabase(benchmark.id, (db, databaseUrl) =>
      benchmark.run({
        scale,
        size: (full, smoke) => (scale === 'full' ? full : smoke),
        db,
        databaseUrl,
        redisPrefix,
        log: (message) => log(`${benchmark.id}: ${message}`),
        profile: (name, fn) =>
          process.env.BENCH_PROFILE
            ? cpuProfile(join(ROOT, '.data', 'bench', `${benchmark.id}-${name}.cpuprofile`), fn)
            : fn(),
      }),
    );
    return { benchmark, seconds: seconds(), load: load(), result };
  } catch (error) {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    return { benchmark, seconds: seconds(), load: load(), error: message };
  } finally {
    process.env.REDIS_PREFIX = savedPrefix;
    await removeRedisKeys(redisPrefix).catch(() => undefined);
  }
}

/** `npm run build` once when a benchmark needs the built apps (smoke: `npm test` built them). */
export function ensureBuilt(benchmarks: readonly Benchmark[], scale: BenchScale): void {
  if (!benchmarks.some((b) => b.needsBuild)) return;
  if (scale === 'smoke') return assertBuilt();
  log('npm run build (a benchmark runs the built apps)');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const build = spawnSync(npm, ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error(`npm run build failed (${build.status})`);
}

export async function machineInfo(): Promise<MachineInfo> {
  const [pg] = await maintenance<{ version: string }>(
    process.env.DATABASE_URL as string,
    "SELECT current_setting('server_version') AS version",
  );
  const redis = new Redis(process.env.REDIS_URL as string, { maxRetriesPerRequest: 1 });
  let redisVersion = 'unknown';
  try {
    redisVersion = /redis_version:(\S+)/.exec(await redis.info('server'))?.[1] ?? redisVersion;
  } finally {
    redis.disconnect();
  }
  return {
    nproc: os.availableParallelism(),
    memoryGiB: os.totalmem() / 2 ** 30,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    loadAverage: os.loadavg(),
    postgres: pg.version,
    redis: redisVersion,
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}

/** Runs the benchmarks one after the other (never two at once: they would measure each other). */
export async function runBenchmarks(
  benchmarks: readonly Benchmark[],
  options: { scale?: BenchScale; command?: string } = {},
): Promise<BenchReport> {
  const scale = options.scale ?? benchScale();
  const startedAt = new Date();
  const start = process.hrtime.bigint();
  const machine = await machineInfo();
  ensureBuilt(benchmarks, scale);
  const entries: BenchEntry[] = [];
  for (const benchmark of benchmarks) {
    log(`${benchmark.id}: starting (${scale})`);
    const entry = await runBenchmark(benchmark, scale);
    log(
      `${benchmark.id}: ${entry.error ? 'FAILED' : 'done'} in ${entry.seconds.toFixed(1)} s` +
        (entry.error ? `\n${entry.error}` : ''),
    );
    entries.push(entry);
  }
  return {
    scale,
    command: options.command ?? 'npm run bench',
    startedAt,
    seconds: Number(process.hrtime.bigint() - start) / 1e9,
    machine,
    entries,
  };
}

// ---------------------------------------------------------------------------------------------
// The report

const significant = (x: number) => {
  if (!Number.isFinite(x)) return String(x);
  const abs = Math.abs(x);
  if (abs >= 1000) return Math.round(x).toLocaleString('en-US');
  if (abs >= 100) return x.toFixed(0);
  if (abs >= 10) return x.toFixed(1);
  if (abs >= 1) return x.toFixed(2);
  return x.toPrecision(2);
};

export const formatFigure = (x: number, unit: Measurement['unit']) =>
  unit === '×' ? `${significant(x)}×` : `${significant(x)} ${unit}`;

/** Toonbank ÷ baseline: for a time, how many times the floor; for a rate, the share of it. */
export const ratioOf = (m: Measurement) => m.toonbank / m.baseline;

const formatRatio = (m: Measurement) => {
  const ratio = ratioOf(m);
  return m.unit === '/s'
    ? `${significant(ratio)} (${(ratio * 100).toFixed(0)}%)`
    : significant(ratio);
};

export const verdict = (m: Measurement): 'pass' | 'miss' | null =>
  !m.target
    ? null
    : (m.target.op === '<=' ? m.toonbank <= m.target.value : m.toonbank >= m.target.value)
      ? 'pass'
      : 'miss';

const formatTarget = (m: Measurement) =>
  m.target ? `${m.target.op === '<=' ? '≤' : '≥'} ${formatFigure(m.target.value, m.unit)}` : '—';

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export const REPORT_FILE = join(ROOT, 'docs', 'benchmarks.md');

const HEADER = `# Benchmarks

Written by \`npm run bench\` (tests/bench/): do not edit by hand, run it again. Each benchmark
measures Toonbank and its physical baseline side by side, in the same run on the same machine,
in alternating blocks where it can, so that a busy machine weighs on both; the ratio is
Toonbank ÷ baseline (for a latency: how many times the floor; for a rate: the share of it).
Targets are issue 7's, for a 2-core machine. \`npm test\` runs every benchmark at a tiny scale
(tests/integration/bench-smoke.spec.ts) so that the harness cannot rot; only \`npm run bench\`
measures. To add a benchmark: one file under tests/bench/benchmarks/ and one line in
tests/bench/registry.ts (tests/bench/README.md).`;

export function renderReport(report: BenchReport): string {
  const { machine } = report;
  const lines: string[] = [HEADER, ''];
  lines.push('## Run', '');
  lines.push('| | |', '|---|---|');
  lines.push(`| command | \`${cell(report.command)}\` |`);
  lines.push(`| scale | ${report.scale} |`);
  lines.push(`| date | ${report.startedAt.toISOString()} |`);
  lines.push(`| run time | ${report.seconds.toFixed(0)} s |`);
  lines.push(`| nproc | ${machine.nproc} |`);
  lines.push(`| memory | ${machine.memoryGiB.toFixed(1)} GiB |`);
  lines.push(`| CPU | ${cell(machine.cpu)} |`);
  lines.push(
    `| load average at the start (1, 5, 15 min) | ${machine.loadAverage.map((x) => x.toFixed(2)).join(', ')} |`,
  );
  lines.push(`| PostgreSQL | ${machine.postgres} |`);
  lines.push(`| Redis | ${machine.redis} |`);
  lines.push(`| Node.js | ${machine.node} |`);
  lines.push(`| OS | ${cell(machine.os)} |`, '');

  lines.push('## Summary', '');
  lines.push('| benchmark | measure | Toonbank | baseline | ratio | target | result |');
  lines.push('|---|---|---:|---:|---:|---|---|');
  for (const entry of report.entries) {
    if (!entry.result) {
      lines.push(`| ${entry.benchmark.title} | — | — | — | — | — | **failed** |`);
      continue;
    }
    for (const m of entry.result.measurements) {
      const result = verdict(m);
      lines.push(
        `| ${cell(entry.benchmark.title)} | ${cell(m.what)} | ${formatFigure(m.toonbank, m.unit)} | ${formatFigure(m.baseline, m.unit)} | ${formatRatio(m)} | ${formatTarget(m)} | ${result === 'miss' ? '**miss**' : (result ?? '—')} |`,
      );
    }
    for (const c of entry.result.checks ?? []) {
      lines.push(
        `| ${cell(entry.benchmark.title)} | ${cell(c.what)} | ${c.value} | — | — | = ${c.expected} | ${c.value === c.expected ? 'pass' : '**miss**'} |`,
      );
    }
  }
  lines.push('');

  for (const entry of report.entries) {
    const { benchmark } = entry;
    lines.push(`## ${benchmark.title}`, '');
    lines.push(benchmark.description.trim(), '');
    lines.push(
      `Ran in ${entry.seconds.toFixed(1)} s; the machine's load average (1 min) was ` +
        `${entry.load[0].toFixed(2)} when it started and ${entry.load[1].toFixed(2)} when it ended ` +
        `(${report.machine.nproc} cores).`,
      '',
    );
    if (entry.error) lines.push('It failed:', '', '```', entry.error, '```', '');
    for (const block of entry.result?.details ?? []) lines.push(block.trim(), '');
    if (benchmark.analysis) lines.push('### Findings', '', benchmark.analysis.trim(), '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/** The summary as plain lines for the terminal. */
export function summaryLines(report: BenchReport): string[] {
  const out: string[] = [];
  for (const entry of report.entries) {
    if (!entry.result) {
      out.push(`${entry.benchmark.id}: FAILED`);
      continue;
    }
    for (const m of entry.result.measurements) {
      const result = verdict(m);
      out.push(
        `${entry.benchmark.id} | ${m.what}: ${formatFigure(m.toonbank, m.unit)} vs baseline ${formatFigure(m.baseline, m.unit)} (ratio ${formatRatio(m)})${m.target ? `, target ${formatTarget(m)}: ${result}` : ''}`,
      );
    }
    for (const c of entry.result.checks ?? []) {
      out.push(
        `${entry.benchmark.id} | ${c.what}: ${c.value} (expected ${c.expected})${c.value === c.expected ? '' : ' MISS'}`,
      );
    }
  }
  return out;
}

/** A fenced block of text (EXPLAIN output, timings) for `details`. */
export const codeBlock = (title: string, text: string) =>
  `**${title}**\n\n\`\`\`\n${text.trimEnd()}\n\`\`\``;
