import type { ReplyDto, UserDto } from '@toonbank/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../ui/ErrorNotice';
import { Link } from 'react-router-dom';
import { useApprovalQueue, useDecideReply } from '../api/replies';
import { ReasonDialog } from '../ui/ReasonDialog';
import { SkeletonRows } from '../ui/Skeleton';

/** Replies waiting for a team lead or admin: approve (never one's own) or reject with a comment. */
export function ApprovalQueue({ me, names }: { me: UserDto; names: ReadonlyMap<string, string> }) {
  const { t } = useTranslation();
  const queue = useApprovalQueue();
  const decide = useDecideReply();
  const [rejecting, setRejecting] = useState<ReplyDto | null>(null);
  const replies = queue.data?.items ?? [];
  return (
    <section className="board-section board-approvals" aria-labelledby="approvals-title">
      <h2 id="approvals-title">
        {t('board.approvals.title')} {queue.data && <span className="count">{replies.length}</span>}
      </h2>
      <ErrorNotice error={decide.error} />
      {queue.isPending ? (
        <SkeletonRows count={3} label={t('board.approvals.loading')} />
      ) : queue.isError && !queue.data ? (
        <ErrorNotice error={queue.error} onRetry={() => void queue.refetch()} />
      ) : replies.length === 0 ? (
        <p className="muted">{t('board.approvals.empty')}</p>
      ) : (
        <ul className="approval-list">
          {replies.map((reply) => {
            const own = reply.authorId === me.id;
            const author = names.get(reply.authorId) ?? t('conversation.someone');
            return (
              <li key={reply.id} className="board-card approval">
                <p className="approval-head">
                  <strong>{author}</strong>{' '}
                  <Link to={`/inbox/${reply.conversationId}`}>{t('board.approvals.open')}</Link>
                </p>
                <p className="message-text">{reply.text}</p>
                {reply.toneFindings.length > 0 && (
                  <ul className="muted">
                    {reply.toneFindings.map((f, i) => (
                      <li key={`${f.ruleId}-${i}`}>
                        {t(`composer.severity.${f.severity}`)}: {f.message}
                      </li>
                    ))}
                  </ul>
                )}
                <div className="composer-actions">
                  <button
                    type="button"
                    className="button button-primary"
                    disabled={own || decide.isPending}
                    title={own ? t('board.approvals.notOwn') : undefined}
                    aria-label={t('board.approvals.approveFrom', { name: author })}
                    onClick={() => decide.mutate({ replyId: reply.id, decision: 'approve' })}
                  >
                    {t('board.approvals.approve')}
                  </button>
                  <button
                    type="button"
                    className="button"
                    disabled={decide.isPending}
                    aria-label={t('board.approvals.rejectFrom', { name: author })}
                    onClick={() => setRejecting(reply)}
                  >
                    {t('board.approvals.reject')}
                  </button>
                </div>
                {own && <p className="muted">{t('board.approvals.notOwn')}</p>}
              </li>
            );
          })}
        </ul>
      )}
      {rejecting && (
        <ReasonDialog
          title={t('board.approvals.rejectTitle')}
          label={t('board.approvals.comment')}
          confirmLabel={t('board.approvals.reject')}
          maxLength={1000}
          onClose={() => setRejecting(null)}
          onConfirm={(comment) => {
            decide.mutate({ replyId: rejecting.id, decision: 'reject', comment });
            setRejecting(null);
          }}
        />
      )}
    </section>
  );
}
