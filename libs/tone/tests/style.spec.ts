import { found, type Found, type ProfileOverrides } from './profile';

describe('caps.shouting', () => {
  const rows: [string, Found[]][] = [
    ['WE HELPEN u graag. ^AB', [['caps.shouting', 'WE HELPEN']]],
    ['Dat is BELANGRIJK voor u. ^AB', [['caps.shouting', 'BELANGRIJK']]],
    ['Stuur uw IBAN via DM, dan zoekt de NS het uit. ^AB', []],
    ['Uw KvK-nummer en BTW-nummer graag via DM. ^AB', []],
    ['Het ING-kantoor en de KPN-winkel zijn open. ^AB', []],
    ['Uw A4 en COVID-19 test. ^AB', []],
    ['DM ons. NS helpt. ^AB', []],
    ['Lees de FAQ of de AVG-uitleg. ^AB', []],
    ['ECHT niet. ^AB', []],
    ['ECHT NIET. ^AB', [['caps.shouting', 'ECHT NIET']]],
    ['Bel ons, NL91ABNA0417164300 is uw IBAN. ^AB', [['pii.exposed', 'NL91ABNA0417164300']]],
    ['Groet, ^ABC', []],
  ];
  it.each(rows)('%j', (text, expected) => {
    expect(found(text)).toEqual(expected);
  });
});

describe('punctuation.exclamations', () => {
  const rows: [string, Found[]][] = [
    ['Top! ^AB', []],
    ['Fijn! Goed nieuws! ^AB', [['punctuation.exclamations', '!']]],
    ['Super!!! ^AB', [['punctuation.exclamations', '!!']]],
    [
      'Fijn! Top!! Echt! ^AB',
      [
        ['punctuation.exclamations', '!!'],
        ['punctuation.exclamations', '!'],
      ],
    ],
    ['Echt?! ^AB', []],
  ];
  it.each(rows)('%j', (text, expected) => {
    expect(found(text)).toEqual(expected);
  });

  it('ranges start at the second mark', () => {
    const text = 'Fijn! Top! ^AB';
    const [[, covered]] = found(text);
    expect(covered).toBe('!');
    expect(found('Wow!! ^AB')).toEqual([['punctuation.exclamations', '!']]);
  });
});

describe('emoji.not_allowed', () => {
  const NO: ProfileOverrides = {};
  const YES: ProfileOverrides = { emojiAllowed: true };
  const rows: [string, ProfileOverrides, Found[]][] = [
    ['Graag gedaan 😀 ^AB', NO, [['emoji.not_allowed', '😀']]],
    ['Graag gedaan 😀 ^AB', YES, []],
    [
      'Fijne dag 👨‍👩‍👧 en 👍🏽 ^AB',
      NO,
      [
        ['emoji.not_allowed', '👨‍👩‍👧'],
        ['emoji.not_allowed', '👍🏽'],
      ],
    ],
    ['Met ❤️ gemaakt ^AB', NO, [['emoji.not_allowed', '❤️']]],
    ['Hup 🇳🇱 ^AB', NO, [['emoji.not_allowed', '🇳🇱']]],
    ['Toonbank® en Toonbank™ © 2026 ^AB', NO, []],
    ['Prijs: € 12,50 → 3 × per maand ^AB', NO, []],
  ];
  it.each(rows)('%j %j', (text, overrides, expected) => {
    expect(found(text, overrides)).toEqual(expected);
  });
});
