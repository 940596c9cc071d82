import type { ToneProfileEntity } from '@toonbank/database';
import { DEFAULT_SIGNOFF_PATTERN, type ToneProfileDto } from '@toonbank/shared';

/** The profile of an organisation that never set one: formal Dutch, `^AB` sign-off, no emoji. */
export const DEFAULT_TONE_PROFILE: ToneProfileDto = {
  language: 'nl',
  addressForm: { default: 'formal', perChannel: {}, mirrorCustomer: false },
  forbiddenPhrases: [],
  signoff: { required: true, pattern: DEFAULT_SIGNOFF_PATTERN },
  emojiAllowed: false,
};

export function presentToneProfile(row: ToneProfileEntity | null): ToneProfileDto {
  if (!row) return structuredClone(DEFAULT_TONE_PROFILE);
  return {
    language: row.language,
    addressForm: {
      default: row.addressDefault,
      perChannel: { ...row.addressPerChannel },
      mirrorCustomer: row.mirrorCustomer,
    },
    forbiddenPhrases: row.forbiddenPhrases.map(({ phrase, suggestion }) => ({
      phrase,
      suggestion,
    })),
    signoff: { required: row.signoffRequired, pattern: row.signoffPattern },
    emojiAllowed: row.emojiAllowed,
  };
}

export function toneProfileColumns(
  organisationId: string,
  profile: ToneProfileDto,
): Omit<ToneProfileEntity, 'updatedAt'> {
  return {
    organisationId,
    language: profile.language,
    addressDefault: profile.addressForm.default,
    addressPerChannel: profile.addressForm.perChannel,
    mirrorCustomer: profile.addressForm.mirrorCustomer,
    forbiddenPhrases: profile.forbiddenPhrases,
    signoffRequired: profile.signoff.required,
    signoffPattern: profile.signoff.pattern,
    emojiAllowed: profile.emojiAllowed,
  };
}
