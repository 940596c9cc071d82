import { withoutOwnMentions } from '@toonbank/shared';

/** How much of the latest message a conversation keeps as its preview. */
export const PREVIEW_LENGTH = 200;

/**
 * A conversation's preview: the start of the customer's latest message, without the mentions
 * of our own channel account it starts with ("@webcare@energie.example Mijn stroom…" →
 * "Mijn stroom…"), so that every row of the inbox shows the customer's words.
 */
export const previewOf = (text: string, accountHandle: string | null): string =>
  withoutOwnMentions(text, accountHandle ? [accountHandle] : []).slice(0, PREVIEW_LENGTH);
