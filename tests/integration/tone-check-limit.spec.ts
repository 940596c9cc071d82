// The tone check's limit (issue 11): 10 a second per user with a burst of 30, a token bucket
// in Redis shared by every api process. Over it: 429 `rate_limited` with `Retry-After`.
import { randomUUID } from 'node:crypto';
import { TokenBuckets, type BucketLimit } from '@toonbank/platform';
import { TONE_CHECK_LIMIT } from '@toonbank/templates';
import type { DataSource } from 'typeorm';
import type { Response } from 'supertest';
import { closeTestDatabase, testDatabase } from '../support/database';
import { newOrganisation, newUser } from '../support/factories';
import { sleep } from '../support/socket-client';
import { bearer, signIn, startTestApp, type TestApp } from '../support/test-app';

describe('the tone check limit', () => {
  let first: TestApp;
  let second: TestApp;
  let db: DataSource;

  beforeAll(async () => {
    db = await testDatabase();
    [first, second] = await Promise.all([startTestApp(), startTestApp()]);
  });
  afterAll(async () => {
    await Promise.all([first.close(), second.close()]);
    await closeTestDatabase();
  });

  const agent = async () => {
    const organisation = await newOrganisation(db);
    return signIn(first, await newUser(db, organisation, { role: 'agent' }));
  };
  const check = (app: TestApp, token: string) =>
    app
      .http()
      .post('/api/tone/check')
      .set(bearer(token))
      .send({ text: 'Goedemiddag, hoe gaat het?' });

  it('lets a burst of 30 through, then answers 429 rate_limited with Retry-After; another user is unaffected; it recovers', async () => {
    expect(TONE_CHECK_LIMIT).toEqual({ perSecond: 10, burst: 30 });
    const token = await agent();
    const started = Date.now();
    const answers: Response[] = [];
    // Batches of 10 at once, spread over two api processes, until the first refusal.
    for (let batch = 0; batch < 30 && !answers.some((r) => r.status === 429); batch++) {
      answers.push(
        ...(await Promise.all(
          Array.from({ length: 10 }, (_, i) => check(i % 2 ? second : first, token)),
        )),
      );
    }
    const elapsedMs = Date.now() - started;
    const passed = answers.filter((r) => r.status === 200).length;
    const refused = answers.filter((r) => r.status !== 200);
    expect(refused.length).toBeGreaterThan(0);
    // The burst, and no more than what refilled meanwhile (one every 100 ms).
    expect(passed).toBeGreaterThanOrEqual(30);
    expect(passed).toBeLessThanOrEqual(30 + Math.ceil(elapsedMs / 100));
    for (const response of refused) {
      expect({ status: response.status, retryAfter: response.headers['retry-after'] }).toEqual({
        status: 429,
        retryAfter: '1',
      });
      expect(response.body).toEqual({
        statusCode: 429,
        code: 'rate_limited',
        message: expect.any(String),
        details: { retryAfterSeconds: 1 },
      });
    }

    // Someone else checks as usual, on either process.
    const colleague = await agent();
    expect((await check(first, colleague)).status).toBe(200);
    expect((await check(second, colleague)).status).toBe(200);

    // A token is back after Retry-After.
    await sleep(Number(refused[0].headers['retry-after']) * 1000);
    expect((await check(first, token)).status).toBe(200);
  });

  describe('TokenBuckets on the real Redis', () => {
    it.each<[string, BucketLimit, number]>([
      ['10/s, burst 30 (the tone check)', { perSecond: 10, burst: 30 }, 100],
      ['1/s, burst 1', { perSecond: 1, burst: 1 }, 1000],
      ['2/s, burst 5', { perSecond: 2, burst: 5 }, 500],
      ['100/s, burst 3', { perSecond: 100, burst: 3 }, 10],
    ])(
      '%s: the burst passes at once, the next waits for one refill',
      async (_what, limit, refillMs) => {
        const buckets = first.app.get(TokenBuckets);
        const name = ['test', randomUUID()];
        // Sent together: Redis runs them one after the other within a few milliseconds.
        const verdicts = await Promise.all(
          Array.from({ length: limit.burst + 1 }, () => buckets.take(name, limit)),
        );
        expect(verdicts.slice(0, limit.burst).every((v) => v.allowed)).toBe(true);
        const last = verdicts[limit.burst];
        expect(last.allowed).toBe(false);
        const wait = last.allowed ? 0 : last.retryAfterMs;
        expect(wait).toBeGreaterThan(0);
        expect(wait).toBeLessThanOrEqual(refillMs);

        await sleep(wait);
        expect(await buckets.take(name, limit)).toEqual({ allowed: true });
      },
    );

    it('buckets are apart: one empty bucket leaves another full', async () => {
      const buckets = first.app.get(TokenBuckets);
      const limit = { perSecond: 1, burst: 1 };
      const [a, b] = [
        ['test', randomUUID()],
        ['test', randomUUID()],
      ];
      expect(await buckets.take(a, limit)).toEqual({ allowed: true });
      expect((await buckets.take(a, limit)).allowed).toBe(false);
      expect(await buckets.take(b, limit)).toEqual({ allowed: true });
    });
  });
});
