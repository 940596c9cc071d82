// The soak (issue 13, item 3): fifty people at work on the built api and worker at once
// (agents, communications officers and trained employees claiming, replying and closing; team
// leads approving, assigning and closing in bulk; an admin changing the maturity level and
// deactivating and reactivating people) while mentions arrive through a polled Mastodon
// channel. What must hold: no answer is a 5xx, and every routing invariant is still 0.
import { MastodonPeer } from '@toonbank/channels/testing';
import type { UserEntity } from '@toonbank/database';
import type { Role } from '@toonbank/shared';
import { Pool } from 'undici';
import { builtAccessToken, startBuiltStack, type BuiltStack } from '../../support/built-stack';
import { newOrganisation, newTemplate, newUser } from '../../support/factories';
import { sleep } from '../../support/socket-client';
import type { Benchmark, BenchContext, BenchResult, Check } from '../harness';
import {
  countOf,
  overCapacityThroughRouting,
  statusAssigneeMismatches,
  workOfTheIneligible,
} from '../invariants';
import { distribution, distributionTable, percentile } from '../measure';

/** Who works in the soak: fifty people. */
const STAFF: readonly (readonly [Role, number])[] = [
  ['admin', 1],
  ['team_lead', 4],
  ['agent', 30],
  ['communications', 10],
  ['employee', 5],
];
const TOKEN = 'soak-token';
const CAPACITY = 6;

interface Sizes {
  seconds: number;
  /** Each person's pause between two actions: uniform between 0 and twice this. */
  thinkMs: number;
  /** A customer mentions the organisation this often. */
  mentionEveryMs: number;
}

interface Person {
  user: UserEntity;
  token: string;
}

/** One HTTP answer: its status and parsed body (null when not JSON). */
interface Answer {
  status: number;
  body: unknown;
}

/** Every answer of the soak, by route template and status, with the 5xx kept for the report. */
class Tally {
  readonly byRoute = new Map<string, Map<number, number>>();
  readonly serverErrors: string[] = [];
  readonly latencies: number[] = [];
  actions = 0;

  record(route: string, status: number, ms: number, detail: string): void {
    const statuses = this.byRoute.get(route) ?? new Map<number, number>();
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    this.byRoute.set(route, statuses);
    this.latencies.push(ms);
    if (status >= 500 || status === 0) this.serverErrors.push(`${route} → ${status} ${detail}`);
  }

  count(predicate: (status: number) => boolean): number {
    let n = 0;
    for (const statuses of this.byRoute.values())
      for (const [status, times] of statuses) if (predicate(status)) n += times;
    return n;
  }

  table(): string {
    const rows = [...this.byRoute.entries()].sort(([a], [b]) => a.localeCompare(b));
    return [
      '| request | answers by status |',
      '|---|---|',
      ...rows.map(
        ([route, statuses]) =>
          `| \`${route}\` | ${[...statuses.entries()]
            .sort(([a], [b]) => a - b)
            .map(([status, n]) => `${status}: ${n}`)
            .join(', ')} |`,
      ),
    ].join('\n');
  }
}

/** The simulated people's client: kept-alive connections to the built api, every answer tallied. */
class SoakClient {
  private readonly pool: Pool;

  constructor(
    url: string,
    readonly tally: Tally,
  ) {
    // A connection per person, as each has a browser of their own.
    this.pool = new Pool(url, { connections: STAFF.reduce((n, [, count]) => n + count, 0) });
  }

  /** `route` names the request in the tally (the path with its ids as `:id`). */
  async call(
    person: Person,
    method: 'GET' | 'POST' | 'PUT' | 'PATCH',
    path: string,
    route: string,
    body?: unknown,
  ): Promise<Answer> {
    const start = process.hrtime.bigint();
    try {
      const response = await this.pool.request({
        method,
        path,
        headers: {
          authorization: `Bearer ${person.token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.body.text();
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      this.tally.record(`${method} ${route}`, response.statusCode, ms, text.slice(0, 300));
      // A deactivation ended the session: sign in again (refused while still inactive).
      if (response.statusCode === 401) person.token = await builtAccessToken(person.user, 'soak');
      return { status: response.statusCode, body: parse(text) };
    } catch (error) {
      // A connection reset or refused is as bad as a 5xx.
      this.tally.record(`${method} ${route}`, 0, 0, String(error));
      return { status: 0, body: null };
    }
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

const parse = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
};
const pick = <T>(items: readonly T[]): T | undefined =>
  items.length === 0 ? undefined : items[Math.floor(Math.random() * items.length)];
const itemsOf = (answer: Answer): { id: string }[] =>
  answer.status === 200 ? ((answer.body as { items?: { id: string }[] }).items ?? []) : [];

/** What the people do, by role; each action one or a few requests. */
function actionsFor(
  client: SoakClient,
  staff: readonly Person[],
  templateId: string,
): Record<'responder' | 'lead' | 'admin', ((person: Person) => Promise<void>)[]> {
  const call = client.call.bind(client);
  const list = (person: Person, query: string) =>
    call(person, 'GET', `/api/conversations?${query}`, `/api/conversations?${query}`);
  const mine = (person: Person) => list(person, 'assignee=me&status=assigned,waiting&limit=10');
  const responders = staff.filter((p) => !['admin', 'team_lead'].includes(p.user.role));
  const deactivated = new Set<string>();

  const claim = async (person: Person) => {
    const target = pick(itemsOf(await list(person, 'status=unassigned&sort=sla&limit=10')));
    if (target)
      await call(
        person,
        'POST',
        `/api/conversations/${target.id}/claim`,
        '/api/conversations/:id/claim',
      );
  };
  const reply = async (person: Person) => {
    const target = pick(itemsOf(await mine(person)));
    if (target)
      await call(
        person,
        'POST',
        `/api/conversations/${target.id}/replies`,
        '/api/conversations/:id/replies',
        {
          templateId,
        },
      );
  };
  const close = async (person: Person) => {
    const target = pick(itemsOf(await mine(person)));
    if (target)
      await call(
        person,
        'POST',
        `/api/conversations/${target.id}/close`,
        '/api/conversations/:id/close',
      );
  };
  const approve = async (person: Person) => {
    const pending = itemsOf(
      await call(
        person,
        'GET',
        '/api/replies?status=pending_approval',
        '/api/replies?status=pending_approval',
      ),
    );
    const target = pick(pending);
    if (!target) return;
    // Now and then twice at once, as a double click: one 200, one 409.
    const times = Math.random() < 0.3 ? 2 : 1;
    await Promise.all(
      Array.from({ length: times }, () =>
        call(person, 'POST', `/api/replies/${target.id}/approve`, '/api/replies/:id/approve'),
      ),
    );
  };
  const assign = async (person: Person) => {
    const target = pick(itemsOf(await list(person, 'status=unassigned&limit=10')));
    const to = pick(
      itemsOf(await call(person, 'GET', '/api/users/eligible', '/api/users/eligible')),
    );
    if (target && to)
      await call(
        person,
        'POST',
        `/api/conversations/${target.id}/assign`,
        '/api/conversations/:id/assign',
        {
          userId: to.id,
        },
      );
  };
  const bulkClose = async (person: Person) => {
    const open = itemsOf(await list(person, 'status=assigned,waiting&limit=20'));
    const ids = open.filter(() => Math.random() < 0.25).map((c) => c.id);
    if (ids.length > 0)
      await call(person, 'POST', '/api/conversations/bulk', '/api/conversations/bulk', {
        ids,
        action: 'close',
      });
  };
  const changeMaturity = async (person: Person) => {
    const level = pick([1, 2, 3]);
    await call(person, 'PUT', '/api/org/maturity', '/api/org/maturity', {
      level,
      reason: `soak: level ${level}`,
    });
  };
  const deactivateOrReactivate = async (person: Person) => {
    const back = pick([...deactivated]);
    if (back && (deactivated.size >= 3 || Math.random() < 0.5)) {
      deactivated.delete(back);
      await call(person, 'PATCH', `/api/users/${back}`, '/api/users/:id', { active: true });
      return;
    }
    const target = pick(responders.filter((p) => !deactivated.has(p.user.id)));
    if (!target) return;
    deactivated.add(target.user.id);
    await call(person, 'PATCH', `/api/users/${target.user.id}`, '/api/users/:id', {
      active: false,
    });
  };
  return {
    responder: [claim, claim, reply, reply, reply, close],
    lead: [approve, approve, assign, bulkClose],
    admin: [changeMaturity, deactivateOrReactivate, deactivateOrReactivate],
  };
}

async function setUp(db: BenchContext['db']) {
  const organisation = await newOrganisation(db, {
    maturityLevel: 2,
    routingStrategy: 'least_loaded',
  });
  const users: UserEntity[] = [];
  for (const [role, count] of STAFF) {
    for (let i = 0; i < count; i += 1) {
      users.push(
        await newUser(db, organisation, {
          role,
          trained: role === 'employee',
          capacity: CAPACITY,
          name: `${role} ${i + 1}`,
        }),
      );
    }
  }
  const template = await newTemplate(db, organisation, { providers: ['mastodon'] });
  const staff: Person[] = [];
  for (const user of users) staff.push({ user, token: await builtAccessToken(user, 'soak') });
  const admin = staff.find((p) => p.user.role === 'admin') as Person;
  return { organisation, staff, admin, templateId: template.id };
}

async function run({ size, db, log }: BenchContext): Promise<BenchResult> {
  const sizes: Sizes = {
    seconds: size(300, 30),
    thinkMs: size(2_000, 3_000),
    mentionEveryMs: size(250, 500),
  };
  // The instance's own rate limit is not what this measures: high enough never to pause polls.
  const peer = await new MastodonPeer({
    accessToken: TOKEN,
    rateLimit: 1_000_000,
    pageSize: 80,
  }).start();
  let stack: BuiltStack | undefined;
  const tally = new Tally();
  let client: SoakClient | undefined;
  try {
    stack = await startBuiltStack('soak', {
      NODE_ENV: 'test',
      CHANNEL_ALLOW_INSECURE_URLS: 'true',
      LOG_LEVEL: 'warn',
      SWEEP_INTERVAL_SECONDS: '15',
    });
    client = new SoakClient(stack.url, tally);
    const world = await setUp(db);
    const connected = await client.call(world.admin, 'POST', '/api/channels', '/api/channels', {
      provider: 'mastodon',
      name: 'Soak',
      pollIntervalSeconds: 10,
      config: { instanceUrl: peer.url, accessToken: TOKEN },
    });
    if (connected.status !== 201) throw new Error(`connect: ${JSON.stringify(connected.body)}`);
    const channelId = (connected.body as { id: string }).id;
    // The first poll takes the newest page only (API.md): mentions start once it has run.
    for (let waited = 0; ; waited += 100) {
      const [row] = (await db.query('SELECT cursor FROM channel_accounts WHERE id = $1', [
        channelId,
      ])) as [{ cursor: unknown }];
      if (row.cursor) break;
      if (waited > 30_000) throw new Error('the first poll did not happen');
      await sleep(100);
    }
    const actions = actionsFor(client, world.staff, world.templateId);

    log(
      `${world.staff.length} people for ${sizes.seconds} s, mentions every ${sizes.mentionEveryMs} ms`,
    );
    const deadline = Date.now() + sizes.seconds * 1000;
    let mentions = 0;
    const mentioning = (async () => {
      while (Date.now() < deadline) {
        peer.mention({
          acct: `klant${Math.floor(Math.random() * 150)}@soak.example`,
          text: `Storing ${mentions}: mijn stroom is uitgevallen`,
        });
        mentions += 1;
        await sleep(sizes.mentionEveryMs);
      }
    })();
    const working = world.staff.map(async (person) => {
      const kind =
        person.user.role === 'admin'
          ? 'admin'
          : person.user.role === 'team_lead'
            ? 'lead'
            : 'responder';
      // The admin acts twice as often: the level and the deactivations are the rare storms.
      const pause = kind === 'admin' ? sizes.thinkMs / 2 : sizes.thinkMs;
      while (Date.now() < deadline) {
        await sleep(Math.random() * 2 * pause);
        if (Date.now() >= deadline) break;
        await (pick(actions[kind]) as (person: Person) => Promise<void>)(person);
        tally.actions += 1;
      }
    });
    // The floor: the same api's liveness answer, under the same load, a few times a second.
    const health: number[] = [];
    const prober = new Pool(stack.url, { connections: 1 });
    const probing = (async () => {
      while (Date.now() < deadline) {
        const start = process.hrtime.bigint();
        const answer = await prober.request({ method: 'GET', path: '/api/health/live' });
        await answer.body.dump();
        health.push(Number(process.hrtime.bigint() - start) / 1e6);
        await sleep(200);
      }
      await prober.close();
    })();
    await Promise.all([mentioning, probing, ...working]);

    // Every mention stored: the next polls bring the rest in (the invariant of ingest).
    const stored = () =>
      countOf(
        db,
        `SELECT count(*)::int AS n FROM messages WHERE channel_account_id = $1 AND direction = 'inbound'`,
        [channelId],
      );
    for (let waited = 0; (await stored()) < mentions && waited < 60_000; waited += 500)
      await sleep(500);
    const retries = await transactionRetries(stack.url);
    const ineligible = await workOfTheIneligible(db, world.organisation.id);
    const serverErrors = tally.count((status) => status >= 500 || status === 0);
    const checks: Check[] = [
      { what: 'answers 5xx or reset', value: serverErrors, expected: 0 },
      {
        what: 'open conversations held by someone who may not respond',
        value: ineligible.conversations,
        expected: 0,
      },
      {
        what: 'replies awaiting approval by someone who may not respond',
        value: ineligible.replies,
        expected: 0,
      },
      {
        what: 'conversations whose status and assignee disagree',
        value: await statusAssigneeMismatches(db, world.organisation.id),
        expected: 0,
      },
      {
        what: 'people over capacity through routing',
        value: await overCapacityThroughRouting(db, world.organisation.id),
        expected: 0,
      },
      { what: 'mentions not stored', value: mentions - (await stored()), expected: 0 },
    ];
    const seconds = sizes.seconds;
    // What they would do with instant answers (each pauses thinkMs on average, the admin half).
    const offered = ((world.staff.length + 1) * 1000) / sizes.thinkMs;
    return {
      measurements: [
        {
          what: `actions/s, ${world.staff.length} people (baseline: what they ask with instant answers)`,
          unit: '/s',
          toonbank: tally.actions / seconds,
          baseline: offered,
        },
        {
          what: 'p99 of a request under the soak (baseline: /api/health/live, same stack)',
          unit: 'ms',
          toonbank: percentile(tally.latencies, 99),
          baseline: percentile(health, 99),
        },
      ],
      checks,
      details: [
        `${world.staff.length} people (${STAFF.map(([role, n]) => `${n} ${role}`).join(', ')}), ` +
          `capacity ${CAPACITY} each, for ${seconds} s with a pause of 0–${(2 * sizes.thinkMs) / 1000} s ` +
          `between actions; ${mentions} mentions through a Mastodon channel polled every 10 s; ` +
          `${tally.actions} actions, ${tally.latencies.length} requests. Transactions the api ` +
          `ran again after PostgreSQL aborted them (\`toonbank_transaction_retries_total\`): ` +
          `${retries}.`,
        distributionTable([['every request of the soak', distribution(tally.latencies)]]),
        tally.table(),
        ...(tally.serverErrors.length > 0
          ? ['The 5xx answers:', '```', ...tally.serverErrors.slice(0, 20), '```']
          : []),
      ],
    };
  } finally {
    await client?.close();
    await stack?.stop();
    await peer.close();
  }
}

/** The api's `toonbank_transaction_retries_total`, all reasons (its /metrics, from loopback). */
async function transactionRetries(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('toonbank_transaction_retries_total{'))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

export const soak: Benchmark = {
  id: 'soak',
  title: 'soak: fifty people at once',
  needsBuild: true,
  description: `
Fifty people work on the built api and worker at once (issue 13): 30 agents, 10 communications
officers and 5 trained employees claim, reply from a template and close; 4 team leads approve
(now and then twice at once), assign and close in bulk; an admin changes the maturity level and
deactivates and reactivates people. Meanwhile customers mention the organisation on a Mastodon
channel the worker polls. What must hold is functional: no answer is a 5xx (or a reset
connection), nobody holds a conversation or a pending reply they may not respond to, no
conversation's status and assignee disagree, routing gives nobody more than their capacity,
and every mention is stored. \`npm test\` runs it for 30 seconds (bench-smoke).`,
  run,
};
