// Timing tools shared by the benchmarks: a clock, percentiles, alternating blocks (so that a
// noisy machine weighs on Toonbank and its baseline alike) and an HTTP client that keeps its
// connections open (so that a request's latency is the server's, not a TCP handshake's).
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { dirname } from 'node:path';
import type { DataSource } from 'typeorm';
import { Pool } from 'undici';

/** Milliseconds since `start` (a `process.hrtime.bigint()`). */
export const msSince = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e6;

/** How long one call of `fn` takes, in milliseconds. */
export async function timed(fn: () => unknown): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return msSince(start);
}

/** The nearest-rank percentile `p` (0–100) of the samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export interface Distribution {
  n: number;
  p50: number;
  p99: number;
  mean: number;
  max: number;
}

export function distribution(samples: readonly number[]): Distribution {
  return {
    n: samples.length,
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
    mean: samples.reduce((sum, x) => sum + x, 0) / samples.length,
    max: Math.max(...samples),
  };
}

/** A markdown table of latency distributions, one row each (milliseconds). */
export function distributionTable(rows: readonly (readonly [string, Distribution])[]): string {
  const ms = (x: number) => `${x.toFixed(3)} ms`;
  return [
    '| | n | p50 | p99 | mean | max |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows.map(
      ([name, d]) =>
        `| ${name} | ${d.n} | ${ms(d.p50)} | ${ms(d.p99)} | ${ms(d.mean)} | ${ms(d.max)} |`,
    ),
  ].join('\n');
}

/**
 * Runs each task `rounds` times, taking turns (a, b, c, a, b, c, …), and returns each task's
 * samples concatenated. A task runs one block and returns that block's samples.
 */
export async function alternate<K extends string>(
  rounds: number,
  tasks: Record<K, () => Promise<number[]> | number[]>,
): Promise<Record<K, number[]>> {
  const keys = Object.keys(tasks) as K[];
  const samples = Object.fromEntries(keys.map((key) => [key, [] as number[]])) as Record<
    K,
    number[]
  >;
  for (let round = 0; round < rounds; round++) {
    for (const key of keys) samples[key].push(...(await tasks[key]()));
  }
  return samples;
}

/** `count` timed calls of `fn`, at most `concurrency` at a time; the latency of each. */
export async function concurrently(
  concurrency: number,
  count: number,
  fn: () => Promise<unknown>,
): Promise<number[]> {
  const samples: number[] = [];
  let started = 0;
  const lane = async () => {
    while (started < count) {
      started += 1;
      samples.push(await timed(fn));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
  return samples;
}

/** Requests to one server over kept-alive connections; a status other than 2xx throws. */
export class HttpLoad {
  private readonly pool: Pool;

  constructor(
    url: string,
    private readonly headers: Record<string, string>,
    connections = 8,
  ) {
    this.pool = new Pool(url, { connections, pipelining: 1 });
  }

  /** `headers` add to (or replace) the client's own for this request. */
  async send(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<string> {
    const response = await this.pool.request({
      method,
      path,
      headers: {
        ...this.headers,
        ...headers,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.body.text();
    if (response.statusCode < 200 || response.statusCode > 299) {
      throw new Error(`${method} ${path} answered ${response.statusCode}: ${text.slice(0, 300)}`);
    }
    return text;
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

/**
 * A CPU profile of `fn` (node:inspector), written to `file` for Chrome's DevTools or
 * `summariseProfile`: to find where a benchmark's time goes.
 */
export async function cpuProfile<T>(file: string, fn: () => Promise<T>): Promise<T> {
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) =>
      session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))),
    );
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 100 });
  await post('Profiler.start');
  try {
    return await fn();
  } finally {
    const { profile } = (await post('Profiler.stop')) as { profile: unknown };
    session.disconnect();
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(profile));
  }
}

/** A statement without its select list, its middle cut when long: tells statements apart. */
export function shortStatement(sql: string): string {
  const text = sql
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^SELECT .+? FROM /, 'SELECT … FROM ')
    .replace(/^INSERT INTO (\S+)\(.*$/, 'INSERT INTO $1 …');
  return text.length > 150 ? `${text.slice(0, 105)} … ${text.slice(-40)}` : text;
}

export interface StatementTiming {
  /** The statement's first words, parameters as they are ($1). */
  statement: string;
  count: number;
  totalMs: number;
  meanMs: number;
}

/**
 * Every statement a DataSource sends while `fn` runs, grouped by its text, with the time from
 * sending to the answer (lock waits included): where a transaction's time goes.
 */
export async function statementTimings<T>(
  db: DataSource,
  fn: () => Promise<T>,
): Promise<{ result: T; timings: StatementTiming[] }> {
  const byStatement = new Map<string, { count: number; totalMs: number }>();
  const subscriber = {
    afterQuery: (event: { query: string; executionTime?: number }) => {
      const statement = shortStatement(event.query);
      const entry = byStatement.get(statement) ?? { count: 0, totalMs: 0 };
      entry.count += 1;
      entry.totalMs += event.executionTime ?? 0;
      byStatement.set(statement, entry);
    },
  };
  db.subscribers.push(subscriber as never);
  try {
    const result = await fn();
    const timings = [...byStatement]
      .map(([statement, { count, totalMs }]) => ({
        statement,
        count,
        totalMs,
        meanMs: totalMs / count,
      }))
      .sort((a, b) => b.totalMs - a.totalMs);
    return { result, timings };
  } finally {
    db.subscribers.splice(db.subscribers.indexOf(subscriber as never), 1);
  }
}
