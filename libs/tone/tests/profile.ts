import { DEFAULT_SIGNOFF_PATTERN, type ToneProfileDto } from '@toonbank/shared';
import type { ToneCheckInput } from '@toonbank/tone';
import { checkTone } from '@toonbank/tone';

/** A Dutch organisation: formal (u) everywhere, sign-off ^AB, no emoji. */
export const NL_PROFILE: ToneProfileDto = {
  language: 'nl',
  addressForm: { default: 'formal', perChannel: {}, mirrorCustomer: false },
  forbiddenPhrases: [
    { phrase: 'helaas', suggestion: 'Jammer genoeg' },
    { phrase: 'excuses voor het ongemak', suggestion: 'Vervelend dat dit gebeurde' },
    { phrase: 'wij', suggestion: 'we' },
    { phrase: 'in behandeling genomen', suggestion: 'we gaan ermee aan de slag' },
  ],
  signoff: { required: true, pattern: DEFAULT_SIGNOFF_PATTERN },
  emojiAllowed: false,
};

/** An English organisation: formal, signed with a dash and a first name ("- Sam"), no emoji. */
export const EN_PROFILE: ToneProfileDto = {
  language: 'en',
  addressForm: { default: 'formal', perChannel: {}, mirrorCustomer: false },
  forbiddenPhrases: [
    { phrase: 'unfortunately', suggestion: "I'm sorry to say" },
    { phrase: 'apologies for the inconvenience', suggestion: "I'm sorry this happened" },
    { phrase: 'as per', suggestion: 'following' },
  ],
  signoff: { required: true, pattern: '[-–] ?[A-Z][a-z]+$' },
  emojiAllowed: false,
};

export const BASE_PROFILES = { nl: NL_PROFILE, en: EN_PROFILE } as const;

/** A partial profile: `addressForm` and `signoff` may be given in part. */
export interface ProfileOverrides extends Partial<Omit<ToneProfileDto, 'addressForm' | 'signoff'>> {
  addressForm?: Partial<ToneProfileDto['addressForm']>;
  signoff?: Partial<ToneProfileDto['signoff']>;
}

/** `base` with `overrides` merged in (one level deep for addressForm and signoff). */
export function profile(
  overrides: ProfileOverrides = {},
  base: ToneProfileDto = NL_PROFILE,
): ToneProfileDto {
  return {
    ...base,
    ...overrides,
    addressForm: { ...base.addressForm, ...overrides.addressForm },
    signoff: { ...base.signoff, ...overrides.signoff },
  } as ToneProfileDto;
}

/** A finding as the tables state it: rule id and the exact text it points at. */
export type Found = [ruleId: string, text: string];

/** The findings of one check as [ruleId, covered text] pairs, in order. */
export function found(
  text: string,
  overrides: ProfileOverrides = {},
  extra: Partial<Omit<ToneCheckInput, 'text' | 'profile'>> = {},
  base: ToneProfileDto = NL_PROFILE,
): Found[] {
  return checkTone({ text, profile: profile(overrides, base), ...extra }).map((f) => [
    f.ruleId,
    text.slice(f.start, f.end),
  ]);
}
