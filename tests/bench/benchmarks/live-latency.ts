// Live latency (issue 7): a mention committed by the ingest writer → `message.created` at every
// connected client of its organisation, against a bare socket.io server's floor.
import { spawn, type ChildProcess } from 'node:child_process';
import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Emitter } from '@socket.io/redis-emitter';
import type { InboundItem } from '@toonbank/channels';
import type { OrganisationEntity } from '@toonbank/database';
import { IngestWriter } from '@toonbank/ingest';
import { EventPublisher, socketIoRedisKey } from '@toonbank/platform';
import { INBOX_NAMESPACE } from '@toonbank/shared';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import {
  builtAccessToken,
  ROOT,
  startBuiltStack,
  type BuiltStack,
} from '../../support/built-stack';
import { newChannelAccount, newOrganisation, newUser } from '../../support/factories';
import { connectInbox, sleep, type InboxClient } from '../../support/socket-client';
import { startTestWorker } from '../../support/test-worker';
import type { Benchmark, BenchContext, BenchResult } from '../harness';
import { distributionTable, type Distribution } from '../measure';

/** Mentions per second (issue 7). */
const RATE = 100;
/** Channel accounts the mentions arrive on (each account's batches are serialised by its lock). */
const ACCOUNTS = 4;
/** Customers per account: after the first round a mention joins its customer's conversation. */
const CUSTOMERS = 25;
/** Users of the organisation; the clients are spread over them (several tabs and devices each). */
const USERS = 50;
/**
 * At most this many clients per user: the api refuses a user's eleventh socket
 * (SOCKETS_PER_USER), so the ramp's larger steps are spread over more team leads.
 */
const CLIENTS_PER_USER = 8;
/** The ramp stops at the step whose p99 passes this. */
const RAMP_LIMIT_MS = 1000;

/** One clock for commits and arrivals: milliseconds since the module loaded (CLOCK_MONOTONIC). */
const BASE = process.hrtime.bigint();
const now = () => Number(process.hrtime.bigint() - BASE) / 1e6;

/**
 * Clients of the inbox namespace in a process of their own (as browsers are elsewhere: their
 * work must not hold up the writer's event loop in this one). Each speaks socket.io's protocol
 * (engine.io 4 over a websocket) as socket.io-client does, without decoding the payloads: it
 * answers the server's pings and notes when each `message.created` frame arrives, by the
 * message's external id, on the same monotonic clock as this process (`FARM_BASE`).
 * Commands come over IPC: connect, count (arrivals of these ids), collect (and forget).
 */
const CLIENT_FARM = `
const WebSocket = require('ws');
const BASE = BigInt(process.env.FARM_BASE);
const now = () => Number(process.hrtime.bigint() - BASE) / 1e6;
const NS = process.env.FARM_NAMESPACE;
const MESSAGE = '42' + NS + ',["message.created",';
const ID = /"externalId":"([^"]+)"/;
let arrivals = new Map();
const sockets = [];
const connect = (url, auth) => new Promise((resolve, reject) => {
  const ws = new WebSocket(url.replace(/^http/, 'ws') + '/socket.io/?EIO=4&transport=websocket',
    { perMessageDeflate: false });
  const timer = setTimeout(() => reject(new Error('no namespace connect within 30 s')), 30000);
  ws.on('error', reject);
  ws.on('message', (data) => {
    const at = now();
    const frame = data.toString();
    if (frame.startsWith(MESSAGE)) {
      const id = ID.exec(frame);
      if (!id) return;
      const list = arrivals.get(id[1]);
      if (list) list.push(at); else arrivals.set(id[1], [at]);
    } else if (frame === '2') ws.send('3');
    else if (frame[0] === '0') ws.send('40' + NS + ',' + JSON.stringify(auth));
    else if (frame.startsWith('40' + NS + ',')) { clearTimeout(timer); resolve(ws); }
    else if (frame.startsWith('44' + NS + ',')) {
      clearTimeout(timer);
      reject(new Error('the namespace refused the connection: ' + frame));
    }
  });
});
process.on('message', async (command) => {
  try {
    if (command.type === 'connect') {
      for (let i = 0; i < command.tokens.length; i += 100) {
        const batch = command.tokens.slice(i, i + 100);
        sockets.push(...(await Promise.all(batch.map((token) => connect(command.url, { token })))));
      }
      process.send({ id: command.id, value: sockets.length });
    } else if (command.type === 'count') {
      let n = 0;
      for (const id of command.ids) n += (arrivals.get(id) || []).length;
      process.send({ id: command.id, value: n });
    } else if (command.type === 'collect') {
      const value = command.ids.map((id) => arrivals.get(id) || []);
      arrivals = new Map();
      process.send({ id: command.id, value });
    }
  } catch (error) {
    process.send({ id: command.id, error: String((error && error.message) || error) });
  }
});
process.on('disconnect', () => process.exit(0));
`;

/** A client farm process: `count` clients of one server, commands answered over IPC. */
class ClientFarm {
  private next = 0;
  private readonly pending = new Map<
    number,
    (answer: { value?: unknown; error?: string }) => void
  >();

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (answer: { id: number; value?: unknown; error?: string }) => {
      this.pending.get(answer.id)?.(answer);
      this.pending.delete(answer.id);
    });
  }

  static start(): ClientFarm {
    const child = spawn(process.execPath, ['-e', CLIENT_FARM], {
      cwd: ROOT,
      env: { ...process.env, FARM_BASE: BASE.toString(), FARM_NAMESPACE: INBOX_NAMESPACE },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new ClientFarm(child);
  }

  async ask<T>(command: Record<string, unknown>): Promise<T> {
    const id = this.next++;
    const answer = await new Promise<{ value?: unknown; error?: string }>((resolve, reject) => {
      this.pending.set(id, resolve);
      this.child.send({ ...command, id }, (error) => error && reject(error));
    });
    if (answer.error) throw new Error(`client farm: ${answer.error}`);
    return answer.value as T;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }
}

/**
 * A subscriber beside the socket.io servers' own: notes when each `message.created` has passed
 * through Redis (the emitter's msgpack carries the external id as plain UTF-8).
 */
class RedisTap {
  readonly seen = new Map<string, number>();
  private readonly redis = new Redis(process.env.REDIS_URL as string);

  private constructor(private readonly pattern: RegExp) {}

  static async on(keys: string[], externalIds: RegExp): Promise<RedisTap> {
    const tap = new RedisTap(externalIds);
    tap.redis.on('pmessageBuffer', (_pattern: Buffer, _channel: Buffer, message: Buffer) => {
      const at = now();
      const text = message.toString('latin1');
      if (!text.includes('message.created')) return;
      const id = tap.pattern.exec(text)?.[0];
      if (id) tap.seen.set(id, at);
    });
    await tap.redis.psubscribe(...keys.map((key) => `${key}#*`));
    return tap;
  }

  close(): void {
    this.redis.disconnect();
  }
}

/**
 * `count` connected clients of one server: one socket.io-client in this process that decodes
 * every payload (`decoded`), the rest in a client farm.
 */
class ClientSet {
  /** External ids of the `message.created` payloads the socket.io-client decoded, and when. */
  private readonly decoded = new Map<string, number>();
  private readonly templates = new Map<string, unknown>();
  private real?: InboxClient;

  private constructor(
    readonly count: number,
    private readonly farm: ClientFarm,
  ) {}

  static async connect(
    url: string,
    count: number,
    tokenOf: (i: number) => string,
  ): Promise<ClientSet> {
    const set = new ClientSet(count, ClientFarm.start());
    try {
      set.real = await connectInbox({ url }, tokenOf(0));
      set.real.socket.on('message.created', ({ message }) => {
        set.decoded.set(message.externalId as string, now());
      });
      set.real.socket.onAny((event: string, payload: unknown) => {
        if (!set.templates.has(event)) set.templates.set(event, payload);
      });
      const tokens = Array.from({ length: count - 1 }, (_, i) => tokenOf(i + 1));
      await set.farm.ask({ type: 'connect', url, tokens });
    } catch (error) {
      await set.close();
      throw error;
    }
    return set;
  }

  /** The first payload of `event` the socket.io-client received (the baseline's template). */
  payloadOf(event: string): unknown {
    return this.templates.get(event);
  }

  async delivered(ids: string[]): Promise<number> {
    const farmed = await this.farm.ask<number>({ type: 'count', ids });
    return farmed + ids.filter((id) => this.decoded.has(id)).length;
  }

  /** The arrival times of each id at every client, then forgets them. */
  async collect(ids: string[]): Promise<{ arrivals: number[][]; decoded: number }> {
    const farmed = await this.farm.ask<number[][]>({ type: 'collect', ids });
    const arrivals = ids.map((id, i) => {
      const at = this.decoded.get(id);
      return at === undefined ? farmed[i] : [...farmed[i], at];
    });
    const decoded = ids.filter((id) => this.decoded.has(id)).length;
    this.decoded.clear();
    if (this.real) this.real.received.length = 0;
    return { arrivals, decoded };
  }

  async close(): Promise<void> {
    this.real?.close();
    await this.farm.stop();
  }
}

/** A mention made live: its external id, the time it counts from, when its event left for Redis. */
interface Origin {
  externalId: string;
  at: number;
  published: number;
}

/** External ids of the mentions: `<run>-<i>`, a run named by a letter and a number. */
const EXTERNAL_IDS = /\b[tbrqw]\d+-\d+\b/;

interface Block {
  clients: number;
  mentions: number;
  latencies: number[];
  /** Per mention: from the commit (or the baseline's emit) to `message.created` leaving for Redis. */
  toRedis: number[];
  /** Per delivery: from `message.created` leaving for Redis to its arrival at a client. */
  fromRedis: number[];
  /** Per mention: from leaving for Redis to a subscriber of Redis in this process. */
  throughRedis: number[];
  /** Per delivery: from that subscriber to the client (the socket.io server's own part). */
  server: number[];
  lost: number;
  /** Deliveries the socket.io-client decoded, against the mentions. */
  decodedLost: number;
}

/**
 * `mentions` at RATE a second, on schedule whatever the previous ones are doing (an open loop:
 * a slow commit does not hold back the next mention), then waits for the deliveries.
 * `send(i)` resolves with the external id it made live and the time it counts from.
 */
async function stream(
  tap: RedisTap,
  set: ClientSet,
  mentions: number,
  drainMs: number,
  send: (i: number) => Promise<Origin>,
  log: (message: string) => void,
  label: string,
): Promise<Block> {
  const sent: Promise<Origin>[] = [];
  const start = now();
  for (let i = 0; i < mentions; i++) {
    const due = start + (i * 1000) / RATE;
    if (due > now()) await sleep(due - now());
    sent.push(send(i));
  }
  const scheduled = now() - start;
  const origins = await Promise.all(sent);
  const committed = now() - start;
  const expected = mentions * set.count;
  const ids = origins.map((o) => o.externalId);
  const deadline = now() + drainMs;
  while ((await set.delivered(ids)) < expected && now() < deadline) await sleep(100);
  const { arrivals, decoded } = await set.collect(ids);
  const latencies: number[] = [];
  const fromRedis: number[] = [];
  const throughRedis: number[] = [];
  const server: number[] = [];
  origins.forEach(({ externalId, at, published }, i) => {
    const tapped = tap.seen.get(externalId);
    if (tapped !== undefined) throughRedis.push(tapped - published);
    for (const arrival of arrivals[i]) {
      latencies.push(arrival - at);
      fromRedis.push(arrival - published);
      if (tapped !== undefined) server.push(arrival - tapped);
    }
  });
  tap.seen.clear();
  const d = largeDistribution(latencies);
  log(
    `${label}: ${mentions} mentions sent in ${scheduled.toFixed(0)} ms, all made live after ` +
      `${committed.toFixed(0)} ms; ${latencies.length} deliveries, p50 ${d.p50.toFixed(1)} ms, ` +
      `p99 ${d.p99.toFixed(1)} ms, lost ${expected - latencies.length}`,
  );
  return {
    clients: set.count,
    mentions,
    latencies,
    toRedis: origins.map((o) => o.published - o.at),
    fromRedis,
    throughRedis,
    server,
    lost: expected - latencies.length,
    decodedLost: mentions - decoded,
  };
}

// ---------------------------------------------------------------------------------------------
// Toonbank: the built api, mentions through the real IngestWriter in a worker context

const MENTION_TEXT =
  '@webcare al twee uur geen stroom in de Lombokstraat in Utrecht, de vriezer begint te ' +
  'ontdooien en de storingskaart zegt niets. Wanneer is het opgelost? Ik heb ook een ' +
  'melding gedaan via de app maar geen antwoord gehad.';

const mention = (run: string, i: number): InboundItem => {
  const customer = (Math.floor(i / ACCOUNTS) % CUSTOMERS) + (i % ACCOUNTS) * CUSTOMERS;
  return {
    externalId: `${run}-${i}`,
    authorExternalId: `customer-${customer}`,
    authorHandle: `@klant${customer}@social.example`,
    authorName: `Klant ${customer}`,
    text: MENTION_TEXT,
    createdAt: new Date(),
    inReplyToExternalId: null,
    threadRootExternalId: null,
    visibility: 'public',
    language: 'nl',
    attachments: [],
    raw: { id: `${run}-${i}`, content: MENTION_TEXT },
  };
};

/**
 * The commit time of each ingest transaction, by the mention's external id: the writer runs
 * inside `context.run(externalId)`, and a subscriber of its DataSource notes the first commit
 * in that context (TypeORM broadcasts it right after COMMIT answers, before the writer goes on
 * to announce the events).
 */
function commitClock(db: DataSource) {
  const context = new AsyncLocalStorage<string>();
  const commits = new Map<string, number>();
  const subscriber = {
    afterTransactionCommit: () => {
      const at = now();
      const id = context.getStore();
      if (id !== undefined && !commits.has(id)) commits.set(id, at);
    },
  };
  db.subscribers.push(subscriber as never);
  return {
    context,
    commits,
    stop: () => db.subscribers.splice(db.subscribers.indexOf(subscriber as never), 1),
  };
}

/**
 * With BENCH_PROFILE: a script that the built api and worker load first (NODE_OPTIONS does not
 * take --cpu-prof), profiling the whole process into <dir>/live-latency-<app>.cpuprofile when it
 * exits.
 */
function builtProfiler(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'live-latency-profiler.cjs');
  writeFileSync(
    file,
    `const { Session } = require('node:inspector');
const { writeFileSync } = require('node:fs');
const app = /api/.test(process.argv[1] || '') ? 'api' : 'worker';
const session = new Session();
session.connect();
session.post('Profiler.enable');
session.post('Profiler.setSamplingInterval', { interval: 100 });
session.post('Profiler.start');
process.on('exit', () => session.post('Profiler.stop', (error, result) => {
  if (!error) writeFileSync(${JSON.stringify(dir)} + '/live-latency-' + app + '.cpuprofile',
    JSON.stringify(result.profile));
}));
`,
  );
  return file;
}

interface Toonbank {
  stack: BuiltStack;
  tokens: string[];
  send: (run: string) => (i: number) => Promise<Origin>;
  close(): Promise<void>;
}

async function startToonbank(
  db: DataSource,
  organisation: OrganisationEntity,
  tokens: string[],
  profileDir: string | null,
): Promise<Toonbank> {
  const accounts = await Promise.all(
    Array.from({ length: ACCOUNTS }, () =>
      newChannelAccount(db, organisation, { status: 'paused' }),
    ),
  );
  const stack = await startBuiltStack('live-latency', {
    SHUTDOWN_DELAY_SECONDS: '0',
    ...(profileDir ? { NODE_OPTIONS: `--require ${builtProfiler(profileDir)}` } : {}),
  });
  const worker = await startTestWorker(stack.redisPrefix).catch(async (error: unknown) => {
    await stack.stop();
    throw error;
  });
  const writer = worker.get(IngestWriter);
  const clock = commitClock(worker.get(DataSource));
  // When each message.created leaves for Redis (the writer publishes after its commit).
  const published = new Map<string, number>();
  const events = worker.get(EventPublisher);
  const toInbox = events.toInbox.bind(events);
  events.toInbox = ((organisationId: string, event: string, payload: MessagePayload) => {
    if (event === 'message.created') published.set(payload.message.externalId as string, now());
    toInbox(organisationId, event as 'message.created', payload as never);
  }) as typeof events.toInbox;
  return {
    stack,
    tokens,
    send: (run) => async (i) => {
      const item = mention(run, i);
      const account = accounts[i % ACCOUNTS];
      const result = await clock.context.run(item.externalId, () =>
        writer.write(organisation.id, account.id, [item], null),
      );
      const at = clock.commits.get(item.externalId);
      const sentAt = published.get(item.externalId);
      if (result.stored !== 1 || at === undefined || sentAt === undefined)
        throw new Error(`mention ${item.externalId} not stored (${JSON.stringify(result)})`);
      clock.commits.delete(item.externalId);
      published.delete(item.externalId);
      return { externalId: item.externalId, at, published: sentAt };
    },
    close: async () => {
      clock.stop();
      await worker.close();
      await stack.stop();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The baseline: a bare socket.io server with the same Redis adapter, fed by the same emitter

/**
 * socket.io with @socket.io/redis-adapter in a process of its own, as the api runs it, and
 * nothing else: no Nest, no authentication (every socket joins one room at connect).
 */
const BARE_SERVER = `
const http = require('node:http');
const { Server } = require('socket.io');
const { createAdapter } = require('@socket.io/redis-adapter');
const { Redis } = require('ioredis');
const url = process.env.REDIS_URL;
const server = http.createServer();
const io = new Server(server, { serveClient: false, path: '/socket.io' });
io.adapter(createAdapter(new Redis(url), new Redis(url), { key: process.env.BARE_KEY }));
io.of(process.env.BARE_NAMESPACE).on('connection', (socket) => socket.join('inbox'));
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
process.on('SIGTERM', () => { io.close(); process.exit(0); });
`;

interface MessagePayload {
  conversationId: string;
  message: Record<string, unknown>;
}

interface Baseline {
  url: string;
  send: (run: string) => (i: number) => Promise<Origin>;
  close(): Promise<void>;
}

async function startBaseline(
  key: string,
  conversation: unknown,
  message: MessagePayload,
  profileDir: string | null,
): Promise<Baseline> {
  const child: ChildProcess = spawn(
    process.execPath,
    [...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), '-e', BARE_SERVER],
    {
      cwd: ROOT,
      env: { ...process.env, BARE_KEY: key, BARE_NAMESPACE: INBOX_NAMESPACE },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const port = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the bare socket.io server exited (${code})`)));
    child.stdout?.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
  });
  const redis = new Redis(process.env.REDIS_URL as string);
  const inbox = new Emitter(redis, { key }).of(INBOX_NAMESPACE).to('inbox');
  return {
    url: `http://127.0.0.1:${port}`,
    // The same two events as the writer's per mention, payloads of the same shape and size.
    send: (run) => async (i) => {
      const externalId = `${run}-${i}`;
      const at = now();
      inbox.emit('conversation.updated', conversation);
      inbox.emit('message.created', {
        ...message,
        message: { ...message.message, externalId, createdAt: new Date().toISOString() },
      });
      return { externalId, at, published: now() };
    },
    close: async () => {
      redis.disconnect();
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((resolve) => child.once('exit', resolve));
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------

/** `distribution` for hundreds of thousands of samples (no spread of the array into a call). */
function largeDistribution(samples: readonly number[]): Distribution {
  const sorted = Float64Array.from(samples).sort();
  const at = (p: number) =>
    sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1];
  return {
    n: sorted.length,
    p50: sorted.length ? at(50) : Number.NaN,
    p99: sorted.length ? at(99) : Number.NaN,
    mean: sorted.reduce((sum, x) => sum + x, 0) / sorted.length,
    max: sorted.length ? sorted[sorted.length - 1] : Number.NaN,
  };
}

const summary = (block: Block): Distribution => largeDistribution(block.latencies);

const merge = (blocks: Block[]): Block => ({
  clients: blocks[0].clients,
  mentions: blocks.reduce((n, b) => n + b.mentions, 0),
  latencies: blocks.flatMap((b) => b.latencies),
  toRedis: blocks.flatMap((b) => b.toRedis),
  fromRedis: blocks.flatMap((b) => b.fromRedis),
  throughRedis: blocks.flatMap((b) => b.throughRedis),
  server: blocks.flatMap((b) => b.server),
  lost: blocks.reduce((n, b) => n + b.lost, 0),
  decodedLost: blocks.reduce((n, b) => n + b.decodedLost, 0),
});

async function run({ size, db, log, profile, redisPrefix }: BenchContext): Promise<BenchResult> {
  const clients = size(200, 6);
  const blockMentions = size(500, 20); // 5 s at 100/s
  const rounds = size(3, 1);
  const rampSteps = size([400, 800, 1600, 3200], [12]);
  const rampMentions = size(300, 10);
  const rampBudgetMs = size(150_000, 30_000);
  const drainMs = size(10_000, 5_000);
  const profileDir = process.env.BENCH_PROFILE ? join(ROOT, '.data', 'bench') : null;

  const organisation = await newOrganisation(db, { maturityLevel: 1 });
  /** The users `count` clients are spread over: USERS, or more when they would pass CLIENTS_PER_USER. */
  const usersFor = (count: number) =>
    Math.min(count, Math.max(USERS, Math.ceil(count / CLIENTS_PER_USER)));
  const users = await Promise.all(
    Array.from({ length: usersFor(Math.max(clients, ...rampSteps)) }, () =>
      newUser(db, organisation, { role: 'team_lead' }),
    ),
  );
  const tokens = await Promise.all(users.map((user) => builtAccessToken(user, 'bench')));
  const tokensFor = (count: number) => (i: number) => tokens[i % usersFor(count)];
  const tokenOf = tokensFor(clients);

  log('the built api and worker, and a worker context holding the IngestWriter');
  const toonbank = await startToonbank(db, organisation, tokens, profileDir);
  const bareKey = `${redisPrefix}-bare-socket.io`;
  const tap = await RedisTap.on(
    [socketIoRedisKey(toonbank.stack.redisPrefix), bareKey],
    EXTERNAL_IDS,
  );
  let baseline: Baseline | undefined;
  const measure = (
    set: ClientSet,
    mentions: number,
    send: (run: string) => (i: number) => Promise<Origin>,
    run: string,
  ) => stream(tap, set, mentions, drainMs, send(run), log, `${run}, ${set.count} clients`);
  const sets: ClientSet[] = [];
  const connect = async (url: string, count: number, token: (i: number) => string) => {
    const set = await ClientSet.connect(url, count, token);
    sets.push(set);
    return set;
  };
  const release = async (set: ClientSet) => {
    sets.splice(sets.indexOf(set), 1);
    await set.close();
  };
  try {
    const toonbankClients = await connect(toonbank.stack.url, clients, tokenOf);
    log(`warm-up: ${size(200, 10)} mentions to ${clients} clients`);
    const warm = await measure(toonbankClients, size(200, 10), toonbank.send, 'w0');
    const conversation =
      toonbankClients.payloadOf('conversation.updated') ??
      toonbankClients.payloadOf('conversation.created');
    if (!conversation || warm.lost > 0)
      throw new Error(`the warm-up lost ${warm.lost} deliveries of ${warm.mentions * clients}`);
    baseline = await startBaseline(
      bareKey,
      conversation,
      toonbankClients.payloadOf('message.created') as MessagePayload,
      profileDir,
    );
    const baselineClients = await connect(baseline.url, clients, () => 'no-auth');
    await measure(baselineClients, size(200, 10), baseline.send, 'w1');

    log(`${rounds} × ${blockMentions} mentions at ${RATE}/s to ${clients} clients, alternating`);
    const blocks = { toonbank: [] as Block[], baseline: [] as Block[] };
    await profile('deliver', async () => {
      for (let round = 0; round < rounds; round++) {
        blocks.toonbank.push(
          await measure(toonbankClients, blockMentions, toonbank.send, `t${round}`),
        );
        blocks.baseline.push(
          await measure(baselineClients, blockMentions, baseline!.send, `b${round}`),
        );
      }
    });
    await release(toonbankClients);
    await release(baselineClients);
    const t = merge(blocks.toonbank);
    const b = merge(blocks.baseline);

    // The ramp: more clients until Toonbank's p99 passes RAMP_LIMIT_MS (or the time is up). The
    // measurement above is its first step: when its p99 is past the limit already, so is every
    // larger count.
    const ramp: { toonbank: Block; baseline: Block }[] = [{ toonbank: t, baseline: b }];
    const rampStart = now();
    let passedAt: number | null = summary(t).p99 > RAMP_LIMIT_MS ? clients : null;
    for (const count of passedAt === null ? rampSteps : []) {
      if (now() - rampStart > rampBudgetMs) break;
      log(`ramp: ${count} clients, ${rampMentions} mentions each`);
      const tSet = await connect(toonbank.stack.url, count, tokensFor(count));
      const tBlock = await measure(tSet, rampMentions, toonbank.send, `r${count}`);
      await release(tSet);
      const bSet = await connect(baseline.url, count, () => 'no-auth');
      const bBlock = await measure(bSet, rampMentions, baseline.send, `q${count}`);
      await release(bSet);
      ramp.push({ toonbank: tBlock, baseline: bBlock });
      if (summary(tBlock).p99 > RAMP_LIMIT_MS) {
        passedAt = count;
        break;
      }
    }

    const td = summary(t);
    const bd = summary(b);
    const rampRows = ramp.map(({ toonbank: rt, baseline: rb }) => {
      const x = summary(rt);
      const y = summary(rb);
      const ms = (v: number) => `${v.toFixed(1)} ms`;
      return (
        `| ${rt.clients} | ${rt.mentions} | ${ms(x.p50)} | ${ms(x.p99)} | ${ms(x.max)} | ` +
        `${rt.lost} | ${ms(y.p50)} | ${ms(y.p99)} | ${rb.lost} |`
      );
    });
    const largest = ramp.at(-1)?.toonbank.clients ?? clients;
    const baselinePassedAt = ramp.find((step) => summary(step.baseline).p99 > RAMP_LIMIT_MS)
      ?.baseline.clients;
    return {
      measurements: [
        {
          what: `p50, ${clients} clients, ${RATE} mentions/s`,
          unit: 'ms',
          toonbank: td.p50,
          baseline: bd.p50,
          target: { op: '<=', value: 25 },
        },
        {
          what: `p99, ${clients} clients, ${RATE} mentions/s`,
          unit: 'ms',
          toonbank: td.p99,
          baseline: bd.p99,
          target: { op: '<=', value: 150 },
        },
      ],
      checks: [
        { what: `deliveries lost (${clients} clients)`, value: t.lost, expected: 0 },
        {
          what: 'message.created payloads the socket.io-client missed',
          value: t.decodedLost,
          expected: 0,
        },
      ],
      details: [
        `One organisation (maturity level 1) of ${users.length} team leads, ${clients} clients ` +
          `spread over them; ${ACCOUNTS} channel accounts, ${ACCOUNTS * CUSTOMERS} customers ` +
          `(a customer's first mention opens a conversation, the next ones join it). ` +
          `${rounds} blocks of ${blockMentions} mentions at ${RATE}/s for each side, alternating, ` +
          `after a warm-up; ${(t.mentions * clients).toLocaleString('en-US')} deliveries ` +
          `measured for Toonbank, ${(b.mentions * clients).toLocaleString('en-US')} for the baseline.`,
        distributionTable([
          ['Toonbank: commit → message.created at a client', td],
          ['baseline: emit → message.created at a client', bd],
          ['Toonbank: commit → published to Redis (per mention)', largeDistribution(t.toRedis)],
          ['Toonbank: published → through Redis (per mention)', largeDistribution(t.throughRedis)],
          ['baseline: published → through Redis (per mention)', largeDistribution(b.throughRedis)],
          ['Toonbank: through Redis → at a client (the api)', largeDistribution(t.server)],
          ['baseline: through Redis → at a client (the bare server)', largeDistribution(b.server)],
        ]),
        `**The ramp**: the measurement above, then ${rampMentions} mentions at ${RATE}/s a ` +
          "step to more clients, each side on its own clients, until Toonbank's p99 passes " +
          `${RAMP_LIMIT_MS} ms or about ${rampBudgetMs / 1000} s are spent. ` +
          (passedAt === clients
            ? `Toonbank's p99 passed ${RAMP_LIMIT_MS} ms already at the measured **${clients} ` +
              'clients**: the client count where it passes 1 s is at most that; no larger step ran.'
            : passedAt
              ? `Toonbank's p99 passed ${RAMP_LIMIT_MS} ms at **${passedAt} clients**.`
              : `Toonbank's p99 stayed within ${RAMP_LIMIT_MS} ms up to ${largest} clients, the ` +
                'largest step within the bound: where it passes 1 s was not reached.') +
          (baselinePassedAt
            ? ` The baseline's passed it at ${baselinePassedAt} clients.`
            : ` The baseline's stayed within it up to ${largest} clients.`) +
          '\n\n| clients | mentions | Toonbank p50 | p99 | max | lost | baseline p50 | p99 | lost |\n' +
          '|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n' +
          rampRows.join('\n'),
      ],
    };
  } finally {
    for (const set of [...sets]) await set.close();
    tap.close();
    await baseline?.close();
    await toonbank.close();
  }
}

export const liveLatency: Benchmark = {
  id: 'live-latency',
  title: 'live latency',
  needsBuild: true,
  description: `
Mentions committed by the real \`IngestWriter\` (libs/ingest, in a worker context in the
benchmark's process: one transaction per mention, as a webhook delivers them, on 4 channel
accounts; after the commit it reads the conversation's view and publishes
\`conversation.created\`/\`updated\` and \`message.created\` through the Redis emitter), 100 a
second on schedule (an open loop: a slow write does not hold back the next mention), delivered
by the **built api** (\`apps/api/dist/main.js\` with NODE_ENV=production, its own process, as
it runs in production; the built worker beside it) to 200 clients of the inbox namespace,
authenticated with the access tokens of 50 team leads of one organisation (4 sockets each;
the ramp's larger steps spread over more team leads, at most 8 each, as the api refuses a
user's eleventh socket). The clients run in a process of their own (as browsers do
elsewhere), speaking socket.io's protocol over a websocket without decoding the payloads, plus
one real socket.io-client in the benchmark's process that decodes every payload (a check).
Latency: a client's receipt of \`message.created\` minus the commit of the mention's
transaction, both on the host's monotonic clock (the commit time is noted by a subscriber of
the writer's DataSource, right after COMMIT answered; the message's external id matches the
two). Figures over every (mention × client) delivery.

**The baseline**, the physical floor of the same path without Toonbank: a bare socket.io
server in a process of its own with the same Redis adapter (no Nest, no authentication, every
socket in one room), fed by the same \`@socket.io/redis-emitter\` with the same two events per
mention (payloads copied from Toonbank's, the same size), at the same rate to as many clients in
a farm process of their own; latency from the emit. It has no database, so its "commit" is the
emit. Both sides alternate in blocks of 500 mentions (3 each, after a warm-up).

The tables split Toonbank's time at the moment \`message.created\` leaves the writer for Redis
and at a Redis subscriber in the benchmark's process (Redis → the socket.io server → the
client). The ramp then repeats with more clients until Toonbank's p99 passes 1 s.`,
  analysis: `
- **The first full run (load average 9 to 11, other benchmark runs on the same 2 cores):**
  p50 13 s and p99 21 s against the floor's 1.7 s and 3.6 s. The split put 11 of Toonbank's
  13 s between a mention's COMMIT and its \`message.created\` leaving for Redis: after the
  commit \`IngestWriter.announce\` read the conversations' views through the pool, which was
  queued behind the writer's backlog (single-mention writes, the webhook case, a dozen
  statements each, offered at 100/s).
- **Fixed: nothing between the commit and the publish.** The writer reads the views inside its
  transaction, after the writes, and publishes right after COMMIT: commit → Redis is now
  0.3 ms at the median (the split table). A backlog now shows as ingest lag before the commit
  (the ingest storm benchmark's subject), not as live latency.
- **Fixed: a routing job a mention.** Each committed mention asked the worker to route the
  organisation: 100 routing jobs a second, each a transaction, on the same 2 cores as the api.
  Route-queue jobs are now deduplicated per organisation (one waiting, one more while one
  runs). In runs of this benchmark alone on a quiet machine, p50 went from 165 ms to 47 ms
  and p99 from 682 ms to 230 ms (the floor: 12 → 5 ms and 41 → 20 ms in the same runs); the
  run of this report, the whole suite's, gave 76 ms and 322 ms.
- **What is left: the api's fan-out while the rest of Toonbank works.** Nearly all of the
  remaining time is between Redis and the client, in the api (the split table), against a
  few milliseconds in the bare server. The broadcast is socket.io's own code in both (the
  adapter decodes the message once, encodes the packet once and writes it to each socket;
  the gateway acts only at the handshake: token, principal, three rooms). The api's CPU profile
  (\`BENCH_PROFILE=1\` also profiles the built api and worker) shows no Toonbank code on that
  path: the largest share is the kernel's \`writev\`, one per socket per event. The
  difference is what shares the 2 cores in Toonbank's blocks and not in the baseline's: the
  writer's 100 transactions a second, PostgreSQL, the worker's SLA timers and routing, and the
  client farm. At 200 clients, 100 mentions a second are 40,000 websocket frames a second
  from one api process. What would divide it: more api processes behind the Redis adapter
  (docker-compose runs two), or one event a mention instead of two (\`message.created\` and
  the conversation's event), which changes API.md's contract.
- **The ramp:** at 400 clients Toonbank's p99 passes 1 s (1.1 s; the floor's is 118 ms), so
  on this machine the client count where it does lies between 200 and 400 at 100 mentions a
  second. Steps between them were not run.`,
  run,
};
