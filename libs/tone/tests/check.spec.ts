import { CHANNEL_LENGTH_RULES, ToneRule, type ToneFindingDto } from '@toonbank/shared';
import { checkTone } from '@toonbank/tone';
import { EN_PROFILE, found, NL_PROFILE, profile, type Found } from './profile';

const WARNINGS_AND_ERRORS = new Set<string>(Object.values(ToneRule));

describe('checkTone', () => {
  // The examples of SPEC.md §5 and the brief, end to end.
  const rows: [string, Found[]][] = [
    ['Kunt u je klantnummer sturen? ^AB', [['address.mixed', 'je']]],
    [
      'Helaas!! Bel 06-12345678 😀 WE HELPEN je graag',
      [
        ['phrase.forbidden', 'Helaas'],
        ['punctuation.exclamations', '!'],
        ['pii.exposed', '06-12345678'],
        ['emoji.not_allowed', '😀'],
        ['caps.shouting', 'WE HELPEN'],
        ['address.wrong_form', 'je'],
        ['signoff.missing', 'graag'],
      ],
    ],
    ['Dank voor uw geduld, J.U. de Vries. Uw IBAN graag via DM. ^AB', []],
    ['Wíj bellen u morgen. ^AB', [['phrase.forbidden', 'Wíj']]],
  ];
  it.each(rows)('%j', (text, expected) => {
    expect(found(text)).toEqual(expected);
  });

  it('orders findings by start and reports only the SPEC rules as errors or warnings', () => {
    const text = 'HELAAS!! Kun je mailen naar info@bank.nl 😀';
    const findings = checkTone({ text, profile: NL_PROFILE, customerText: 'Kunt u helpen?' });
    const starts = findings.map((f) => f.start);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    for (const f of findings) {
      if (f.severity !== 'info') expect(WARNINGS_AND_ERRORS.has(f.ruleId)).toBe(true);
      expect(f.end).toBeGreaterThanOrEqual(f.start);
      expect(f.message.length).toBeGreaterThan(0);
    }
    const severities = Object.fromEntries(findings.map((f) => [f.ruleId, f.severity]));
    expect(severities).toEqual({
      'caps.shouting': 'warning',
      'phrase.forbidden': 'error',
      'punctuation.exclamations': 'warning',
      'address.wrong_form': 'error',
      'address.customer_form': 'info',
      'pii.exposed': 'error',
      'emoji.not_allowed': 'warning',
      'signoff.missing': 'warning',
    });
  });

  it('writes messages in the locale, else the profile language', () => {
    const text = 'Kun je ons een DM sturen? ^AB';
    const nl = checkTone({ text, profile: NL_PROFILE })[0];
    const en = checkTone({ text, profile: NL_PROFILE, locale: 'en' })[0];
    expect(nl).toMatchObject({
      message: "Gebruik 'Kunt u' in plaats van 'Kun je' op dit kanaal",
      suggestion: 'Kunt u',
    });
    expect(en).toMatchObject({
      message: "Use 'Kunt u' instead of 'Kun je' on this channel",
      suggestion: 'Kunt u',
    });
    const english = checkTone({ text: 'Call 06-12345678 - Sam', profile: EN_PROFILE })[0];
    expect(english.message).toMatch(/direct message/);
    expect(english.suggestion).toMatch(/direct message/);
  });

  it('checks the X length rule with a URL and emoji', () => {
    const text = `${'a'.repeat(240)} https://toonbank.nl/${'x'.repeat(100)} 😀😀 ^AB`;
    const findings = found(text, { emojiAllowed: true }, { length: CHANNEL_LENGTH_RULES.x.public });
    expect(findings).toEqual([]);
    const longer = `${'a'.repeat(250)} https://toonbank.nl/x 😀😀 ^AB`;
    expect(
      found(longer, { emojiAllowed: true }, { length: CHANNEL_LENGTH_RULES.x.public }),
    ).toEqual([['length.max', '^AB']]);
  });

  it('stays fast on 10,000 characters', () => {
    const sentence =
      'Kunt u ons uw klantnummer sturen via DM? Helaas!! Bel 06-12345678 of mail info@bank.nl. ';
    const text = sentence.repeat(Math.ceil(10_000 / sentence.length)).slice(0, 10_000) + ' ^AB';
    const started = performance.now();
    const findings: ToneFindingDto[] = checkTone({
      text,
      profile: profile(),
      length: CHANNEL_LENGTH_RULES.mastodon.public,
      customerText: 'Kun je me helpen?',
    });
    expect(findings.length).toBeGreaterThan(100);
    expect(performance.now() - started).toBeLessThan(500);
  });

  // Adversarial inputs of 10,000 characters: nothing may backtrack catastrophically.
  const adversarial: [string, string][] = [
    ['one long word', 'a'.repeat(10_000)],
    ['an e-mail-like run', 'a'.repeat(6_000) + '@' + 'b.'.repeat(2_000)],
    ['exclamation marks', '!'.repeat(10_000) + 'x'],
    ['at signs before a salutation', '@'.repeat(9_990) + '\nDear all'],
    ['quotes and elisions', "'a 's ".repeat(1_600)],
    ['digits', '0'.repeat(10_000)],
    ['IBAN-like groups', 'NL91 ABNA '.repeat(1_000)],
    ['postcodes', '1234 AB 1, '.repeat(900)],
    ['emoji', '😀 '.repeat(3_300)],
  ];
  it.each(adversarial)('stays linear on %s', (_name, text) => {
    for (const p of [NL_PROFILE, EN_PROFILE]) {
      const started = performance.now();
      checkTone({
        text,
        profile: p,
        length: CHANNEL_LENGTH_RULES.bluesky.public,
        customerText: text,
      });
      expect(performance.now() - started).toBeLessThan(1_000);
    }
  });
});
