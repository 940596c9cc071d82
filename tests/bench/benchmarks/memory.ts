// Memory (issue 7): the built api's resident memory with 500 sockets, and Redis memory after
// many jobs (issue 7 says 1,000,000; see JOBS) through Toonbank's queue configuration.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { getQueueToken, Processor } from '@nestjs/bullmq';
import { Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Emitter } from '@socket.io/redis-emitter';
import { itemFromJson } from '@toonbank/channels';
import {
  DEFAULT_JOB_OPTIONS,
  QueueModule,
  socketIoRedisKey,
  ToonbankConfigModule,
} from '@toonbank/platform';
import {
  INBOX_NAMESPACE,
  JobName,
  orgRoom,
  QueueName,
  type JobPayloads,
  type MessageDto,
} from '@toonbank/shared';
import { UnrecoverableError, type Job, type Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { JobProcessor } from '../../../apps/worker/src/jobs/job-processor';
import {
  builtAccessToken,
  exitOf,
  ROOT,
  startBuiltStack,
  type BuiltStack,
} from '../../support/built-stack';
import { newOrganisation, newUser } from '../../support/factories';
import { PrivateRedis } from '../../support/private-redis';
import { connectInbox, sleep, type InboxClient } from '../../support/socket-client';
import { drained, withEnv } from '../../support/test-worker';
import type { Benchmark, BenchContext, BenchResult, Check } from '../harness';
import { alternate, distribution, distributionTable, msSince, timed } from '../measure';

const mebibytes = (bytes: number) => bytes / 2 ** 20;

// ---------------------------------------------------------------------------------------------
// The api's resident memory with many sockets

/** A process's resident set (VmRSS of /proc/<pid>/status), in MiB. */
async function residentMiB(pid: number | undefined): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  if (!kib) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(kib) / 1024;
}

/**
 * The physical floor: a bare Node process with a plain socket.io server (the same version,
 * path and namespace, the same Redis adapter on the same Redis) whose sockets join the rooms
 * Toonbank's do, with no authentication (the "token" is `<organisation>/<user>`), no Nest,
 * no Express, no database.
 */
const BARE_SERVER = `
const http = require('node:http');
const { Server } = require('socket.io');
const { Redis } = require('ioredis');
const { createAdapter } = require('@socket.io/redis-adapter');
const server = http.createServer();
const io = new Server(server, { serveClient: false });
const pub = new Redis(process.env.REDIS_URL);
io.adapter(createAdapter(pub, pub.duplicate(), { key: process.env.SOCKET_IO_KEY }));
io.of('/inbox').on('connection', (socket) => {
  const [organisation, user] = String(socket.handshake.auth.token).split('/');
  socket.join(['org:' + organisation, 'user:' + user, 'org:' + organisation + ':inbox']);
});
server.listen(0, '127.0.0.1', () => process.stdout.write('listening ' + server.address().port + '\\n'));
`;

interface BareServer {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

async function startBareServer(socketIoKey: string): Promise<BareServer> {
  const child = spawn(process.execPath, ['-e', BARE_SERVER], {
    cwd: ROOT,
    env: { ...process.env, SOCKET_IO_KEY: socketIoKey },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    await exitOf(child);
  };
  let output = '';
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('not listening within 10 s')), 10_000);
      child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const port = /listening (\d+)/.exec(output)?.[1];
        if (port) {
          clearTimeout(timer);
          resolve(Number(port));
        }
      });
      child.once('exit', (code) => reject(new Error(`exited with ${code}`)));
    });
    return { url: `http://127.0.0.1:${port}`, process: child, stop };
  } catch (error) {
    await stop();
    throw new Error(`the bare socket.io server: ${(error as Error).message}\n${output}`, {
      cause: error,
    });
  }
}

/** A live `message.created` as the api pushes it: an inbound mention of 280 characters. */
const liveMessage = (n: number): MessageDto => ({
  id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  direction: 'inbound',
  externalId: `11${String(n).padStart(16, '0')}`,
  authorHandle: '@klant@mastodon.example',
  text: `Al ${n} uur geen stroom in Utrecht-Oost. `.padEnd(280, 'Wanneer is het opgelost? '),
  attachments: [],
  createdAt: new Date().toISOString(),
  externalUrl: null,
});

interface SocketFigures {
  users: number;
  perUser: number;
  events: number;
  rest: { toonbank: number; baseline: number };
  connected: { toonbank: number; baseline: number };
  afterEvents: { toonbank: number; baseline: number };
  connect: { toonbank: number[]; baseline: number[] };
  missed: number;
}

async function socketsRun({ size, db, log, redisPrefix }: BenchContext): Promise<SocketFigures> {
  const users = size(100, 4);
  const perUser = size(5, 2);
  const events = size(20, 3);
  const block = size(50, 4);
  const organisation = await newOrganisation(db);
  const people: { token: string; bare: string }[] = [];
  for (let i = 0; i < users; i++) {
    const user = await newUser(db, organisation, { role: 'agent' });
    const token = await builtAccessToken(user);
    for (let k = 0; k < perUser; k++) people.push({ token, bare: `${organisation.id}/${user.id}` });
  }

  const redis = new Redis(process.env.REDIS_URL as string, { maxRetriesPerRequest: 1 });
  const bareKey = socketIoRedisKey(`${redisPrefix}-bare`);
  let stack: BuiltStack | undefined;
  let bare: BareServer | undefined;
  const clients: { toonbank: InboxClient[]; baseline: InboxClient[] } = {
    toonbank: [],
    baseline: [],
  };
  try {
    log('starting the built api and worker, and the bare socket.io server');
    // Both are kept for the clean-up below even when the other one failed to start.
    const [built, plain] = await Promise.allSettled([
      startBuiltStack('bench-memory'),
      startBareServer(bareKey),
    ]);
    if (built.status === 'fulfilled') stack = built.value;
    if (plain.status === 'fulfilled') bare = plain.value;
    if (built.status === 'rejected') throw built.reason as Error;
    if (plain.status === 'rejected') throw plain.reason as Error;
    const api = built.value;
    const floor = plain.value;
    const rss = async () => ({
      toonbank: await residentMiB(api.api.pid),
      baseline: await residentMiB(floor.process.pid),
    });
    await sleep(1000);
    const rest = await rss();

    // Blocks of sockets connected at once, Toonbank's and the floor's in turns.
    log(`connecting ${people.length} sockets to each (${users} users × ${perUser})`);
    const connectBlock = (side: 'toonbank' | 'baseline') => async () => {
      const from = clients[side].length;
      return Promise.all(
        people.slice(from, from + block).map((person) =>
          timed(async () => {
            const client =
              side === 'toonbank'
                ? await connectInbox(api, person.token)
                : await connectInbox(floor, person.bare);
            clients[side].push(client);
          }),
        ),
      );
    };
    const connect = await alternate(Math.ceil(people.length / block), {
      toonbank: connectBlock('toonbank'),
      baseline: connectBlock('baseline'),
    });
    await sleep(1000);
    const connected = await rss();

    // Events to every socket, through the Redis emitter as the api and the worker send them.
    log(`${events} message.created events to all ${people.length} sockets of each`);
    const inbox = {
      toonbank: new Emitter(redis, { key: socketIoRedisKey(api.redisPrefix) }).of(INBOX_NAMESPACE),
      baseline: new Emitter(redis, { key: bareKey }).of(INBOX_NAMESPACE),
    };
    for (let n = 1; n <= events; n++) {
      const payload = { conversationId: organisation.id, message: liveMessage(n) };
      for (const emitter of Object.values(inbox)) {
        (emitter.to(orgRoom(organisation.id)).emit as (e: string, p: unknown) => boolean)(
          'message.created',
          payload,
        );
      }
      await sleep(50);
    }
    const all = [...clients.toonbank, ...clients.baseline];
    const missing = () =>
      all.reduce((sum, c) => sum + Math.max(0, events - c.payloadsOf('message.created').length), 0);
    const deadline = Date.now() + 30_000;
    while (missing() > 0 && Date.now() < deadline) await sleep(100);
    await sleep(1000);
    return {
      users,
      perUser,
      events,
      rest,
      connected,
      afterEvents: await rss(),
      connect,
      missed: missing(),
    };
  } finally {
    for (const client of [...clients.toonbank, ...clients.baseline]) client.close();
    await Promise.all([stack?.stop(), bare?.stop()]);
    redis.disconnect();
  }
}

// ---------------------------------------------------------------------------------------------
// Redis memory after many jobs

/** One job in this many fails for good, so that the failed set is trimmed too. */
const FAIL_EVERY = 20;
/**
 * Jobs at full size. Issue 7 says 1,000,000: one run of it took 31 minutes on this 2-core
 * machine under the load of other work (about 500 jobs/s) and ran past the 30 minutes Jest
 * gives `npm run bench`; 300,000 fit the run's budget and are three times the point where
 * every bound is reached. Set 1_000_000 here on a quiet machine.
 */
const JOBS = 300_000;
/** Jobs per addBulk; the producer keeps at most two chunks waiting. */
const CHUNK = 2_000;

/**
 * A cheap ingest job through Toonbank's own processor class (JobProcessor: dispatch by job
 * name, the failure log), with the real IngestProcessor's queue and concurrency: it reads the
 * batch's items and stores nothing. Every FAIL_EVERY-th batch is refused for good.
 */
@Processor(QueueName.Ingest, { concurrency: 4 })
class CheapIngestProcessor extends JobProcessor {
  readonly handlers = {
    [JobName.IngestBatch]: (job: Job) => {
      const { items } = job.data as JobPayloads[typeof JobName.IngestBatch];
      const parsed = items.map(itemFromJson);
      if (Number(job.id) % FAIL_EVERY === 0)
        return Promise.reject(new UnrecoverableError('a batch that cannot be stored'));
      return Promise.resolve(parsed.length);
    },
  };
}

/**
 * Toonbank's queue configuration as the worker has it (connection, prefix, default job
 * options), read from the environment when called (ConfigModule.forRoot reads it then).
 */
@Module({})
class QueueBenchModule {
  static forRoot(): DynamicModule {
    return {
      module: QueueBenchModule,
      imports: [ToonbankConfigModule.forRoot(), QueueModule.forRoot('worker')],
      providers: [CheapIngestProcessor],
    };
  }
}

/** A batch as the pollers queue it: one 280-character mention in the InboundItem JSON. */
const ingestBatch = (n: number): JobPayloads[typeof JobName.IngestBatch] => ({
  organisationId: '5d7f3c1e-8a8b-4c1e-9f3e-2b6f0c1d2e3f',
  channelAccountId: '9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d',
  items: [
    {
      externalId: `1134${String(n).padStart(14, '0')}`,
      authorExternalId: '109876543210',
      authorHandle: '@klant@mastodon.example',
      authorName: 'Klant',
      text: `@webcare Al ${n} uur geen stroom in Utrecht-Oost. `.padEnd(280, 'Wanneer? '),
      createdAt: new Date().toISOString(),
      inReplyToExternalId: null,
      threadRootExternalId: null,
      visibility: 'public',
      language: 'nl',
      attachments: [],
      raw: { id: `1134${String(n).padStart(14, '0')}`, visibility: 'public' },
    },
  ],
  cursor: { sinceId: `1134${String(n).padStart(14, '0')}` },
});

interface RedisSnapshot {
  jobs: number;
  seconds: number;
  usedMemory: number;
  peakMemory: number;
  keys: number;
  completed: number;
  failed: number;
  events: number;
}

interface QueueFigures {
  empty: number;
  snapshots: RedisSnapshot[];
  unfinished: number;
  untrimmedOptions: number;
}

const usedMemory = async (redis: Redis) => {
  const info = await redis.info('memory');
  const field = (name: string) => Number(new RegExp(`^${name}:(\\d+)`, 'm').exec(info)?.[1]);
  return { used: field('used_memory'), peak: field('used_memory_peak') };
};

async function queueRun({ size, log, redisPrefix }: BenchContext): Promise<QueueFigures> {
  const total = size(JOBS, 5_000);
  // Both past every bound: the completed and failed sets at their counts (at full size the
  // failed set fills at removeOnFail.count × FAIL_EVERY jobs) and the events stream at its length.
  const checkpoints = [size(DEFAULT_JOB_OPTIONS.removeOnFail.count * FAIL_EVERY, total / 2), total];
  const server = await PrivateRedis.start();
  const redis = new Redis(server.url, { maxRetriesPerRequest: 1 });
  try {
    await sleep(500);
    const empty = (await usedMemory(redis)).used;
    const context = await withEnv({ REDIS_URL: server.url, REDIS_PREFIX: redisPrefix }, () =>
      NestFactory.createApplicationContext(QueueBenchModule.forRoot(), { logger: false }),
    );
    try {
      await context.init();
      const queue = context.get<Queue>(getQueueToken(QueueName.Ingest), { strict: false });
      const processor = context.get(CheapIngestProcessor);
      let finished = 0;
      let wake: (() => void) | null = null;
      const onFinished = () => {
        finished += 1;
        wake?.();
      };
      processor.worker.on('completed', onFinished);
      processor.worker.on('failed', onFinished);
      const finishedUpTo = (count: number) =>
        new Promise<void>((resolve) => {
          wake = () => {
            if (finished < count) return;
            wake = null;
            resolve();
          };
          wake();
        });

      const data = ingestBatch(1);
      const [first] = await queue.addBulk([{ name: JobName.IngestBatch, data }]);
      const opts = first.opts;
      const untrimmedOptions =
        JSON.stringify([opts.removeOnComplete, opts.removeOnFail]) ===
        JSON.stringify([DEFAULT_JOB_OPTIONS.removeOnComplete, DEFAULT_JOB_OPTIONS.removeOnFail])
          ? 0
          : 1;

      log(`${total.toLocaleString('en-US')} jobs through the ingest queue (addBulk of ${CHUNK})`);
      const start = process.hrtime.bigint();
      const snapshots: RedisSnapshot[] = [];
      let added = 1;
      for (const checkpoint of checkpoints) {
        while (added < checkpoint) {
          const n = Math.min(CHUNK, checkpoint - added);
          await queue.addBulk(
            Array.from({ length: n }, (_, i) => ({
              name: JobName.IngestBatch,
              data: ingestBatch(added + i + 1),
            })),
          );
          added += n;
          await finishedUpTo(added - 2 * CHUNK);
          if (added % size(100_000, 1_000) === 0) {
            log(`${added.toLocaleString('en-US')} added, ${(msSince(start) / 1000).toFixed(0)} s`);
          }
        }
        await finishedUpTo(added);
        await drained(queue);
        await sleep(200);
        const memory = await usedMemory(redis);
        const keys = await redis.dbsize();
        if (keys === 0) throw new Error('the queue is not on the private redis-server');
        const counts = await queue.getJobCounts('completed', 'failed');
        snapshots.push({
          jobs: added,
          seconds: msSince(start) / 1000,
          usedMemory: memory.used,
          peakMemory: memory.peak,
          keys,
          completed: counts.completed,
          failed: counts.failed,
          events: await redis.xlen(`${redisPrefix}:${QueueName.Ingest}:events`),
        });
      }
      return { empty, snapshots, unfinished: added - finished, untrimmedOptions };
    } finally {
      await context.close();
    }
  } finally {
    redis.disconnect();
    await server.stop();
  }
}

// ---------------------------------------------------------------------------------------------

const count = (n: number) => n.toLocaleString('en-US');
const mib = (bytes: number) => `${mebibytes(bytes).toFixed(2)} MiB`;

async function run(context: BenchContext): Promise<BenchResult> {
  const sockets = await socketsRun(context);
  const queue = await queueRun(context);
  const n = sockets.users * sockets.perUser;
  const [tenth, all] = queue.snapshots;
  const bounded = all.usedMemory <= tenth.usedMemory * 1.25 ? 1 : 0;
  const checks: Check[] = [
    {
      what: `events not received (${n} sockets of each × ${sockets.events} events)`,
      value: sockets.missed,
      expected: 0,
    },
    {
      what: 'jobs added without Toonbank\u2019s default trimming options',
      value: queue.untrimmedOptions,
      expected: 0,
    },
    {
      what: `jobs added but never completed or failed (of ${count(all.jobs)})`,
      value: queue.unfinished,
      expected: 0,
    },
    {
      what: `completed jobs kept beyond removeOnComplete.count (${DEFAULT_JOB_OPTIONS.removeOnComplete.count})`,
      value: Math.max(0, all.completed - DEFAULT_JOB_OPTIONS.removeOnComplete.count),
      expected: 0,
    },
    {
      what: `failed jobs kept beyond removeOnFail.count (${DEFAULT_JOB_OPTIONS.removeOnFail.count})`,
      value: Math.max(0, all.failed - DEFAULT_JOB_OPTIONS.removeOnFail.count),
      expected: 0,
    },
    {
      what: `Redis memory bounded: used_memory after ${count(all.jobs)} jobs ≤ 1.25 × after ${count(tenth.jobs)} (1 = yes)`,
      value: bounded,
      expected: 1,
    },
  ];
  const rssRow = (what: string, figures: { toonbank: number; baseline: number }) =>
    `| ${what} | ${figures.toonbank.toFixed(1)} MiB | ${figures.baseline.toFixed(1)} MiB |`;
  return {
    measurements: [
      {
        what: `api RSS, ${n} sockets connected`,
        unit: 'MB',
        toonbank: sockets.connected.toonbank,
        baseline: sockets.connected.baseline,
        target: { op: '<=', value: 300 },
      },
      {
        what: `api RSS, ${n} sockets, after ${sockets.events} events to all`,
        unit: 'MB',
        toonbank: sockets.afterEvents.toonbank,
        baseline: sockets.afterEvents.baseline,
        target: { op: '<=', value: 300 },
      },
      {
        what: `Redis used_memory after ${count(all.jobs)} jobs (baseline: the empty server)`,
        unit: 'MB',
        toonbank: mebibytes(all.usedMemory),
        baseline: mebibytes(queue.empty),
      },
    ],
    checks,
    details: [
      `Sockets: ${sockets.users} agents of one organisation with ${sockets.perUser} sockets each ` +
        `(${n} per server), connected in blocks of ${Math.min(50, n)} at a time, Toonbank's and ` +
        `the bare server's in turns; then ${sockets.events} \`message.created\` events (a ` +
        `280-character mention) to the organisation's room through the Redis emitter, every ` +
        `socket of each receiving each. RSS is VmRSS of /proc/<pid>/status, one second after ` +
        `each step (MB in this report are MiB).`,
      [
        '| resident memory (VmRSS) | Toonbank api (built, NODE_ENV=production) | bare socket.io server |',
        '|---|---:|---:|',
        rssRow('at rest, no socket', sockets.rest),
        rssRow(`${n} sockets connected`, sockets.connected),
        rssRow(`after ${sockets.events} events to all`, sockets.afterEvents),
      ].join('\n'),
      distributionTable([
        [
          'socket connect, Toonbank (handshake, token, principal, rooms)',
          distribution(sockets.connect.toonbank),
        ],
        ['socket connect, bare server (baseline)', distribution(sockets.connect.baseline)],
      ]),
      `Queue: ${count(all.jobs)} \`ingest.batch\` jobs (one 280-character mention each) on a ` +
        `private redis-server, added with addBulk in chunks of ${count(CHUNK)} (at most two ` +
        `chunks waiting), processed by a cheap processor on Toonbank's worker path (the ` +
        `@nestjs/bullmq processor of QueueModule.forRoot('worker'), concurrency 4 as the ingest ` +
        `processor); one in ${FAIL_EVERY} fails for good (UnrecoverableError). Default job ` +
        `options: \`${JSON.stringify(DEFAULT_JOB_OPTIONS)}\`. Measured once the queue was ` +
        `drained; the empty server at rest used ${mib(queue.empty)}.`,
      [
        '| after | time | jobs/s | used_memory | used_memory_peak | keys | completed kept | failed kept | events stream |',
        '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
        ...queue.snapshots.map(
          (s) =>
            `| ${count(s.jobs)} jobs | ${s.seconds.toFixed(0)} s | ${count(Math.round(s.jobs / s.seconds))} | ${mib(s.usedMemory)} | ${mib(s.peakMemory)} | ${count(s.keys)} | ${count(s.completed)} | ${count(s.failed)} | ${count(s.events)} |`,
        ),
      ].join('\n'),
    ],
  };
}

export const memory: Benchmark = {
  id: 'memory',
  title: 'memory',
  needsBuild: true,
  description: `
**api RSS:** the built api (\`apps/api/dist/main.js\`, NODE_ENV=production, with its worker
beside it) as a process of its own, with 500 authenticated socket.io clients on \`/inbox\`
(100 agents × 5 sockets: each handshake verifies the token, loads the principal and joins the
organisation's, the user's and the inbox room), then 20 live events to all of them; its
resident memory (VmRSS) against the physical floor: a bare Node process with a plain
socket.io server of the same version, on the same Redis adapter, whose 500 sockets join the
same rooms without authentication. Both are measured side by side, connected in alternating
blocks, the events sent to both at once.

**Redis memory after many jobs:** 300,000 \`ingest.batch\` jobs (issue 7 says 1,000,000: see
the findings) added with addBulk through Toonbank's queue (QueueModule with its default job
options: \`removeOnComplete\` 1,000, \`removeOnFail\` 5,000) and processed by a cheap processor
on Toonbank's worker path, on a private redis-server; its \`used_memory\` once drained, after
100,000 jobs (every bound reached: 1,000 completed and 5,000 failed kept, the events stream at
its length) and after 300,000, against the same server empty at rest. The check is that memory
is bounded: at the end no more than 1.25 times what it was after 100,000 jobs, and no more
finished jobs kept than the trimming allows.`,
  analysis: `
- **api RSS: 166 MB with 500 sockets, 169 MB after 20 events to all** (first full run, load
  average 4–5 on 2 cores), well under 300 MB. Most of it is the api at rest (147 MB: Nest,
  Express, TypeORM and its entity metadata, the Redis connections, pino), against 65 MB for
  the bare process. The 500 sockets add about 19 MB, some 40 KB a socket (engine.io and
  socket.io objects, three rooms each in the Redis adapter, \`socket.data\`, the handshake),
  against about 4 MB (8 KB a socket) on the bare server. Linearly, 300 MB would be reached
  near 3,500 sockets on one api process (not measured); more sockets take more api processes
  (the Redis adapter shares the rooms). RSS is read between garbage collections, one second
  after each step, not after a forced collection.
- **The handshakes** (blocks of 50 at once) wait on the token check and the principal's query:
  p50 0.84 s against 0.29 s for the bare server on a loaded machine; no target, shown for what
  a reconnect storm costs.
- **Redis: bounded, no fix needed.** \`DEFAULT_JOB_OPTIONS\` (libs/platform) trim finished
  jobs by count (\`removeOnComplete\` 1,000, \`removeOnFail\` 5,000) and no job overrides
  them. \`used_memory\` was 19.68 MB after 100,000 jobs and 19.68 MB after 300,000, with the
  same 6,011 keys. What it holds: the 5,000 failed jobs kept (data and stack trace, about 3 KB
  each) are most of it, then the 1,000 completed ones and the events stream (about 10,000
  entries, BullMQ's default \`maxLenEvents\`). The peak (about 28 MB) is the backlog of waiting
  jobs, here at most two chunks of 2,000: trimming bounds finished jobs only, never a backlog
  of producers outrunning the workers (the queue-depth metrics show that one).
- **Why 300,000 jobs and not issue 7's 1,000,000.** A job costs about 0.3–0.4 ms of CPU between
  the worker and Redis (the add, the fetch with its lock, the move-to-finished script with its
  trimming and event entries): about 1,500 jobs/s in the run above, about 3,000/s for a bare
  BullMQ script on a quieter machine. One full run of 1,000,000 took 31 minutes under a load
  average of 7 to 11 (other work sharing the 2 cores) and ran past the 30 minutes Jest gives
  \`npm run bench\`, losing the report; at the rate above it would take about 11 minutes
  alone, more than the whole run's 10-minute budget. Memory reaches its bound once the failed
  set is full (5,000 × 20 = 100,000 jobs) and does not move afterwards; 300,000 is three times
  that point. \`JOBS\` in tests/bench/benchmarks/memory.ts sets 1,000,000 on a quiet machine.
- **Measurement units:** \`Measurement['unit']\` of the harness has no unit of memory; this
  benchmark passes \`MB\` (mebibytes) through a cast, which the report prints as given.`,
  run,
};
