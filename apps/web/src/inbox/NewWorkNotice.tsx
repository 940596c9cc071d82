import { routeAccess } from '@toonbank/policy';
import { Permission, type UserDto } from '@toonbank/shared';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useRealtime } from '../realtime/RealtimeProvider';
import { isNew, type InboxMemory } from './inboxMemory';

/** Whether this user may take unassigned work (claim it): the same rule the server applies. */
export const mayTakeWork = (me: Pick<UserDto, 'role' | 'eligible'>): boolean =>
  routeAccess(me.role, Permission.ConversationClaim, me.eligible) === 'allowed';

/**
 * A quiet notice of new unassigned work while the user is elsewhere in the inbox: a polite
 * live region above the tabs (no dialog, no toast over the work), for people who may claim.
 * It counts conversations that became unassigned, live, and are new to this user; one a
 * colleague claims meanwhile leaves the count. Opening "Niet toegewezen" or hiding it clears it.
 */
export function NewWorkNotice({
  me,
  memory,
  watching,
  href,
}: {
  me: UserDto;
  memory: InboxMemory;
  /** The user is looking at the unassigned list: it shows the new ones itself. */
  watching: boolean;
  href: string;
}) {
  const { t } = useTranslation();
  const { onConversation } = useRealtime();
  const [fresh, setFresh] = useState<ReadonlySet<string>>(new Set());
  const mayTake = mayTakeWork(me);

  useEffect(() => {
    if (!mayTake || watching) return;
    return onConversation((conversation) => {
      const counts = conversation.status === 'unassigned' && isNew(memory, conversation);
      setFresh((held) => {
        if (counts === held.has(conversation.id)) return held;
        const next = new Set(held);
        if (counts) next.add(conversation.id);
        else next.delete(conversation.id);
        return next;
      });
    });
  }, [mayTake, watching, memory, onConversation]);

  useEffect(() => {
    if (watching) setFresh(new Set());
  }, [watching]);

  if (!mayTake) return null;
  return (
    <div className="new-work" role="status">
      {fresh.size > 0 && !watching && (
        <p className="new-work-notice">
          <span>{t('inbox.newWork', { count: fresh.size })}</span>
          <Link to={href} className="new-work-show">
            {t('inbox.showNewWork')}
          </Link>
          <button
            type="button"
            className="button button-quiet new-work-dismiss"
            onClick={() => setFresh(new Set())}
          >
            {t('inbox.dismissNewWork')}
          </button>
        </p>
      )}
    </div>
  );
}
