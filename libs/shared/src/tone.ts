import type { AddressForm, ChannelProvider, ToneLanguage } from './contract';

/** `GET/PUT /api/tone/profile` (API.md §Tone and templates). */
export interface ToneProfileDto {
  language: ToneLanguage;
  addressForm: {
    default: AddressForm;
    perChannel: Partial<Record<ChannelProvider, AddressForm>>;
    /** Answer in the customer's own form of address where they used one clearly. */
    mirrorCustomer: boolean;
  };
  forbiddenPhrases: { phrase: string; suggestion: string }[];
  /** `pattern`: a regular expression the end of the trimmed reply must match (linear-time engine). */
  signoff: { required: boolean; pattern: string };
  emojiAllowed: boolean;
}

export const DEFAULT_SIGNOFF_PATTERN = '\\^[A-Z]{2,3}$';
export const SIGNOFF_PATTERN_MAX_LENGTH = 100;

/** The rule ids of SPEC.md §5; only these are errors or warnings. */
export const ToneRule = {
  AddressMixed: 'address.mixed',
  AddressWrongForm: 'address.wrong_form',
  AddressCustomerForm: 'address.customer_form',
  LengthMax: 'length.max',
  PhraseForbidden: 'phrase.forbidden',
  PiiExposed: 'pii.exposed',
  SignoffMissing: 'signoff.missing',
  CapsShouting: 'caps.shouting',
  PunctuationExclamations: 'punctuation.exclamations',
  EmojiNotAllowed: 'emoji.not_allowed',
} as const;
export type ToneRuleId = (typeof ToneRule)[keyof typeof ToneRule];

export type ToneSeverity = 'error' | 'warning' | 'info';

/** One finding; `start`/`end` are UTF-16 offsets into the checked text, end exclusive. */
export interface ToneFindingDto {
  ruleId: string;
  severity: ToneSeverity;
  message: string;
  start: number;
  end: number;
  suggestion?: string;
}

/** `POST /api/tone/check`. */
export interface ToneCheckResultDto {
  ok: boolean;
  findings: ToneFindingDto[];
}

/** How long a reply may be on a channel, and how the channel counts. */
export interface LengthRule {
  limit: number;
  /** `weighted`: X's twitter-text weighting; `graphemes`: user-perceived characters; `characters`: code points. */
  counting: 'weighted' | 'graphemes' | 'characters';
}

/**
 * The channels' own limits (CHANNELS.md): a public reply, and a direct message where the
 * channel has them (null: no direct messages here).
 */
export const CHANNEL_LENGTH_RULES: Readonly<
  Record<ChannelProvider, { public: LengthRule; direct: LengthRule | null }>
> = {
  x: {
    public: { limit: 280, counting: 'weighted' },
    direct: { limit: 10_000, counting: 'characters' },
  },
  bluesky: { public: { limit: 300, counting: 'graphemes' }, direct: null },
  // A direct answer on Mastodon is a status with visibility `direct`: the same 500.
  mastodon: {
    public: { limit: 500, counting: 'characters' },
    direct: { limit: 500, counting: 'characters' },
  },
  // Page comments take 8000; a Messenger message 2000.
  facebook: {
    public: { limit: 8000, counting: 'characters' },
    direct: { limit: 2000, counting: 'characters' },
  },
  instagram: { public: { limit: 2200, counting: 'characters' }, direct: null },
};

/** The length rule of a reply on this channel: public, or a direct message (null: the channel has none). */
export function channelLengthRule(
  provider: ChannelProvider,
  isPrivate: boolean,
): LengthRule | null {
  const rules = CHANNEL_LENGTH_RULES[provider];
  return isPrivate ? rules.direct : rules.public;
}
