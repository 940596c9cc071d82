import type { AddressForm, LengthRule, ToneLanguage } from '@toonbank/shared';
import type { PiiKind } from './pii';

/** The texts of the findings, short and actionable, in the user's language. */
export interface ToneMessages {
  addressMixed(found: string, suggestion: string | undefined, expected: AddressForm): string;
  addressWrongForm(found: string, suggestion: string | undefined, expected: AddressForm): string;
  addressCustomerForm(customer: AddressForm, reply: AddressForm): string;
  lengthMax(length: number, rule: LengthRule): string;
  lengthMaxSuggestion(excess: number): string;
  phraseForbidden(found: string): string;
  piiExposed(kind: PiiKind): string;
  piiSuggestion: string;
  signoffMissing: string;
  /** Only for the default pattern (caret and initials). */
  signoffSuggestion: string;
  capsShouting: string;
  exclamations: string;
  emoji: string;
}

const NL_PII: Record<PiiKind, string> = {
  phone: 'Telefoonnummer',
  email: 'E-mailadres',
  iban: 'IBAN',
  address: 'Adres',
};
const EN_PII: Record<PiiKind, string> = {
  phone: 'Phone number',
  email: 'E-mail address',
  iban: 'IBAN',
  address: 'Address',
};
const NL_FORM: Record<AddressForm, string> = { formal: 'formeel (u)', informal: 'informeel (je)' };
const EN_FORM: Record<AddressForm, string> = { formal: 'formally', informal: 'informally' };
const NL_COUNTING: Record<LengthRule['counting'], string> = {
  weighted: 'gewogen tekens',
  graphemes: 'tekens',
  characters: 'tekens',
};
const EN_COUNTING: Record<LengthRule['counting'], string> = {
  weighted: 'weighted characters',
  graphemes: 'characters',
  characters: 'characters',
};
export const MESSAGES: Record<ToneLanguage, ToneMessages> = {
  nl: {
    addressMixed: (found, suggestion, expected) =>
      suggestion
        ? `'u' en 'je' door elkaar: gebruik '${suggestion}' in plaats van '${found}'`
        : `Formele en informele aanspreekvorm door elkaar: schrijf '${found}' ${expected === 'formal' ? 'formeel' : 'informeel'}`,
    addressWrongForm: (found, suggestion, expected) =>
      suggestion
        ? `Gebruik '${suggestion}' in plaats van '${found}' op dit kanaal`
        : `'${found}' past niet bij de ${expected === 'formal' ? 'formele' : 'informele'} toon van dit kanaal`,
    addressCustomerForm: (customer, reply) =>
      `De klant schrijft ${NL_FORM[customer]}, dit antwoord ${NL_FORM[reply]}`,
    lengthMax: (length, rule) =>
      `Te lang voor dit kanaal: ${length} van ${rule.limit} ${NL_COUNTING[rule.counting]}`,
    lengthMaxSuggestion: (excess) => `Kort de tekst ${excess} tekens in`,
    phraseForbidden: (found) => `Vermijd '${found}'`,
    piiExposed: (kind) =>
      `${NL_PII[kind]} in een openbaar bericht: stuur dit in een privébericht (DM)`,
    piiSuggestion: 'Verplaats dit naar een privébericht (DM)',
    signoffMissing: 'Het antwoord mist de ondertekening die het profiel vraagt',
    signoffSuggestion: 'Sluit af met je paraaf, zoals ^AB',
    capsShouting: 'Hoofdletters lezen als schreeuwen: schrijf dit in kleine letters',
    exclamations: 'Meer dan één uitroepteken: laat de extra uitroeptekens weg',
    emoji: 'Emoji zijn op dit kanaal niet toegestaan',
  },
  en: {
    addressMixed: (found, suggestion, expected) =>
      suggestion
        ? `Formal and informal address mixed: use '${suggestion}' instead of '${found}'`
        : `Formal and informal address mixed: write '${found}' ${EN_FORM[expected]}`,
    addressWrongForm: (found, suggestion, expected) =>
      suggestion
        ? `Use '${suggestion}' instead of '${found}' on this channel`
        : `'${found}' does not fit this channel's ${expected} tone`,
    addressCustomerForm: (customer, reply) =>
      `The customer writes ${EN_FORM[customer]}, this reply ${EN_FORM[reply]}`,
    lengthMax: (length, rule) =>
      `Too long for this channel: ${length} of ${rule.limit} ${EN_COUNTING[rule.counting]}`,
    lengthMaxSuggestion: (excess) => `Shorten the text by ${excess} characters`,
    phraseForbidden: (found) => `Avoid '${found}'`,
    piiExposed: (kind) => `${EN_PII[kind]} in a public reply: send this in a direct message`,
    piiSuggestion: 'Move this to a direct message (DM)',
    signoffMissing: 'The reply lacks the sign-off the profile asks for',
    signoffSuggestion: 'End with your initials, such as ^AB',
    capsShouting: 'Capitals read as shouting: write this in lower case',
    exclamations: 'More than one exclamation mark: drop the extra ones',
    emoji: 'Emoji are not allowed on this channel',
  },
};
