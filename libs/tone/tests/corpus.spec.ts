import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHANNEL_LENGTH_RULES, ToneRule, type ChannelProvider } from '@toonbank/shared';
import { checkTone } from '@toonbank/tone';
import { BASE_PROFILES, profile, type ProfileOverrides } from './profile';

/**
 * The labelled corpus: `corpus/*.json`, each `{ base: "nl" | "en", entries: [...] }`. `base`
 * names the profile of `profile.ts` that an entry's `profile` overrides. `length: true`
 * applies the public length rule of the entry's `provider`. `expect` is the set of rule ids
 * the check must report (any severity).
 */
interface CorpusEntry {
  text: string;
  profile?: ProfileOverrides;
  provider?: ChannelProvider;
  private?: boolean;
  customerText?: string;
  length?: boolean;
  expect: string[];
}
interface CorpusFile {
  base: keyof typeof BASE_PROFILES;
  entries: CorpusEntry[];
}

const DIR = join(__dirname, 'corpus');
const cases = readdirSync(DIR)
  .filter((name) => name.endsWith('.json'))
  .sort()
  .flatMap((name) => {
    const file = JSON.parse(readFileSync(join(DIR, name), 'utf8')) as CorpusFile;
    return file.entries.map((entry, i): [string, CorpusFile['base'], CorpusEntry] => [
      `${name}#${i + 1} ${entry.text.replace(/\s+/g, ' ').slice(0, 70)}`,
      file.base,
      entry,
    ]);
  });

const RULES: string[] = Object.values(ToneRule);
const tally = new Map(RULES.map((rule) => [rule, { tp: 0, fp: 0, fn: 0 }]));

describe('tone corpus', () => {
  it('holds at least 300 entries, at least 100 of them clean', () => {
    expect(cases.length).toBeGreaterThanOrEqual(300);
    expect(cases.filter(([, , e]) => e.expect.length === 0).length).toBeGreaterThanOrEqual(100);
  });

  test.each(cases)('%s', (_name, base, entry) => {
    const findings = checkTone({
      text: entry.text,
      profile: profile(entry.profile, BASE_PROFILES[base]),
      provider: entry.provider,
      private: entry.private,
      customerText: entry.customerText,
      length: entry.length && entry.provider ? CHANNEL_LENGTH_RULES[entry.provider].public : null,
    });
    const actual = new Set(findings.map((f) => f.ruleId));
    const expected = new Set(entry.expect);
    for (const rule of RULES) {
      const t = tally.get(rule)!;
      if (actual.has(rule) && expected.has(rule)) t.tp++;
      else if (actual.has(rule)) t.fp++;
      else if (expected.has(rule)) t.fn++;
    }
    expect([...actual].sort()).toEqual([...expected].sort());
  });

  // Precision and recall per rule, on request (TONE_CORPUS_REPORT=1): a table, not a test result.
  afterAll(() => {
    if (!process.env.TONE_CORPUS_REPORT) return;
    const pct = (n: number, d: number) => (d === 0 ? '   -  ' : `${((100 * n) / d).toFixed(1)}%`);
    const rows = RULES.map((rule) => {
      const { tp, fp, fn } = tally.get(rule)!;
      return `${rule.padEnd(26)} ${String(tp + fn).padStart(4)} ${String(tp).padStart(4)} ${String(fp).padStart(4)} ${String(fn).padStart(4)} ${pct(tp, tp + fp).padStart(7)} ${pct(tp, tp + fn).padStart(7)}`;
    });
    const clean = cases.filter(([, , e]) => e.expect.length === 0).length;
    process.stdout.write(
      `${[
        `tone corpus: ${cases.length} entries (${clean} clean, ${cases.length - clean} with findings)`,
        `${'rule'.padEnd(26)} ${'n'.padStart(4)} ${'tp'.padStart(4)} ${'fp'.padStart(4)} ${'fn'.padStart(4)} ${'prec'.padStart(7)} ${'recall'.padStart(7)}`,
        ...rows,
      ].join('\n')}\n`,
    );
  });
});
