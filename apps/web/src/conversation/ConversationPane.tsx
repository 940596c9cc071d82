import { mayActOn, roleHasPermission } from '@toonbank/policy';
import {
  ErrorCode,
  Permission,
  type ChannelProvider,
  type ConversationDetailDto,
  type ReplyDto,
  type UserDto,
} from '@toonbank/shared';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../api/ApiError';
import { ErrorNotice } from '../ui/ErrorNotice';
import { formatDate } from '../ui/formatTime';
import { SkeletonRows } from '../ui/Skeleton';
import { Link } from 'react-router-dom';
import {
  useAssign,
  useConversation,
  useConversationAction,
  useConversationList,
  type ConversationAction,
} from '../api/conversations';
import { useConversationReplies, useRetryReply } from '../api/replies';
import { useEligibleUsers, useUserNames } from '../api/team';
import { ChannelIcon } from '../inbox/ChannelIcon';
import { SlaClock } from '../inbox/SlaClock';
import { Composer } from './Composer';
import { LabelsEditor } from './LabelsEditor';
import './conversation.css';
import { NoteForm } from './NoteForm';
import { focusComposer } from './focusComposer';
import { safeUrl, Thread } from './Thread';

/** Replies still worth showing beside the thread (sent ones are in it as messages). */
const OPEN_REPLY_STATES = new Set(['pending_approval', 'queued', 'failed', 'rejected']);

/** Who may queue a failed reply again (POST /api/replies/:id/retry): the role's `reply.retry`. */
const mayRetry = (me: UserDto) => roleHasPermission(me.role, Permission.ReplyRetry);

/** A refusal because the state moved on (409): explained with the state as it is now. */
const isRefusal = (error: unknown) => isApiError(error) && error.statusCode === 409;

/** One conversation: who and what, the thread, the actions the user may take, and the composer. */
export function ConversationPane({ id, me }: { id: string; me: UserDto }) {
  const { t } = useTranslation();
  const conversation = useConversation(id);
  const names = useUserNames();
  if (!conversation.data) {
    if (conversation.isError)
      return <ErrorNotice error={conversation.error} onRetry={() => void conversation.refetch()} />;
    return (
      <div className="conversation-loading">
        <SkeletonRows count={6} label={t('conversation.loading')} />
      </div>
    );
  }
  return <ConversationView conversation={conversation.data} me={me} names={names} />;
}

function ConversationView({
  conversation,
  me,
  names,
}: {
  conversation: ConversationDetailDto;
  me: UserDto;
  names: ReadonlyMap<string, string>;
}) {
  const { t } = useTranslation();
  const assigns = roleHasPermission(me.role, Permission.ConversationAssign);
  const acts = mayActOn(me, conversation);
  const action = useConversationAction(conversation.id);
  const replies = useConversationReplies(conversation.id);
  const open = (replies.data?.items ?? []).filter((r) => OPEN_REPLY_STATES.has(r.status));
  const mayWrite = me.eligible && conversation.status !== 'closed' && acts;
  const mine = conversation.assigneeId === me.id;
  const live = conversation.status !== 'closed';
  const assignee = conversation.assigneeId
    ? (names.get(conversation.assigneeId) ?? t('conversation.someone'))
    : null;

  // A refusal (409) has the conversation read again (the query client, `useConversationAction`).
  const run = (name: ConversationAction) => action.mutate(name);
  // One primary action: claim what nobody has, answer what is yours (or a lead may write in).
  const claimable = conversation.status === 'unassigned' && me.eligible;
  const primary: 'claim' | 'reply' | 'reopen' | null = claimable
    ? 'claim'
    : mayWrite
      ? 'reply'
      : acts && !live
        ? 'reopen'
        : null;
  return (
    <article className="conversation" aria-labelledby="conversation-title">
      <header className="conversation-header">
        <div className="conversation-heading">
          <h2 id="conversation-title">
            <ChannelIcon provider={conversation.provider} /> {conversation.customer.handle}
            {conversation.customer.name && (
              <span className="muted"> · {conversation.customer.name}</span>
            )}
          </h2>
          <p className="conversation-facts">
            <span>{conversation.reference}</span>
            <span>{t(`providers.${conversation.provider}`)}</span>
            <span className={`status status-${conversation.status}`}>
              {t(`status.${conversation.status}`)}
            </span>
            {assignee && <span>{t('conversation.assignee', { name: assignee })}</span>}
            <SlaClock conversation={conversation} />
          </p>
        </div>
        <div className="conversation-actions">
          {primary === 'claim' && (
            <button type="button" className="button button-primary" onClick={() => run('claim')}>
              {t('conversation.actions.claim')}
            </button>
          )}
          {primary === 'reply' && (
            <button type="button" className="button button-primary" onClick={focusComposer}>
              {t('conversation.reply')}
            </button>
          )}
          {primary === 'reopen' && (
            <button type="button" className="button button-primary" onClick={() => run('reopen')}>
              {t('conversation.actions.reopen')}
            </button>
          )}
          {acts && live && (
            <button type="button" className="button button-quiet" onClick={() => run('close')}>
              {t('conversation.actions.close')}
            </button>
          )}
          {acts && live && conversation.assigneeId && (
            <button type="button" className="button button-quiet" onClick={() => run('unassign')}>
              {t('conversation.actions.unassign')}
            </button>
          )}
          {assigns && live && (
            <AssignMenu conversationId={conversation.id} current={conversation.assigneeId} />
          )}
        </div>
        {isRefusal(action.error) ? (
          <p className="form-error" role="alert">
            {assignee && !mine
              ? t('conversation.refusedAssigned', {
                  status: t(`status.${conversation.status}`),
                  name: assignee,
                })
              : t('conversation.refused', { status: t(`status.${conversation.status}`) })}
          </p>
        ) : (
          <ErrorNotice error={action.error} />
        )}
      </header>

      <Thread messages={conversation.messages} names={names} provider={conversation.provider} />
      {replies.isError && (
        <ErrorNotice error={replies.error} onRetry={() => void replies.refetch()} />
      )}
      {open.length > 0 && <ReplyStates replies={open} provider={conversation.provider} me={me} />}

      {mayWrite ? (
        <Composer conversation={conversation} me={me} />
      ) : (
        <p className="notice">
          {!me.eligible
            ? t('errors.policy.not_eligible')
            : conversation.status === 'closed'
              ? t('conversation.closedNotice')
              : t('conversation.claimFirst')}
        </p>
      )}
      <section className="conversation-more" aria-labelledby="conversation-more-title">
        <h3 id="conversation-more-title" className="visually-hidden">
          {t('conversation.more')}
        </h3>
        <LabelsEditor
          conversationId={conversation.id}
          labels={conversation.labels}
          editable={acts}
        />
        <NoteForm conversationId={conversation.id} />
        <EarlierConversations conversation={conversation} />
      </section>
    </article>
  );
}

function ReplyStates({
  replies,
  provider,
  me,
}: {
  replies: readonly ReplyDto[];
  provider: ChannelProvider;
  me: UserDto;
}) {
  const { t } = useTranslation();
  return (
    <ul className="reply-states" aria-label={t('conversation.replies')}>
      {replies.map((reply) => (
        <ReplyDelivery key={reply.id} reply={reply} provider={provider} me={me} />
      ))}
    </ul>
  );
}

/**
 * One of our replies on its way: queued, failed with the reason, and what may be done about a
 * failure: queued again (leads and admins) when it never reached the channel, looked up on
 * the channel when it may have, never sent blindly a second time.
 */
function ReplyDelivery({
  reply,
  provider,
  me,
}: {
  reply: ReplyDto;
  provider: ChannelProvider;
  me: UserDto;
}) {
  const { t } = useTranslation();
  const retry = useRetryReply();
  const channel = t(`providers.${provider}`);
  const failed = reply.status === 'failed';
  return (
    <li className={`reply-state reply-${reply.status}`}>
      <span className="status">{t(`conversation.delivery.${reply.status}`)}</span>
      <span className="reply-text">{reply.text}</span>
      {reply.rejectionComment && (
        <span className="muted">
          {t('conversation.rejectionComment', { comment: reply.rejectionComment })}
        </span>
      )}
      {failed && reply.error && (
        <span className="reply-reason">
          {t('conversation.delivery.reason', { reason: reply.error })}
        </span>
      )}
      {failed && reply.failure === 'not_sent' && (
        <span className="reply-next">
          {t('conversation.delivery.notSent')}
          {mayRetry(me) && (
            <button
              type="button"
              className="button button-quiet"
              disabled={retry.isPending}
              onClick={() => retry.mutate(reply.id)}
            >
              {t('conversation.delivery.retry')}
            </button>
          )}
        </span>
      )}
      {failed && reply.failure === 'maybe_sent' && (
        <span className="reply-next">
          {t('conversation.delivery.maybeSent')}
          {safeUrl(reply.externalUrl) && (
            <a href={safeUrl(reply.externalUrl)} target="_blank" rel="noreferrer noopener">
              {t('conversation.delivery.checkOn', { channel })}
            </a>
          )}
        </span>
      )}
      {isApiError(retry.error) && retry.error.code === ErrorCode.Conflict ? (
        <p className="form-error" role="alert">
          {t('conversation.delivery.retryRefused', {
            status: t(`conversation.delivery.${reply.status}`),
          })}
        </p>
      ) : (
        <ErrorNotice error={retry.error} />
      )}
    </li>
  );
}

function AssignMenu({
  conversationId,
  current,
}: {
  conversationId: string;
  current: string | null;
}) {
  const { t } = useTranslation();
  const eligible = useEligibleUsers();
  const assign = useAssign();
  return (
    <div className="assign-menu">
      <select
        aria-label={t('conversation.actions.assign')}
        value=""
        disabled={assign.isPending}
        onChange={(event) =>
          event.target.value && assign.mutate({ conversationId, userId: event.target.value })
        }
      >
        <option value="">{t('conversation.actions.assign')}</option>
        {(eligible.data?.items ?? [])
          .filter((u) => u.id !== current)
          .map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
              {u.available ? '' : ` (${t('availability.off')})`}
            </option>
          ))}
      </select>
    </div>
  );
}

/** The customer's other conversations on this channel, newest first. */
function EarlierConversations({ conversation }: { conversation: ConversationDetailDto }) {
  const { t, i18n } = useTranslation();
  const history = useConversationList({
    customer: conversation.customer.handle,
    channelId: conversation.channelId,
    status: ['unassigned', 'assigned', 'waiting', 'closed'],
    limit: 10,
  });
  const earlier = (history.data?.pages[0]?.items ?? []).filter((c) => c.id !== conversation.id);
  if (earlier.length === 0) return null;
  return (
    <section className="earlier" aria-labelledby="earlier-title">
      <h3 id="earlier-title">{t('conversation.earlier')}</h3>
      <ul>
        {earlier.map((c) => (
          <li key={c.id}>
            <Link to={`/inbox/${c.id}`}>{c.reference}</Link>{' '}
            <span className="muted">
              {t(`status.${c.status}`)} · {formatDate(c.lastMessageAt, i18n.language)}
            </span>{' '}
            {c.preview}
          </li>
        ))}
      </ul>
    </section>
  );
}
