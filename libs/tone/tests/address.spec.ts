import type { AddressForm, ToneLanguage } from '@toonbank/shared';
import { checkTone, customerAddressForm, detectAddressForm } from '@toonbank/tone';
import { opensLine } from '../src/address-en';
import { EN_PROFILE, found, profile, type Found, type ProfileOverrides } from './profile';

const INFORMAL: ProfileOverrides = {
  addressForm: { default: 'informal', perChannel: {}, mirrorCustomer: false },
};
const address = (f: Found[]) => f.filter(([rule]) => rule.startsWith('address.'));

describe('Dutch address in a reply (formal profile unless stated)', () => {
  // [text, profile overrides, expected address findings]
  const rows: [string, ProfileOverrides, Found[]][] = [
    // SPEC: mixing is only address.mixed, never also wrong_form.
    ['Kunt u je klantnummer sturen? ^AB', {}, [['address.mixed', 'je']]],
    ['Kun je uw klantnummer sturen? ^AB', {}, [['address.mixed', 'Kun je']]],
    ['Kunt u je klantnummer sturen? ^AB', INFORMAL, [['address.mixed', 'Kunt u']]],
    ['Kunt u uw klantnummer sturen? ^AB', {}, []],
    ['Kun je je klantnummer sturen? ^AB', INFORMAL, []],
    [
      'Kun je je klantnummer sturen? ^AB',
      {},
      [
        ['address.wrong_form', 'Kun je'],
        ['address.wrong_form', 'je'],
      ],
    ],
    [
      'Heeft u uw pakket ontvangen? ^AB',
      INFORMAL,
      [
        ['address.wrong_form', 'Heeft u'],
        ['address.wrong_form', 'uw'],
      ],
    ],
    ['Jij hebt gelijk, dat klopt niet. ^AB', {}, [['address.wrong_form', 'Jij hebt']]],
    ['Dit is jouw bestelling. ^AB', {}, [['address.wrong_form', 'jouw']]],
    ['Hebben jullie de mail ontvangen? ^AB', {}, [['address.wrong_form', 'Hebben jullie']]],
    ['We sturen jou morgen een update. ^AB', {}, [['address.wrong_form', 'jou']]],
    [
      'Dat kun je jezelf niet verwijten. ^AB',
      {},
      [
        ['address.wrong_form', 'kun je'],
        ['address.wrong_form', 'jezelf'],
      ],
    ],
    // Capitals at the start of a sentence are still address.
    ['U ontvangt morgen een bevestiging. ^AB', INFORMAL, [['address.wrong_form', 'U']]],
    ['Jij krijgt morgen bericht. ^AB', {}, [['address.wrong_form', 'Jij']]],
    // Words that merely contain the letters.
    ['Het duurt een uur, de jeugd is nu blij met de jeans. ^AB', {}, []],
    ['Het duurt een uur, de jeugd is nu blij met de jeans. ^AB', INFORMAL, []],
    ['Het UWV en de gemeente overleggen in juni. ^AB', INFORMAL, []],
    // Names, initials and abbreviations.
    ['Dank voor uw bericht, J.U. de Vries. ^AB', {}, []],
    ['Dank voor je bericht, J.U. de Vries. ^AB', INFORMAL, []],
    ['Ik heb het doorgegeven aan dhr. U. Jansen. ^AB', INFORMAL, []],
    ['Ik heb het doorgegeven aan U. de Boer. ^AB', INFORMAL, []],
    ['Stuur ons een DM, a.u.b. ^AB', INFORMAL, []],
    [
      'We helpen U. Morgen hoort u meer. ^AB',
      INFORMAL,
      [
        ['address.wrong_form', 'U'],
        ['address.wrong_form', 'hoort u'],
      ],
    ],
    // The letter U as a label or unit.
    ['Lijn U rijdt weer volgens de dienstregeling. ^AB', INFORMAL, []],
    ['De U-bocht bij het station is weer open. ^AB', INFORMAL, []],
    ['Het loket is open tot 17 u. ^AB', INFORMAL, []],
    // Quoted customer text is not judged.
    ['U schreef: "kunnen jullie mij helpen?" Dat doen we graag. ^AB', {}, []],
    ['Je schreef: “kunt u mij helpen?” Dat doen we graag. ^AB', INFORMAL, []],
    ['U vroeg „wanneer komen jullie?” Morgen tussen 8 en 12. ^AB', {}, []],
    ["U vroeg 'kunnen jullie bellen?' Dat kan morgen. ^AB", {}, []],
    ["Kies in de app voor 'Mijn gegevens' en vul 's avonds uw IBAN in. ^AB", {}, []],
    // URLs, e-mail addresses and handles are not words.
    ['U vindt het op toonbank.nl/jouw-pagina of bij @jouwbank. ^AB', {}, []],
    // The sign-off is never address.
    ['Fijne dag! ^JE', {}, []],
  ];
  it.each(rows)('%s %j', (text, overrides, expected) => {
    expect(address(found(text, overrides))).toEqual(expected);
  });

  const suggestions: [string, ProfileOverrides, string, string][] = [
    ['Kun je ons een DM sturen? ^AB', {}, 'Kun je', 'Kunt u'],
    ['Heb je ons een DM gestuurd? ^AB', {}, 'Heb je', 'Heeft u'],
    ['Ben je morgen thuis? ^AB', {}, 'Ben je', 'Bent u'],
    ['Wil je ons een DM sturen? ^AB', {}, 'Wil je', 'Wilt u'],
    ['Stuur je ons een DM? ^AB', {}, 'Stuur je', 'Stuurt u'],
    ['Bedankt voor je bericht. ^AB', {}, 'je', 'uw'],
    ['We helpen je graag verder. ^AB', {}, 'je', 'u'],
    ['Hoe kunnen we je helpen? ^AB', {}, 'je', 'u'],
    ['Dit is jouw bestelling. ^AB', {}, 'jouw', 'uw'],
    ['Kunt u ons een DM sturen? ^AB', INFORMAL, 'Kunt u', 'Kun je'],
    ['U heeft gelijk. ^AB', INFORMAL, 'U heeft', 'Je hebt'],
    ['Bedankt voor uw bericht. ^AB', INFORMAL, 'uw', 'je'],
  ];
  it.each(suggestions)('%s: %s → %s', (text, overrides, words, suggestion) => {
    const [first] = checkTone({ text, profile: profile(overrides) }).filter((f) =>
      f.ruleId.startsWith('address.'),
    );
    expect(text.slice(first.start, first.end)).toBe(words);
    expect(first.suggestion).toBe(suggestion);
  });
});

describe('English address (conservative markers)', () => {
  const INFORMAL_EN: ProfileOverrides = {
    addressForm: { default: 'informal', perChannel: {}, mirrorCustomer: false },
  };
  const rows: [string, ProfileOverrides, Found[]][] = [
    ['Thanks for your message, we will look into it. - Sam', {}, []],
    ['Thanks for your message, we will look into it. - Sam', INFORMAL_EN, []],
    [
      "Hey Anna, we're gonna fix this today. - Sam",
      {},
      [
        ['address.wrong_form', 'Hey'],
        ['address.wrong_form', 'gonna'],
      ],
    ],
    ['Dear Anna, we will call u tomorrow. - Sam', {}, [['address.mixed', 'u']]],
    [
      'Dear Anna, thank you for your patience.\nKind regards - Sam',
      INFORMAL_EN,
      [
        ['address.wrong_form', 'Dear'],
        ['address.wrong_form', 'Kind regards'],
      ],
    ],
    ["Oh dear, that's not what we want. - Sam", INFORMAL_EN, []],
    ['No worries, we sorted it. - Sam', {}, [['address.wrong_form', 'No worries']]],
    ['Take the U-turn at the roundabout, the U.S. office is closed. - Sam', {}, []],
  ];
  it.each(rows)('%s %j', (text, overrides, expected) => {
    expect(address(found(text, overrides, {}, EN_PROFILE))).toEqual(expected);
  });
});

describe('per channel, mirroring and the customer', () => {
  it('uses the channel form over the default', () => {
    const overrides: ProfileOverrides = {
      addressForm: { default: 'formal', perChannel: { x: 'informal' }, mirrorCustomer: false },
    };
    expect(address(found('Kun je ons een DM sturen? ^AB', overrides, { provider: 'x' }))).toEqual(
      [],
    );
    expect(
      address(found('Kun je ons een DM sturen? ^AB', overrides, { provider: 'mastodon' })),
    ).toEqual([['address.wrong_form', 'Kun je']]);
  });

  it('mirrors the customer when the profile says so', () => {
    const mirror: ProfileOverrides = {
      addressForm: { default: 'formal', perChannel: {}, mirrorCustomer: true },
    };
    const customerText = 'Hoi, kun je me helpen met mijn factuur?';
    expect(
      address(found('Natuurlijk, stuur je ons een DM? ^AB', mirror, { customerText })),
    ).toEqual([]);
    expect(
      address(found('Natuurlijk, stuurt u ons een DM? ^AB', mirror, { customerText })),
    ).toEqual([
      ['address.customer_form', 'stuurt u'],
      ['address.wrong_form', 'stuurt u'],
    ]);
  });

  it('adds address.customer_form (info) where the customer used the other form', () => {
    const customerText = 'Kun je me helpen? Mijn stroom is uitgevallen.';
    const findings = found(
      'Wat vervelend! Kunt u ons uw postcode sturen via DM? ^AB',
      {},
      { customerText },
    );
    expect(address(findings)).toEqual([['address.customer_form', 'Kunt u']]);
    expect(
      address(
        found(
          'Wat vervelend. Kunt u ons een DM sturen? ^AB',
          {},
          { customerText: 'Kunt u mij helpen?' },
        ),
      ),
    ).toEqual([]);
  });

  const customers: [string, ToneLanguage, AddressForm | null][] = [
    ['Kunt u mij helpen met mijn rekening?', 'nl', 'formal'],
    ['Kun je me helpen met mijn rekening?', 'nl', 'informal'],
    ['Waarom reageren jullie niet op mijn mail?', 'nl', null],
    ['Kunt u mij helpen? Je reageert nooit.', 'nl', null],
    ['Mijn trein is weer te laat.', 'nl', null],
    ['hey can u help me with my bill', 'en', 'informal'],
    ['My train is late again.', 'en', null],
  ];
  it.each(customers)('customerAddressForm(%j, %s) = %s', (text, language, form) => {
    expect(customerAddressForm(text, language)).toBe(form);
  });

  it('detectAddressForm gives the ranges of both forms', () => {
    const text = 'Kunt u je klantnummer sturen?';
    const { formal, informal } = detectAddressForm(text, 'nl');
    expect(formal.map((r) => text.slice(r.start, r.end))).toEqual(['Kunt u']);
    expect(informal.map((r) => text.slice(r.start, r.end))).toEqual(['je']);
  });
});

describe('opensLine (a salutation stands first on its line)', () => {
  /** As it was decided before: a regular expression over the line up to the offset. */
  const byPattern = (text: string, offset: number) =>
    /^(?:\s|@[^\s@]*)*$/.test(text.slice(text.lastIndexOf('\n', offset - 1) + 1, offset));

  it.each<[string, boolean]>([
    ['|Dear', true],
    ['  \t|Dear', true],
    ['Hi\n|Dear', true],
    ['Hi\n  |Dear', true],
    ['@anna |Dear', true],
    ['@anna@demo.test @bo\u00a0|Dear', true],
    ['@ |Dear', true],
    ['Oh |dear', false],
    ['Hi @anna |Dear', false],
    ['x@anna |Dear', false],
    ['@anna, |Dear', true],
    ['(@anna) |Dear', false],
    ['Hi\r|Dear', false],
  ])('%p: %p', (marked, expected) => {
    const offset = marked.indexOf('|');
    const text = marked.replace('|', '');
    expect(opensLine(text, offset)).toBe(expected);
    expect(byPattern(text, offset)).toBe(expected);
  });
});
