import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/**
 * What the README's "Lock order" forbids in production code: a `FOR UPDATE` row lock (it
 * blocks the `FOR KEY SHARE` of every foreign-key check on the row: the hidden lock of the
 * deadlocks of issue 13; `FOR NO KEY UPDATE` is the lock), and a transaction opened without
 * `inTransaction` (which runs it again after a deadlock or a serialization failure).
 */
const FORBIDDEN: readonly { pattern: RegExp; why: string }[] = [
  { pattern: /(?<!\bKEY\s)\bFOR\s+UPDATE\b/i, why: 'FOR UPDATE: lock FOR NO KEY UPDATE' },
  { pattern: /['"]pessimistic_write['"]/, why: "pessimistic_write: use 'for_no_key_update'" },
  { pattern: /\.transaction\s*\(/, why: 'a transaction outside inTransaction' },
];

/** The forbidden lines of a source file, as `line: why`. */
function findingsIn(source: string): string[] {
  return source
    .split('\n')
    .flatMap((text, index) =>
      FORBIDDEN.filter(({ pattern }) => pattern.test(text)).map(
        ({ why }) => `${index + 1}: ${why}`,
      ),
    );
}

function sources(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** The server side's sources (the web app holds no SQL); inTransaction itself may open one. */
function serverSources(): string[] {
  return ['libs', 'apps']
    .flatMap((group) =>
      readdirSync(join(ROOT, group), { withFileTypes: true })
        .filter((entry) => entry.isDirectory() && entry.name !== 'web')
        .map((entry) => join(ROOT, group, entry.name, 'src'))
        .filter((folder) => existsSync(folder)),
    )
    .flatMap(sources)
    .filter((path) => !path.endsWith(join('platform', 'src', 'database', 'transactions.ts')));
}

describe('row locks and transactions follow the lock order (README)', () => {
  it.each([
    ['SELECT id FROM users WHERE id = $1 FOR UPDATE', true],
    ['LIMIT $2 FOR UPDATE SKIP LOCKED`,', true],
    ["  .setLock('pessimistic_write')", true],
    ['    const outcome = await this.db.transaction(async (manager) => {', true],
    ['      .transaction(async (manager) => {', true],
    ['SELECT id FROM users WHERE id = $1 FOR NO KEY UPDATE', false],
    ['ORDER BY id FOR NO KEY UPDATE SKIP LOCKED', false],
    ["  .setLock('for_no_key_update')", false],
    ['    const outcome = await inTransaction(this.db, async (manager) => {', false],
  ])('%s → forbidden: %s', (line, forbidden) => {
    expect(findingsIn(line).length > 0).toBe(forbidden);
  });

  it('no production source locks FOR UPDATE or opens a transaction itself', () => {
    const files = serverSources();
    expect(files.length).toBeGreaterThan(50);
    const findings = files.flatMap((path) =>
      findingsIn(readFileSync(path, 'utf8')).map((f) => `${relative(ROOT, path)}:${f}`),
    );
    expect(findings).toEqual([]);
  });
});
