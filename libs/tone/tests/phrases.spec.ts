import { findPhrase, foldText } from '../src/phrases';
import { checkTone } from '@toonbank/tone';
import { found, NL_PROFILE, type Found } from './profile';

describe('phrase.forbidden', () => {
  // NL_PROFILE forbids: helaas, excuses voor het ongemak, wij, in behandeling genomen.
  const rows: [string, Found[]][] = [
    ['Helaas is uw pakket vertraagd. ^AB', [['phrase.forbidden', 'Helaas']]],
    [
      'HELAAS is uw pakket vertraagd. ^AB',
      [
        ['caps.shouting', 'HELAAS'],
        ['phrase.forbidden', 'HELAAS'],
      ],
    ],
    ['Wij zoeken het voor u uit. ^AB', [['phrase.forbidden', 'Wij']]],
    ['Wíj zoeken het voor u uit. ^AB', [['phrase.forbidden', 'Wíj']]],
    ['Wij\u0301 zoeken het uit. ^AB', [['phrase.forbidden', 'Wij\u0301']]],
    ['Onze excuses voor het ongemak. ^AB', [['phrase.forbidden', 'excuses voor het ongemak']]],
    ['Onze excuses voor  het\nongemak. ^AB', [['phrase.forbidden', 'excuses voor  het\nongemak']]],
    [
      'Uw aanvraag is in behandeling genomen. ^AB',
      [['phrase.forbidden', 'in behandeling genomen']],
    ],
    // Word boundaries: no match inside other words.
    ['We wijzigen uw abonnement per 1 juni. ^AB', []],
    ['Uw wijk heeft weer stroom. ^AB', []],
    ['We zijn blij dat het gelukt is. ^AB', []],
    ['Onze excuses, het ongemak is ons bekend. ^AB', []],
  ];
  it.each(rows)('%j', (text, expected) => {
    expect(found(text)).toEqual(expected);
  });

  it('suggests the profile alternative', () => {
    const [finding] = checkTone({ text: 'Helaas is het druk. ^AB', profile: NL_PROFILE });
    expect(finding).toMatchObject({
      ruleId: 'phrase.forbidden',
      severity: 'error',
      start: 0,
      end: 6,
      suggestion: 'Jammer genoeg',
    });
  });

  it('maps folded matches back to the original offsets', () => {
    const text = 'Ja, wíj en WIJ en wij\u0301!';
    const ranges = findPhrase(foldText(text), 'wij').map((r) => text.slice(r.start, r.end));
    expect(ranges).toEqual(['wíj', 'WIJ', 'wij\u0301']);
    expect(findPhrase(foldText('café'), 'CAFE')).toEqual([{ start: 0, end: 4 }]);
    expect(findPhrase(foldText('Café!'), 'café!')).toEqual([{ start: 0, end: 5 }]);
    expect(findPhrase(foldText('text'), '   ')).toEqual([]);
  });

  it('folds ASCII to lower case unit by unit, and whatever follows it the long way', () => {
    const ascii = Array.from({ length: 0x7f - 0x21 }, (_, i) => String.fromCharCode(0x21 + i)).join(
      '',
    );
    const { folded, starts, ends } = foldText(ascii);
    expect(folded).toBe(ascii.toLowerCase());
    expect([...starts]).toEqual([...ascii].map((_, i) => i));
    expect([...ends]).toEqual([...ascii].map((_, i) => i + 1));
    expect(foldText('A\u0301B’É').folded).toBe("ab'e");
  });
});
