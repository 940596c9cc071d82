import { findPii, type PiiKind } from '@toonbank/tone';
import { found } from './profile';

const pii = (text: string, extra = {}) =>
  found(text, {}, extra).filter(([rule]) => rule === 'pii.exposed');

describe('pii.exposed in a public reply', () => {
  // [text, the exact texts flagged]
  const rows: [string, string[]][] = [
    ['Bel ons gerust op 06-12345678. ^AB', ['06-12345678']],
    ['Onze klantenservice: +31 20 123 4567. ^AB', ['+31 20 123 4567']],
    ['Bel 020-1234567 of 0031 20 1234567. ^AB', ['020-1234567', '0031 20 1234567']],
    ['Gratis bellen kan via 0800-0123. ^AB', ['0800-0123']],
    ['Bel (020) 123 45 67 of +31(0)20 123 4567. ^AB', ['(020) 123 45 67', '+31(0)20 123 4567']],
    ['Call us on +44 20 7946 0958. ^AB', ['+44 20 7946 0958']],
    ['Mail ons via info@energie.nl. ^AB', ['info@energie.nl']],
    ['Uw IBAN NL91ABNA0417164300 staat genoteerd. ^AB', ['NL91ABNA0417164300']],
    ['Uw IBAN NL91 ABNA 0417 1643 00 staat genoteerd. ^AB', ['NL91 ABNA 0417 1643 00']],
    ['Uw IBAN NL91 ABNA 0417 1643 00 voor de terugbetaling. ^AB', ['NL91 ABNA 0417 1643 00']],
    ['Uw IBAN nl91abna0417164300 staat genoteerd. ^AB', ['nl91abna0417164300']],
    ['Het adres is 1234 AB 12. ^AB', ['1234 AB 12']],
    ['Het adres is 1234AB 5a. ^AB', ['1234AB 5a']],
    ['We komen naar Stationsstraat 12, 1234 AB Utrecht. ^AB', ['Stationsstraat 12, 1234 AB']],
    ['Dorpsweg 3a\n1234 AB Ergens ^AB', ['Dorpsweg 3a\n1234 AB']],
    // Not personal data.
    ['Uw IBAN NL91ABNA0417164301 klopt niet (controlegetal). ^AB', []],
    ['Uw rekening NL02 RABO 0123 4567 89 klopt niet. ^AB', []],
    ['Uw ordernummer 201234567 is verzonden. ^AB', []],
    ['Uw KvK-nummer 12345678 staat genoteerd. ^AB', []],
    ['De storing in postcodegebied 1234 AB is verholpen. ^AB', []],
    ['Op 12-03-2024 om 10:00 is het opgelost. ^AB', []],
    ['In 2024 is 12 procent sneller geleverd. ^AB', []],
    ['Volg ons via @energiebedrijf en toonbank.nl/storingen. ^AB', []],
  ];
  it.each(rows)('%j → %j', (text, expected) => {
    expect(pii(text).map(([, t]) => t)).toEqual(expected);
  });

  it('a direct message is not checked for personal data', () => {
    expect(pii('Bel ons op 06-12345678 of mail info@bank.nl. ^AB', { private: true })).toEqual([]);
  });

  it('the message and suggestion point to a direct message', () => {
    const [finding] = found('Bel 06-12345678. ^AB', {}, {});
    expect(finding[0]).toBe('pii.exposed');
    expect(findPii('Bel 06-12345678.', []).map((s) => s.kind)).toEqual<PiiKind[]>(['phone']);
  });
});
