import type { ConversationDto } from '@toonbank/shared';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ChannelIcon } from './ChannelIcon';
import { SlaClock } from './SlaClock';

export function ConversationRow({
  conversation,
  href,
  selected,
  assigneeName,
}: {
  conversation: ConversationDto;
  href: string;
  selected: boolean;
  assigneeName?: string;
}) {
  const { t } = useTranslation();
  return (
    <li className={selected ? 'conversation-row conversation-row-selected' : 'conversation-row'}>
      <Link to={href} className="conversation-link" aria-current={selected ? 'true' : undefined}>
        <span className="row-top">
          <ChannelIcon provider={conversation.provider} />
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
          <time dateTime={conversation.lastMessageAt}>
            {new Date(conversation.lastMessageAt).toLocaleTimeString([], {
              hour: '2-digit',
              minute: '2-digit',
            })}
          </time>
        </span>
      </Link>
    </li>
  );
}
