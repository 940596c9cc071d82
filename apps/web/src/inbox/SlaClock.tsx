import type { ConversationDto } from '@toonbank/shared';
import { useTranslation } from 'react-i18next';
import { useNow } from '../ui/useNow';

const MINUTE = 60_000;

/** Time left until the first-response SLA, red once it has passed (or the server flagged it). */
export function SlaClock({
  conversation,
}: {
  conversation: Pick<ConversationDto, 'slaDueAt' | 'slaBreached' | 'firstResponseAt' | 'status'>;
}) {
  const { t } = useTranslation();
  const now = useNow();
  if (!conversation.slaDueAt || conversation.firstResponseAt || conversation.status === 'closed')
    return null;
  const left = new Date(conversation.slaDueAt).getTime() - now;
  const breached = conversation.slaBreached || left <= 0;
  const minutes = Math.max(1, Math.round(Math.abs(left) / MINUTE));
  const span =
    minutes >= 60
      ? t('sla.hours', { count: Math.round(minutes / 60) })
      : t('sla.minutes', { count: minutes });
  return (
    <span
      className={breached ? 'sla sla-breached' : left < 15 * MINUTE ? 'sla sla-soon' : 'sla'}
      title={new Date(conversation.slaDueAt).toLocaleString()}
    >
      {breached ? t('sla.over', { span }) : t('sla.left', { span })}
    </span>
  );
}
