import { useTranslation } from 'react-i18next';
import { useConversationList } from '../api/conversations';
import { useMe } from '../api/queries';
import { usePolicy } from '../api/team';
import { useDocumentTitle } from '../app/useDocumentTitle';
import { AvailabilityToggle } from '../shell/AvailabilityToggle';
import { ErrorNotice } from '../ui/ErrorNotice';

/** The user's own page: availability, load against capacity, and the trust ladder. */
export function MePage() {
  const { t } = useTranslation();
  useDocumentTitle(t('nav.me'));
  const me = useMe().data;
  const policy = usePolicy().data;
  const open = useConversationList(
    { status: ['assigned', 'waiting'], assignee: 'me', limit: 200 },
    !!me?.eligible,
  );
  if (!me) return null;
  const first = open.data?.pages[0];
  const load = first ? `${first.items.length}${first.nextCursor ? '+' : ''}` : '…';
  const needed = policy?.trustLadder.approvalsToLift ?? null;
  return (
    <section className="page" aria-labelledby="me-title">
      <h1 id="me-title">{t('nav.me')}</h1>
      <div className="card me-card">
        <p>{t('home.signedInAs', { name: me.name, email: me.email })}</p>
        <p>{t('home.role', { role: t(`roles.${me.role}`) })}</p>
        <AvailabilityToggle />
        {me.eligible && open.isError ? (
          <ErrorNotice error={open.error} onRetry={() => void open.refetch()} />
        ) : me.eligible ? (
          <p aria-busy={!first || undefined}>{t('me.load', { load, capacity: me.capacity })}</p>
        ) : (
          <p className="notice notice-warn">{t('home.notEligible')}</p>
        )}
        {me.eligible && needed !== null && (
          <div className="ladder">
            <p>
              {me.approvalLifted
                ? t('me.ladderLifted')
                : t('me.ladder', { earned: me.approvalsEarned, needed })}
            </p>
            {!me.approvalLifted && (
              <progress max={needed} value={Math.min(me.approvalsEarned, needed)}>
                {me.approvalsEarned}/{needed}
              </progress>
            )}
          </div>
        )}
      </div>
    </section>
  );
}
