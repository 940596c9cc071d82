// The tone check sees every reply, template and tone-check text, and the customer's words:
// it must run in linear time on any of them (issue 11). Each shape below repeats what one of
// its rules or patterns looks at, to 10,000 and 100,000 characters.
import { CHANNEL_LENGTH_RULES } from '@toonbank/shared';
import { checkTone, type ToneCheckInput } from '@toonbank/tone';
import { growth, MAX_GROWTH, repeatTo } from '../../../tests/support/linearity';
import { EN_PROFILE, NL_PROFILE } from './profile';

const units: [shape: string, unit: string][] = [
  ['plain words', 'Wij helpen u graag verder. '],
  ['quotation marks', '"a" '],
  ['single quotes', "'a' "],
  ['elisions', "'s avonds "],
  ['initials', 'J.U. de Vries '],
  ['titles', 'dhr. U. '],
  ['shouting', 'HALLO DAAR '],
  ['shouting between postcodes', 'HALLO 1234 AB 12 '],
  ['exclamations after URLs', 'https://a.nl!! '],
  ['exclamations after handles', '@a!! '],
  ['postcodes', '1234 AB '],
  ['dotted letters', 'a.'],
  ['IBAN-shaped', 'NL91ABNA0417164300 '],
  ['phone numbers', '06 12345678 '],
  ['e-mail-shaped', 'a@b.'],
  ['domain-shaped', 'a.nl.'],
  ['a long word', 'a'],
  ['hyphens', 'a-'],
  ['apostrophes', '’'],
  ['spaces', ' '],
  ['line breaks', 'a\r\n'],
  ['caret initials', '^AB '],
  ['emoji', '😀'],
  ['combining marks', 'e\u0301'],
  ['prepended marks', '\u0600 '],
  ['Dutch address', 'kun je u '],
  ['English salutations on one line', 'dear '],
  ['English salutations after handles', '@a @b dear '],
  ['placeholder braces', '{{ '],
  ['forbidden phrase', 'helaas '],
];

const nl = (text: string): ToneCheckInput => ({
  text,
  profile: NL_PROFILE,
  provider: 'mastodon',
  length: CHANNEL_LENGTH_RULES.mastodon.public,
  customerText: text,
});
const en = (text: string): ToneCheckInput => ({
  text,
  profile: EN_PROFILE,
  provider: 'bluesky',
  length: CHANNEL_LENGTH_RULES.bluesky.public,
});

// X's weighted count goes through twitter-text, piece by piece (libs/tone/src/length.ts).
const onX = (text: string): ToneCheckInput => ({
  text,
  profile: NL_PROFILE,
  provider: 'x',
  length: CHANNEL_LENGTH_RULES.x.public,
});

describe('the tone check in linear time (issue 11)', () => {
  it.each(units)('%s', (_shape, unit) => {
    expect(
      growth(
        (text) => checkTone(nl(text)),
        (n) => repeatTo(unit, n),
        3,
      ),
    ).toBeLessThanOrEqual(MAX_GROWTH);
  });

  it.each(units.filter(([shape]) => /English|plain|quot|initials/.test(shape)))(
    'in English: %s',
    (_shape, unit) => {
      expect(
        growth(
          (text) => checkTone(en(text)),
          (n) => repeatTo(unit, n),
          3,
        ),
      ).toBeLessThanOrEqual(MAX_GROWTH);
    },
  );

  it.each(units.filter(([shape]) => /dotted|domain|URL|e-mail|plain|emoji/.test(shape)))(
    "with X's weighted count: %s",
    (_shape, unit) => {
      expect(
        growth(
          (text) => checkTone(onX(text)),
          (n) => repeatTo(unit, n),
          3,
        ),
      ).toBeLessThanOrEqual(MAX_GROWTH);
    },
  );
});
