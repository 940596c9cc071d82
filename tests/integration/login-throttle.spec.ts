import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  API_ATTEMPT_LIMITS,
  ApiError,
  AttemptThrottle,
  REDIS,
  RedisConnections,
} from '@toonbank/platform';
import type { Redis } from 'ioredis';
import { newOrganisation, newUser, TEST_PASSWORD } from '../support/factories';
import { useTestApp } from '../support/suite';

/**
 * API.md: only failed logins are throttled — 5 failures in 15 minutes lock that account for
 * 15 minutes, 30 failures a minute per address. This suite has Redis keys of its own and
 * trusts one proxy hop, so that each case can come from an address of its own.
 */
describe('login throttling', () => {
  const suite = useTestApp({ redis: 'throttle', env: { TRUST_PROXY_HOPS: '1' } });

  const ADDRESS_LIMIT = API_ATTEMPT_LIMITS.addressFailures;
  const newAddress = () =>
    `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
  const attempt = (email: string, password: string, address: string) =>
    suite.app
      .http()
      .post('/api/auth/login')
      .set('X-Forwarded-For', address)
      .send({ email, password });

  it('locks an account after 5 failures, with a clear 429 and Retry-After, even for the right password', async () => {
    const organisation = await newOrganisation(suite.db);
    const agent = await newUser(suite.db, organisation);
    const address = newAddress();
    for (let i = 0; i < 5; i += 1) {
      expect((await attempt(agent.email, 'wrong-password', address)).status).toBe(401);
    }
    const locked = await attempt(agent.email, TEST_PASSWORD, newAddress());
    expect(locked.status).toBe(429);
    expect(locked.body).toEqual({
      statusCode: 429,
      code: 'rate_limited',
      message: expect.stringContaining('account'),
      details: { retryAfterSeconds: expect.any(Number) },
    });
    expect(locked.body.details.retryAfterSeconds).toBeGreaterThan(14 * 60);
    expect(Number(locked.headers['retry-after'])).toBe(locked.body.details.retryAfterSeconds);

    // Another account is not affected.
    const colleague = await newUser(suite.db, organisation);
    expect((await attempt(colleague.email, TEST_PASSWORD, address)).status).toBe(200);
  });

  it('counts an unknown e-mail like any other account (no hint that it does not exist)', async () => {
    const email = `ghost-${randomUUID()}@nowhere.test`;
    for (let i = 0; i < 5; i += 1)
      expect((await attempt(email, 'guess', newAddress())).status).toBe(401);
    expect((await attempt(email, 'guess', newAddress())).status).toBe(429);
  });

  it('never throttles successful logins, and a success clears the failures', async () => {
    const organisation = await newOrganisation(suite.db);
    const agent = await newUser(suite.db, organisation);
    const address = newAddress();
    for (let i = 0; i < 4; i += 1)
      expect((await attempt(agent.email, 'wrong-password', address)).status).toBe(401);
    expect((await attempt(agent.email, TEST_PASSWORD, address)).status).toBe(200);
    for (let i = 0; i < 4; i += 1)
      expect((await attempt(agent.email, 'wrong-password', address)).status).toBe(401);
    for (let i = 0; i < 12; i += 1)
      expect((await attempt(agent.email, TEST_PASSWORD, address)).status).toBe(200);
  });

  it('refuses an address after 30 failures a minute, whatever the account', async () => {
    const organisation = await newOrganisation(suite.db);
    const address = newAddress();
    // Spread over many unknown accounts so that no single account lock interferes.
    for (let i = 0; i < 30; i += 1) {
      expect((await attempt(`nobody-${i}-${randomUUID()}@x.test`, 'guess', address)).status).toBe(
        401,
      );
    }
    const agent = await newUser(suite.db, organisation);
    const refused = await attempt(agent.email, 'wrong-password', address);
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('rate_limited');
    expect(refused.body.message).toContain('address');
    // The same account from another address is fine.
    expect((await attempt(agent.email, TEST_PASSWORD, newAddress())).status).toBe(200);
    // 32 argon2 verifications: seconds on a busy 2-core machine, beyond the default timeout.
  }, 120_000);

  it('counts failures regardless of successes: good logins between guesses buy no 31st guess', async () => {
    const organisation = await newOrganisation(suite.db);
    const own = await newUser(suite.db, organisation);
    const address = newAddress();
    for (let i = 0; i < 30; i += 1) {
      expect((await attempt(own.email, TEST_PASSWORD, address)).status).toBe(200);
      const guess = await attempt(`nobody-${i}-${randomUUID()}@x.test`, 'guess', address);
      expect(guess.status).toBe(401);
    }
    const refused = await attempt(`nobody-${randomUUID()}@x.test`, 'guess', address);
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({
      code: 'rate_limited',
      message: expect.stringContaining('address'),
    });
    // 60 argon2 verifications.
  }, 180_000);

  /**
   * A success takes back only its own attempt. Before, it decremented the address's counter,
   * whichever window that counter belonged to: a success reserved at the end of one window
   * and finished in the next erased one of the next window's failures.
   */
  it('a success that finishes in a later window erases none of its failures', async () => {
    const window = 2;
    const throttle = new AttemptThrottle(
      suite.app.app.get<Redis>(REDIS),
      suite.app.app.get(RedisConnections),
      {
        ...API_ATTEMPT_LIMITS,
        addressWindowSeconds: window,
      },
    );
    const address = newAddress();
    const good = await throttle.reserve(`login:good-${randomUUID()}`, address);
    await sleep(window * 1000 + 200); // the good attempt is now of an earlier window
    const guess = () => throttle.reserve(`login:nobody-${randomUUID()}`, address);
    for (let i = 0; i < ADDRESS_LIMIT; i += 1) await guess();
    await throttle.succeeded(good);
    const refused = await guess().then(
      () => null,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({ statusCode: 429, code: 'rate_limited' });
  });
});
