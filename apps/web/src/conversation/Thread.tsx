import type { ChannelProvider, MessageDto } from '@toonbank/shared';
import { useTranslation } from 'react-i18next';
import { formatMoment } from '../ui/formatTime';

/** A link only to a web page (never `javascript:` or the like from a foreign answer). */
export const safeUrl = (url: string | null | undefined): string | undefined =>
  url && /^https?:\/\//i.test(url) ? url : undefined;

/**
 * The messages, oldest first: the customer's, ours, and internal notes set apart. Ours show
 * that they were sent; whatever is on the channel links to the post there.
 */
export function Thread({
  messages,
  names,
  provider,
}: {
  messages: readonly MessageDto[];
  names: ReadonlyMap<string, string>;
  provider: ChannelProvider;
}) {
  const { t, i18n } = useTranslation();
  const channel = t(`providers.${provider}`);
  return (
    <ol className="thread" aria-label={t('conversation.thread')}>
      {messages.map((message) => {
        const author =
          (message.authorUserId && names.get(message.authorUserId)) ||
          message.authorHandle ||
          t('conversation.unknownAuthor');
        return (
          <li key={message.id} className={`message message-${message.direction}`}>
            <div className="message-head">
              <span className="message-author">{author}</span>
              <span className="message-kind">
                {t(`conversation.direction.${message.direction}`)}
              </span>
              <time dateTime={message.createdAt}>
                {formatMoment(message.createdAt, i18n.language)}
              </time>
              {message.direction === 'outbound' && (
                <span className="message-delivered">{t('conversation.delivery.sent')}</span>
              )}
              {safeUrl(message.externalUrl) && (
                <a
                  className="message-link"
                  href={safeUrl(message.externalUrl)}
                  target="_blank"
                  rel="noreferrer noopener"
                >
                  {t('conversation.viewOn', { channel })}
                </a>
              )}
            </div>
            {/* Customer text is rendered as text, never as HTML. */}
            <p className="message-text">{message.text}</p>
            {message.attachments.map((attachment) => (
              <a
                key={attachment.url}
                className="message-attachment"
                href={attachment.url}
                target="_blank"
                rel="noreferrer noopener"
              >
                {t('conversation.attachment', { type: attachment.type })}
              </a>
            ))}
          </li>
        );
      })}
    </ol>
  );
}
