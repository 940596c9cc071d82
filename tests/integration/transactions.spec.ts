// inTransaction (libs/platform/src/database/transactions.ts) against a deadlock PostgreSQL
// really detects: two transactions locking two rows in opposite order.
import { Logger } from '@nestjs/common';
import { inTransaction, onTransactionRetry, type TransactionRetryReason } from '@toonbank/platform';
import type { DataSource, EntityManager } from 'typeorm';
import { closeTestDatabase, testDatabase } from '../support/database';
import { newOrganisation, newUser } from '../support/factories';
import { holdTransaction } from '../support/held-transaction';

describe('inTransaction', () => {
  let db: DataSource;
  let retries: TransactionRetryReason[];
  let stopCounting: () => void;
  let warned: jest.SpyInstance;

  beforeAll(async () => {
    db = await testDatabase();
  });
  beforeEach(() => {
    retries = [];
    stopCounting = onTransactionRetry((reason) => retries.push(reason));
    warned = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => {
    stopCounting();
    warned.mockRestore();
  });
  afterAll(() => closeTestDatabase());

  const twoUsers = async () => {
    const organisation = await newOrganisation(db);
    const [first, second] = await Promise.all([
      newUser(db, organisation, { role: 'agent', name: 'First' }),
      newUser(db, organisation, { role: 'agent', name: 'Second' }),
    ]);
    return { first, second };
  };
  const rename = (on: Pick<EntityManager, 'query'>, id: string, name: string) =>
    on.query('UPDATE users SET name = $2 WHERE id = $1', [id, name]);

  /**
   * The work locks `first` and then `second`; the other transaction, `second` and then
   * `first`, once the work waits for it. The work waits first, so PostgreSQL's deadlock
   * check (after deadlock_timeout) runs in its backend and aborts it, on its first attempt.
   */
  const deadlockOnce = async (attempts?: number) => {
    const { first, second } = await twoUsers();
    const other = await holdTransaction(db);
    await rename(other, second.id, 'other: second');
    let runs = 0;
    let otherDone: Promise<void> | undefined;
    const result = inTransaction(
      db,
      async (manager) => {
        runs += 1;
        await rename(manager, first.id, `work ${runs}: first`);
        if (runs === 1) {
          otherDone = (async () => {
            await other.waitForWaiters(1);
            await rename(other, first.id, 'other: first');
            await other.commit();
          })();
        }
        await rename(manager, second.id, `work ${runs}: second`);
        return runs;
      },
      attempts === undefined ? {} : { attempts },
    );
    const settled = await result.then(
      (value) => ({ value, error: undefined }),
      (error: unknown) => ({ value: undefined, error }),
    );
    await otherDone;
    const names = (await db.query('SELECT id, name FROM users WHERE id = ANY($1)', [
      [first.id, second.id],
    ])) as { id: string; name: string }[];
    const nameOf = (id: string) => names.find((row) => row.id === id)?.name;
    return { ...settled, runs, first: nameOf(first.id), second: nameOf(second.id) };
  };

  it('runs a transaction PostgreSQL aborted for a deadlock again, and it succeeds', async () => {
    const outcome = await deadlockOnce();
    expect(outcome.error).toBeUndefined();
    expect(outcome.value).toBe(2);
    expect(retries).toEqual(['deadlock']);
    expect(warned).toHaveBeenCalledWith(
      expect.stringContaining('aborted (deadlock), attempt 1 of 4'),
    );
    // The other transaction went through, and the work's second run after it.
    expect(outcome).toMatchObject({ first: 'work 2: first', second: 'work 2: second' });
  });

  it('without another attempt the deadlock is the caller’s error (what a plain transaction gives)', async () => {
    const outcome = await deadlockOnce(1);
    expect(outcome.error).toMatchObject({ driverError: { code: '40P01' } });
    expect(retries).toEqual([]);
    expect(outcome).toMatchObject({ first: 'other: first', second: 'other: second' });
  });

  it('a serialization failure is run again too', async () => {
    const { first } = await twoUsers();
    let runs = 0;
    const value = await inTransaction(
      db,
      async (manager) => {
        runs += 1;
        await manager.query('SELECT name FROM users WHERE id = $1', [first.id]);
        if (runs === 1) {
          // Someone else changes the row this REPEATABLE READ transaction has seen.
          await db.query('UPDATE users SET name = $2 WHERE id = $1', [first.id, 'changed']);
        }
        await rename(manager, first.id, `run ${runs}`);
        return runs;
      },
      { isolation: 'REPEATABLE READ' },
    );
    expect(value).toBe(2);
    expect(retries).toEqual(['serialization']);
    const [{ name }] = (await db.query('SELECT name FROM users WHERE id = $1', [first.id])) as [
      { name: string },
    ];
    expect(name).toBe('run 2');
  });

  it('any other error is not retried', async () => {
    let runs = 0;
    await expect(
      inTransaction(db, async (manager) => {
        runs += 1;
        await manager.query('SELECT 1 / 0');
      }),
    ).rejects.toMatchObject({ driverError: { code: '22012' } });
    expect(runs).toBe(1);
    expect(retries).toEqual([]);
  });
});
