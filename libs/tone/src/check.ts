import {
  DEFAULT_SIGNOFF_PATTERN,
  ToneRule,
  type AddressForm,
  type ChannelProvider,
  type LengthRule,
  type ToneFindingDto,
  type ToneLanguage,
  type ToneProfileDto,
} from '@toonbank/shared';
import { addressFormOf, customerAddressForm, findAddressMarkers } from './address';
import { lengthOverflow } from './length';
import { MESSAGES, type ToneMessages } from './messages';
import { findPhrase, foldText } from './phrases';
import { findPii, type PiiSpan } from './pii';
import type { Range } from './range';
import { caretInitials, compileSignoffPattern, findSignoff, SignoffPatternError } from './signoff';
import { findEmoji, findExtraExclamations, findShouting } from './style';
import { analyseText, type TextAnalysis } from './words';

/** What one tone check looks at besides the text. */
export interface ToneCheckInput {
  text: string;
  profile: ToneProfileDto;
  /** The channel: picks the form of address (`perChannel`, else `default`). */
  provider?: ChannelProvider;
  /** The channel's length rule for this kind of reply; absent: no length rule. */
  length?: LengthRule | null;
  /** A direct message: not checked for PII. */
  private?: boolean;
  /** The customer's own recent words, for `address.customer_form` and mirroring. */
  customerText?: string | null;
  /** The language of the findings' messages (the user's); the profile's language otherwise. */
  locale?: ToneLanguage;
}

/** The parts of a check that several rules share. */
interface CheckContext {
  input: ToneCheckInput;
  analysis: TextAnalysis;
  messages: ToneMessages;
  /** The sign-off and any caret initials: neither address nor shouting. */
  signoff: Range[];
  pii: PiiSpan[];
}

const finding = (
  ruleId: string,
  severity: ToneFindingDto['severity'],
  message: string,
  range: Range,
  suggestion?: string,
): ToneFindingDto => ({
  ruleId,
  severity,
  message,
  start: range.start,
  end: range.end,
  ...(suggestion ? { suggestion } : {}),
});

/** The form of address the reply should use: the channel's, or the customer's when mirroring. */
export function expectedAddressForm(
  profile: ToneProfileDto,
  provider: ChannelProvider | undefined,
  customerForm: AddressForm | null,
): AddressForm {
  if (profile.addressForm.mirrorCustomer && customerForm) return customerForm;
  return (provider && profile.addressForm.perChannel[provider]) || profile.addressForm.default;
}

function addressFindings({ input, analysis, messages, signoff }: CheckContext): ToneFindingDto[] {
  const { profile } = input;
  const language = profile.language;
  const markers = findAddressMarkers(analysis, language, { exclude: signoff });
  const customerForm = input.customerText
    ? customerAddressForm(input.customerText, language)
    : null;
  const expected = expectedAddressForm(profile, input.provider, customerForm);
  const replyForm = addressFormOf(markers);
  const findings = markers
    .filter((m) => m.form !== expected)
    .map((m) =>
      replyForm === 'mixed'
        ? finding(
            ToneRule.AddressMixed,
            'error',
            messages.addressMixed(m.text, m.suggestion, expected),
            m,
            m.suggestion,
          )
        : finding(
            ToneRule.AddressWrongForm,
            'error',
            messages.addressWrongForm(m.text, m.suggestion, expected),
            m,
            m.suggestion,
          ),
    );
  if (customerForm && (replyForm === 'formal' || replyForm === 'informal')) {
    if (customerForm !== replyForm) {
      findings.push(
        finding(
          ToneRule.AddressCustomerForm,
          'info',
          messages.addressCustomerForm(customerForm, replyForm),
          markers[0],
        ),
      );
    }
  }
  return findings;
}

function lengthFindings({ input, messages }: CheckContext): ToneFindingDto[] {
  if (!input.length) return [];
  const { length, overflowAt } = lengthOverflow(input.text, input.length);
  if (overflowAt === null) return [];
  return [
    finding(
      ToneRule.LengthMax,
      'error',
      messages.lengthMax(length, input.length),
      { start: overflowAt, end: input.text.length },
      messages.lengthMaxSuggestion(length - input.length.limit),
    ),
  ];
}

function phraseFindings({ input, messages }: CheckContext): ToneFindingDto[] {
  const phrases = input.profile.forbiddenPhrases.filter((p) => p.phrase.trim());
  if (phrases.length === 0) return [];
  const folded = foldText(input.text);
  return phrases.flatMap((p) =>
    findPhrase(folded, p.phrase).map((r) =>
      finding(
        ToneRule.PhraseForbidden,
        'error',
        messages.phraseForbidden(input.text.slice(r.start, r.end)),
        r,
        p.suggestion,
      ),
    ),
  );
}

function piiFindings({ pii, messages }: CheckContext): ToneFindingDto[] {
  return pii.map((span) =>
    finding(
      ToneRule.PiiExposed,
      'error',
      messages.piiExposed(span.kind),
      span,
      messages.piiSuggestion,
    ),
  );
}

/** The profile's pattern compiled; a stored pattern that no longer compiles falls back to the default. */
function signoffPattern(profile: ToneProfileDto) {
  try {
    return compileSignoffPattern(profile.signoff.pattern);
  } catch (error) {
    if (!(error instanceof SignoffPatternError)) throw error;
    return compileSignoffPattern(DEFAULT_SIGNOFF_PATTERN);
  }
}

function signoffFindings(ctx: CheckContext, found: Range | null): ToneFindingDto[] {
  const { input, messages } = ctx;
  if (!input.profile.signoff.required || found) return [];
  const end = input.text.trimEnd().length;
  let start = end;
  while (start > 0 && !/\s/.test(input.text[start - 1])) start--;
  const suggestion =
    input.profile.signoff.pattern === DEFAULT_SIGNOFF_PATTERN
      ? messages.signoffSuggestion
      : undefined;
  return [
    finding(
      ToneRule.SignoffMissing,
      'warning',
      messages.signoffMissing,
      { start, end },
      suggestion,
    ),
  ];
}

function styleFindings({
  input,
  analysis,
  messages,
  signoff,
  pii,
}: CheckContext): ToneFindingDto[] {
  const { text } = input;
  const shouting = findShouting(analysis, [...signoff, ...pii]).map((r) =>
    finding(
      ToneRule.CapsShouting,
      'warning',
      messages.capsShouting,
      r,
      text.slice(r.start, r.end).toLowerCase(),
    ),
  );
  const exclamations = findExtraExclamations(text, analysis.opaque).map((r) =>
    finding(ToneRule.PunctuationExclamations, 'warning', messages.exclamations, r),
  );
  const emoji = input.profile.emojiAllowed
    ? []
    : findEmoji(text).map((r) => finding(ToneRule.EmojiNotAllowed, 'warning', messages.emoji, r));
  return [...shouting, ...exclamations, ...emoji];
}

/** Every finding of SPEC.md §5 for one text, ordered by position. */
export function checkTone(input: ToneCheckInput): ToneFindingDto[] {
  const analysis = analyseText(input.text);
  const signoffRange = findSignoff(input.text, signoffPattern(input.profile));
  const ctx: CheckContext = {
    input,
    analysis,
    messages: MESSAGES[input.locale ?? input.profile.language] ?? MESSAGES.en,
    signoff: [...(signoffRange ? [signoffRange] : []), ...caretInitials(input.text)],
    pii: input.private ? [] : findPii(input.text, analysis.opaque),
  };
  return [
    ...addressFindings(ctx),
    ...lengthFindings(ctx),
    ...phraseFindings(ctx),
    ...piiFindings(ctx),
    ...signoffFindings(ctx, signoffRange),
    ...styleFindings(ctx),
  ].sort((a, b) => a.start - b.start || a.end - b.end || a.ruleId.localeCompare(b.ruleId));
}
