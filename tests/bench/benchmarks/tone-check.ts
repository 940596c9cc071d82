// Tone check (issue 7): one 280-character Dutch reply, checked in process and over HTTP.
import { ToneProfileEntity } from '@toonbank/database';
import { channelLengthRule, type ToneFindingDto, type ToneProfileDto } from '@toonbank/shared';
import { DEFAULT_TONE_PROFILE, TONE_CHECK_LIMIT, toneProfileColumns } from '@toonbank/templates';
import { checkTone, type ToneCheckInput } from '@toonbank/tone';
import { newOrganisation, newUser } from '../../support/factories';
import { signIn, startTestApp } from '../../support/test-app';
import type { Benchmark, BenchContext, BenchResult } from '../harness';
import {
  alternate,
  concurrently,
  distribution,
  distributionTable,
  HttpLoad,
  msSince,
  timed,
} from '../measure';

/**
 * A webcare reply as an agent types it during a power cut: 280 characters, informal where
 * the profile wants formal ("je", "jouw"), two exclamation marks, a forbidden phrase, a
 * shouted word, the sign-off.
 */
export const REPLY =
  'Hoi Sanne, excuses voor het ongemak!! Er is een storing in jouw wijk in Utrecht-Oost. ' +
  'Onze monteurs zijn ter plaatse en verwachten dat de stroom rond 14:30 terug is. Kun je ons ' +
  'een DM sturen met je klantnummer? Dan houden we je PERSOONLIJK op de hoogte van het herstel. ' +
  'Groet, ^AB';

/** An organisation's profile as an admin would set it: formal Dutch and two forbidden phrases. */
export const PROFILE: ToneProfileDto = {
  ...structuredClone(DEFAULT_TONE_PROFILE),
  forbiddenPhrases: [
    { phrase: 'excuses voor het ongemak', suggestion: 'Wat vervelend voor u' },
    { phrase: 'helaas kunnen wij', suggestion: 'Wij kunnen nog niet' },
  ],
};

export const TONE_INPUT: ToneCheckInput = {
  text: REPLY,
  profile: PROFILE,
  provider: 'x',
  length: channelLengthRule('x', false),
  private: false,
  customerText: null,
  locale: 'nl',
};

/** The physical floor: one regular-expression pass over the same 280 characters. */
const FLOOR = /\b(?:je|jij|jou|jouw|u|uw)\b|!{2,}|\p{Lu}{4,}|excuses voor het ongemak/giu;
const floorScan = (text: string) => {
  let count = 0;
  for (const _ of text.matchAll(FLOOR)) count += 1;
  return count;
};

/** Runs `fn` n times in a row and returns each call's time. */
const loop = (n: number, fn: () => unknown) => () => {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = process.hrtime.bigint();
    fn();
    samples.push(msSince(start));
  }
  return samples;
};

async function run({ size, db, log }: BenchContext): Promise<BenchResult> {
  const findings: ToneFindingDto[] = checkTone(TONE_INPUT);
  if (REPLY.length !== 280) throw new Error(`the reply is ${REPLY.length} characters, not 280`);
  if (floorScan(REPLY) === 0) throw new Error('the floor scan found nothing');

  // In process: 10,000 of each after a warm-up, in alternating blocks of 500.
  const iterations = size(10_000, 200);
  const block = size(500, 50);
  loop(size(2_000, 50), () => checkTone(TONE_INPUT))();
  loop(size(2_000, 50), () => floorScan(REPLY))();
  log(`in process: ${iterations} checks and as many regex scans`);
  const inProcess = await alternate(iterations / block, {
    toonbank: loop(block, () => checkTone(TONE_INPUT)),
    baseline: loop(block, () => floorScan(REPLY)),
  });
  // The CPU time of each check (this process's, any thread): what is left of the wall-clock
  // tail once the time spent waiting for a core on a busy machine is taken out.
  const cpu: number[] = [];
  for (let i = 0; i < size(2_000, 20); i++) {
    const before = process.cpuUsage();
    checkTone(TONE_INPUT);
    const used = process.cpuUsage(before);
    cpu.push((used.user + used.system) / 1000);
  }

  // Over HTTP on the in-process API: POST /api/tone/check beside GET /api/me.
  const app = await startTestApp({ DATABASE_POOL_SIZE: '10' });
  const http = {
    sequential: {} as Record<string, number[]>,
    concurrent: {} as Record<string, number[]>,
  };
  const requests = size(2_000, 40);
  const httpBlock = size(100, 10);
  const warmUps = size(200, 5);
  try {
    const organisation = await newOrganisation(db);
    await db
      .getRepository(ToneProfileEntity)
      .upsert(toneProfileColumns(organisation.id, PROFILE), ['organisationId']);
    // The tone check allows a user a burst of 30 (then 10 a second): the requests take turns
    // over enough agents that none makes more than the burst, however fast they go.
    const agents = Math.ceil((1 + warmUps + 2 * requests) / TONE_CHECK_LIMIT.burst);
    const tokens = await Promise.all(
      Array.from({ length: agents }, async () =>
        signIn(app, await newUser(db, organisation, { role: 'agent' })),
      ),
    );
    log(`HTTP: the requests take turns over ${agents} agents`);
    const turns = { tone: 0, me: 0 };
    const as = (endpoint: keyof typeof turns) => ({
      authorization: `Bearer ${tokens[turns[endpoint]++ % tokens.length]}`,
    });
    const client = new HttpLoad(app.url, {}, 8);
    try {
      const tone = () =>
        client.send('POST', '/api/tone/check', { text: REPLY, provider: 'x' }, as('tone'));
      const me = () => client.send('GET', '/api/me', undefined, as('me'));
      const answer = JSON.parse(await tone()) as { findings: ToneFindingDto[] };
      if (answer.findings.length !== findings.length) {
        throw new Error(
          `the API found ${answer.findings.length} findings, checkTone ${findings.length}`,
        );
      }
      for (let i = 0; i < warmUps; i++) await Promise.all([tone(), me()]); // warm-up
      const sequentially = (fn: () => Promise<unknown>) => async () => {
        const samples: number[] = [];
        for (let i = 0; i < httpBlock; i++) samples.push(await timed(fn));
        return samples;
      };
      log(`HTTP: ${requests} requests of each, one at a time`);
      http.sequential = await alternate(requests / httpBlock, {
        toonbank: sequentially(tone),
        baseline: sequentially(me),
      });
      log(`HTTP: ${requests} requests of each, 8 at a time`);
      http.concurrent = await alternate(requests / httpBlock, {
        toonbank: () => concurrently(8, httpBlock, tone),
        baseline: () => concurrently(8, httpBlock, me),
      });
    } finally {
      await client.close();
    }
  } finally {
    await app.close();
  }

  const c = distribution(cpu);
  const t = distribution(inProcess.toonbank);
  const b = distribution(inProcess.baseline);
  const seq = {
    t: distribution(http.sequential.toonbank),
    b: distribution(http.sequential.baseline),
  };
  const conc = {
    t: distribution(http.concurrent.toonbank),
    b: distribution(http.concurrent.baseline),
  };
  const table = distributionTable([
    ['checkTone', t],
    ['checkTone, CPU time of this process', c],
    ['regex scan (baseline)', b],
    ['POST /api/tone/check, one at a time', seq.t],
    ['GET /api/me (baseline), one at a time', seq.b],
    ['POST /api/tone/check, 8 at a time', conc.t],
    ['GET /api/me (baseline), 8 at a time', conc.b],
  ]);
  return {
    measurements: [
      { what: 'p50, in process', unit: 'ms', toonbank: t.p50, baseline: b.p50 },
      {
        what: 'p99, in process',
        unit: 'ms',
        toonbank: t.p99,
        baseline: b.p99,
        target: { op: '<=', value: 2 },
      },
      {
        what: 'HTTP p99, one at a time',
        unit: 'ms',
        toonbank: seq.t.p99,
        baseline: seq.b.p99,
        target: { op: '<=', value: 15 },
      },
      {
        what: 'HTTP p99, 8 at a time',
        unit: 'ms',
        toonbank: conc.t.p99,
        baseline: conc.b.p99,
        target: { op: '<=', value: 15 },
      },
    ],
    details: [
      `The reply (${REPLY.length} characters, provider x, the organisation's profile: formal Dutch, ` +
        `two forbidden phrases, sign-off required): "${REPLY}". Findings: ` +
        findings.map((f) => `\`${f.ruleId}\``).join(', ') +
        '.',
      table,
    ],
  };
}

export const toneCheck: Benchmark = {
  id: 'tone-check',
  title: 'tone check',
  description: `
\`checkTone\` (libs/tone) on one 280-character Dutch reply with findings, in process: 10,000
checks after a warm-up of 2,000, against the physical floor of one regular-expression pass over
the same text (the words of address, exclamation marks, shouting and the forbidden phrase).
Then over HTTP on the real API (in process, kept-alive connections, the client in the same
process): \`POST /api/tone/check\` against a trivial authenticated endpoint on the same server,
\`GET /api/me\` (the same guard, principal query and serialisation, no tone check), 2,000
requests of each one at a time and 2,000 of each 8 at a time, in alternating blocks of 100.
The requests take turns over 141 agents of one organisation, none making more than 30: the
tone check allows a user a burst of 30, then 10 a second (its Redis token bucket is part of
what is measured).`,
  analysis: `
- **Fixed: folding for the forbidden phrases.** A CPU profile of 10,000 checks (\`BENCH_PROFILE\`,
  or \`node --cpu-prof\` on the built lib) put 39% of the time in \`foldCodePoint\`
  (libs/tone/src/phrases.ts): a Unicode NFD normalisation and two regular-expression
  replacements for every code point of the text, ASCII included. ASCII now takes a fast path
  (only its case folds); libs/tone/tests/phrases.spec.ts checks that the fold and the offsets are
  unchanged. The median check time about halved (≈0.33 → ≈0.18 ms in plain Node on this
  machine; the figures above are measured inside Jest's module sandbox, where the same code
  runs somewhat slower and noisier).
- **What is left in process:** tokenising and the style rules (caps, exclamations), the phone
  number matcher (libphonenumber-js), twitter-text's weighted length, and garbage collection
  (≈10%). The wall-clock p99 on a busy 2-core machine is mostly time spent waiting for a core:
  compare the CPU-time row of the table with the wall-clock rows, and the baseline's own p99
  against its p50. A 5 µs regex scan is rarely preempted; a 0.2 ms check is preempted about
  forty times as often.
- **Over HTTP** the check costs one statement more than \`GET /api/me\` (the organisation's tone
  profile, read on every request, beside the guard's principal query), the body's validation
  and \`checkTone\`; both endpoints' tails are the machine's (the client, the API and
  PostgreSQL share 2 cores with whatever else runs). Not done: caching the profile per
  organisation would save that statement, but needs invalidation across api replicas (a Redis
  message on \`PUT /api/tone/profile\`); worth it only if this endpoint's p99 matters on real
  hardware. On a quiet machine one at a time meets the target, narrowly (14.8 ms against
  the baseline's 10.8 ms); at load 6 it did not (23 ms against 15).
- **8 at a time** the target is out of reach for the baseline too: one Node process serves
  the requests one after the other, so with 8 in flight each waits for the ones ahead of it
  (the p50 is about 8 times the one-at-a-time p50, for both endpoints). More concurrency needs
  more api processes (docker-compose runs two), not a faster handler.`,
  run,
};
