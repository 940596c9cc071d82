import type {
  ChannelProvider,
  ConversationDto,
  ReplyFailure,
  ReplyStatus,
  ToneLanguage,
  UserDto,
} from './contract';
import type { ToneFindingDto } from './tone';

/** The placeholders a template may use besides its free `input.<name>` slots (API.md §Tone and templates). */
export const TEMPLATE_PLACEHOLDERS = [
  'customer.name',
  'customer.handle',
  'agent.firstName',
  'agent.initials',
  'conversation.reference',
] as const;
export type TemplatePlaceholder = (typeof TEMPLATE_PLACEHOLDERS)[number];

/** The longest reply (and tone check) text: an X direct message takes 10,000. */
export const REPLY_TEXT_MAX_LENGTH = 10_000;

export const INPUT_SLOT_PREFIX = 'input.';
/** At the pioneer level a filled-in slot is at most this long, on one line. */
export const PIONEER_INPUT_MAX_LENGTH = 40;
/** `input.<name>`: a letter, then letters, digits, `_` or `-`, at most 40 long. */
const INPUT_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,39}$/;

/** One `{{ name }}` in a body: where it stands (end exclusive) and its trimmed name. */
export interface PlaceholderToken {
  start: number;
  end: number;
  name: string;
}

/**
 * Every `{{ name }}` of `body`, left to right: two opening braces, then text without braces
 * up to two closing braces; the name is that text without surrounding whitespace. A `{{` whose
 * text runs into another brace (or the end) is plain text, and the search goes on from its
 * second character, so `{{{a}}` is a `{` and then `{{a}}`.
 *
 * A scanner, not a regular expression: `/\{\{\s*([^{}]*?)\s*\}\}/g` matched the same but
 * backtracked cubically on `{{` followed by spaces. Each character is looked at a bounded
 * number of times, because the braceless run after a failed `{{` holds no other `{{`.
 */
export function* placeholderTokens(body: string): Generator<PlaceholderToken> {
  let open = body.indexOf('{{');
  while (open !== -1) {
    let close = open + 2;
    while (close < body.length && body[close] !== '{' && body[close] !== '}') close++;
    if (body[close] === '}' && body[close + 1] === '}') {
      yield { start: open, end: close + 2, name: body.slice(open + 2, close).trim() };
      open = body.indexOf('{{', close + 2);
    } else {
      open = body.indexOf('{{', open + 1);
    }
  }
}

export interface TemplatePlaceholders {
  /** The known placeholders used, each once, in order of first use. */
  known: TemplatePlaceholder[];
  /** The names of the `input.<name>` slots, each once, in order of first use. */
  inputs: string[];
  /** Anything else between double braces (a typo, an unknown name). */
  unknown: string[];
}

export function parsePlaceholders(body: string): TemplatePlaceholders {
  const known = new Set<TemplatePlaceholder>();
  const inputs = new Set<string>();
  const unknown = new Set<string>();
  for (const { name: key } of placeholderTokens(body)) {
    if ((TEMPLATE_PLACEHOLDERS as readonly string[]).includes(key)) {
      known.add(key as TemplatePlaceholder);
    } else if (key.startsWith(INPUT_SLOT_PREFIX) && INPUT_NAME.test(key.slice(6))) {
      inputs.add(key.slice(INPUT_SLOT_PREFIX.length));
    } else {
      unknown.add(key);
    }
  }
  return { known: [...known], inputs: [...inputs], unknown: [...unknown] };
}

/** Fill every placeholder; `inputs` fills the `input.<name>` slots (a missing one renders empty). */
export function renderTemplate(
  body: string,
  values: Readonly<Record<TemplatePlaceholder, string>>,
  inputs: Readonly<Record<string, string>> = {},
): string {
  const parts: string[] = [];
  let copied = 0;
  for (const { start, end, name } of placeholderTokens(body)) {
    const value = placeholderValue(name, values, inputs);
    if (value === null) continue;
    parts.push(body.slice(copied, start), value);
    copied = end;
  }
  parts.push(body.slice(copied));
  return parts.join('');
}

/** What fills the placeholder `name`; null leaves it as written (an unknown name). */
function placeholderValue(
  name: string,
  values: Readonly<Record<TemplatePlaceholder, string>>,
  inputs: Readonly<Record<string, string>>,
): string | null {
  if ((TEMPLATE_PLACEHOLDERS as readonly string[]).includes(name))
    return values[name as TemplatePlaceholder];
  if (name.startsWith(INPUT_SLOT_PREFIX)) {
    const slot = name.slice(INPUT_SLOT_PREFIX.length);
    return Object.hasOwn(inputs, slot) ? (inputs[slot] ?? '') : '';
  }
  return null;
}

/** `Template` of API.md §Tone and templates. */
export interface TemplateDto {
  id: string;
  name: string;
  body: string;
  /** The channels it is meant for; empty: all. */
  providers: ChannelProvider[];
  language: ToneLanguage | null;
  /** The free `input.<name>` slots the writer fills through `variables`. */
  inputs: string[];
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  /**
   * For every channel the template is meant for (its `providers`, or every channel when it
   * names none): true when its text, filled with sample values, passes the organisation's
   * current tone profile on that channel without an error (what would block a reply).
   */
  toneOk: Partial<Record<ChannelProvider, boolean>>;
}

/** `Reply` of API.md §Replies. */
export interface ReplyDto {
  id: string;
  conversationId: string;
  authorId: string;
  text: string;
  templateId: string | null;
  private: boolean;
  status: ReplyStatus;
  externalId: string | null;
  /** The post's public URL on its channel, once sent (null for a direct message or when unknown). */
  externalUrl: string | null;
  error: string | null;
  /** For a `failed` reply: whether it may have reached the channel (REPLY_FAILURES); else null. */
  failure: ReplyFailure | null;
  approvedBy: string | null;
  rejectionComment: string | null;
  createdAt: string;
  sentAt: string | null;
  toneFindings: ToneFindingDto[];
  /** The inbound message the reply answers (named by the writer, else the latest one). */
  inReplyToMessageId: string | null;
}

/** The placeholders' values for a reply by `agent` on `conversation` (server and composer alike). */
export function placeholderValues(
  conversation: Pick<ConversationDto, 'customer' | 'reference'>,
  agent: Pick<UserDto, 'name' | 'initials'>,
): Record<TemplatePlaceholder, string> {
  return {
    'customer.name': conversation.customer.name?.trim() || conversation.customer.handle,
    'customer.handle': conversation.customer.handle,
    'agent.firstName': agent.name.trim().split(/\s+/)[0] ?? agent.name,
    'agent.initials': agent.initials,
    'conversation.reference': conversation.reference,
  };
}

/** What a template is checked with when it is saved: realistic, and clean by every rule. */
export const SAMPLE_VALUES: Readonly<Record<TemplatePlaceholder, string>> = {
  'customer.name': 'Sanne de Vries',
  'customer.handle': '@sannedevries',
  'agent.firstName': 'Anna',
  'agent.initials': 'AB',
  'conversation.reference': 'DEMO-1042',
};
/** A filled-in slot when a template is saved (an order number, a date). */
export const SAMPLE_INPUT = '1042';

/**
 * The template as the tone check sees it on save (the editor shows the same text). `inputs`:
 * its slots, when the caller has parsed them already.
 */
export function renderTemplateSample(
  body: string,
  inputs: readonly string[] = parsePlaceholders(body).inputs,
): string {
  return renderTemplate(
    body,
    SAMPLE_VALUES,
    Object.fromEntries(inputs.map((n) => [n, SAMPLE_INPUT])),
  );
}
