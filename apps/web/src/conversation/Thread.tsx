import type { MessageDto } from '@toonbank/shared';
import { useTranslation } from 'react-i18next';
import { formatMoment } from '../ui/formatTime';

/** The messages, oldest first: the customer's, ours, and internal notes set apart. */
export function Thread({
  messages,
  names,
}: {
  messages: readonly MessageDto[];
  names: ReadonlyMap<string, string>;
}) {
  const { t } = useTranslation();
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
              <time dateTime={message.createdAt}>{formatMoment(message.createdAt)}</time>
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
