import type { ConversationDto } from '@toonbank/shared';
import { useTranslation } from 'react-i18next';
import { formatDuration, formatMoment } from '../ui/formatTime';
import { useNow } from '../ui/useNow';

const MINUTE = 60_000;

/**
 * Time left until the first-response SLA, red once it has passed (or the server flagged it),
 * in the largest sensible unit: "nog 45 min", "2 u te laat", "3 d te laat".
 */
export function SlaClock({
  conversation,
}: {
  conversation: Pick<ConversationDto, 'slaDueAt' | 'slaBreached' | 'firstResponseAt' | 'status'>;
}) {
  const { t, i18n } = useTranslation();
  const now = useNow();
  if (!conversation.slaDueAt || conversation.firstResponseAt || conversation.status === 'closed')
    return null;
  const left = new Date(conversation.slaDueAt).getTime() - now;
  const breached = conversation.slaBreached || left <= 0;
  // At least a minute: "0 min" would read as "now" on either side.
  const span = formatDuration(Math.max(MINUTE, Math.abs(left)) / 1000, i18n.language);
  return (
    <span
      className={breached ? 'sla sla-breached' : left < 15 * MINUTE ? 'sla sla-soon' : 'sla'}
      title={formatMoment(conversation.slaDueAt, i18n.language)}
    >
      {breached ? t('sla.over', { span }) : t('sla.left', { span })}
    </span>
  );
}
