import type { ConversationDto } from '@toonbank/shared';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { formatListTime, formatMoment } from '../ui/formatTime';
import { ChannelIcon } from './ChannelIcon';
import { SlaClock } from './SlaClock';

export function ConversationRow({
  conversation,
  href,
  selected,
  fresh,
  now,
  assigneeName,
}: {
  conversation: ConversationDto;
  href: string;
  selected: boolean;
  /** New to this user (see inboxMemory): marked until opened. */
  fresh: boolean;
  /** The list's clock, so that "today" is one moment for every row. */
  now: number;
  assigneeName?: string;
}) {
  const { t, i18n } = useTranslation();
  const classes = ['conversation-row'];
  if (selected) classes.push('conversation-row-selected');
  if (fresh) classes.push('conversation-row-new');
  return (
    <li className={classes.join(' ')} data-conversation-id={conversation.id}>
      <Link to={href} className="conversation-link" aria-current={selected ? 'true' : undefined}>
        <span className="row-top">
          <ChannelIcon provider={conversation.provider} />
          {fresh && <span className="row-new">{t('inbox.new')}</span>}
          <span className="row-handle">{conversation.customer.handle}</span>
          <span className="row-reference muted">{conversation.reference}</span>
          <SlaClock conversation={conversation} />
        </span>
        <span className="row-preview">{conversation.preview}</span>
        <span className="row-bottom muted">
          <span>{t(`status.${conversation.status}`)}</span>
          {assigneeName && <span>· {assigneeName}</span>}
          {conversation.labels.map((label) => (
            <span key={label} className="label-chip">
              {label}
            </span>
          ))}
          <time
            dateTime={conversation.lastMessageAt}
            title={formatMoment(conversation.lastMessageAt, i18n.language)}
          >
            {formatListTime(conversation.lastMessageAt, now, i18n.language)}
          </time>
        </span>
      </Link>
    </li>
  );
}
