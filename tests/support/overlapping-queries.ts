/** pg's client class, as far as this file needs it (the repository has no pg typings). */
interface PgClient {
  query(...args: unknown[]): unknown;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Client } = require('pg') as { Client: { prototype: PgClient } };

/**
 * Watches every pg client of this test file for a query sent while the same client still runs
 * another: pg 8 queues it with a deprecation warning, pg 9 refuses it. `overlaps` holds where
 * each one was sent from.
 */
export function watchOverlappingQueries(): { overlaps: string[]; stop(): void } {
  const overlaps: string[] = [];
  const running = new WeakMap<PgClient, number>();
  const original = Client.prototype.query;
  const watched = function (this: PgClient, ...args: unknown[]): unknown {
    const inFlight = running.get(this) ?? 0;
    if (inFlight > 0) overlaps.push(new Error('overlapping query').stack ?? 'overlapping query');
    const result = original.apply(this, args);
    if (result && typeof (result as Promise<unknown>).then === 'function') {
      running.set(this, inFlight + 1);
      const done = () => running.set(this, (running.get(this) ?? 1) - 1);
      (result as Promise<unknown>).then(done, done);
    }
    return result;
  };
  Client.prototype.query = watched;
  return { overlaps, stop: () => void (Client.prototype.query = original) };
}
