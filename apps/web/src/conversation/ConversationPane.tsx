import { mayActOn, roleHasPermission } from '@toonbank/policy';
import {
  Permission,
  type ConversationDetailDto,
  type ReplyDto,
  type UserDto,
} from '@toonbank/shared';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../ui/ErrorNotice';
import { formatDate } from '../ui/formatTime';
import { Link } from 'react-router-dom';
import {
  useAssign,
  useConversation,
  useConversationAction,
  useConversationList,
  type ConversationAction,
} from '../api/conversations';
import { useConversationReplies } from '../api/replies';
import { useEligibleUsers, useUserNames } from '../api/team';
import { errorMessage } from '../i18n/errorMessage';
import { ChannelIcon } from '../inbox/ChannelIcon';
import { SlaClock } from '../inbox/SlaClock';
import { Composer } from './Composer';
import { LabelsEditor } from './LabelsEditor';
import { NoteForm } from './NoteForm';
import { Thread } from './Thread';

/** Replies still worth showing beside the thread (sent ones are in it as messages). */
const OPEN_REPLY_STATES = new Set(['pending_approval', 'queued', 'failed', 'rejected']);

/** One conversation: who and what, the thread, the actions the user may take, and the composer. */
export function ConversationPane({ id, me }: { id: string; me: UserDto }) {
  const { t } = useTranslation();
  const conversation = useConversation(id);
  const names = useUserNames();
  if (conversation.isError)
    return (
      <p className="form-error" role="alert">
        {errorMessage(t, conversation.error)}
      </p>
    );
  if (!conversation.data)
    return (
      <p className="page-status" role="status">
        {t('app.loading')}
      </p>
    );
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

  const run = (name: ConversationAction) => action.mutate(name);
  return (
    <article className="conversation" aria-labelledby="conversation-title">
      <header className="conversation-header">
        <h2 id="conversation-title">
          <ChannelIcon provider={conversation.provider} /> {conversation.customer.handle}
          {conversation.customer.name && (
            <span className="muted"> · {conversation.customer.name}</span>
          )}
        </h2>
        <p className="conversation-facts">
          <span>{conversation.reference}</span>
          <span className={`status status-${conversation.status}`}>
            {t(`status.${conversation.status}`)}
          </span>
          {conversation.assigneeId && (
            <span>
              {t('conversation.assignee', {
                name: names.get(conversation.assigneeId) ?? t('conversation.someone'),
              })}
            </span>
          )}
          <SlaClock conversation={conversation} />
        </p>
        <div className="conversation-actions">
          {conversation.status === 'unassigned' && me.eligible && (
            <button type="button" className="button button-primary" onClick={() => run('claim')}>
              {t('conversation.actions.claim')}
            </button>
          )}
          {acts && conversation.status !== 'closed' && conversation.assigneeId && (
            <button type="button" className="button" onClick={() => run('unassign')}>
              {t('conversation.actions.unassign')}
            </button>
          )}
          {acts && conversation.status !== 'closed' && (
            <button type="button" className="button" onClick={() => run('close')}>
              {t('conversation.actions.close')}
            </button>
          )}
          {acts && conversation.status === 'closed' && (
            <button type="button" className="button" onClick={() => run('reopen')}>
              {t('conversation.actions.reopen')}
            </button>
          )}
          {assigns && conversation.status !== 'closed' && (
            <AssignMenu conversationId={conversation.id} current={conversation.assigneeId} />
          )}
        </div>
        <ErrorNotice error={action.error} />
        <LabelsEditor
          conversationId={conversation.id}
          labels={conversation.labels}
          editable={acts}
        />
      </header>

      <Thread messages={conversation.messages} names={names} />
      {open.length > 0 && <ReplyStates replies={open} />}

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
      <NoteForm conversationId={conversation.id} />
      <EarlierConversations conversation={conversation} />
    </article>
  );
}

function ReplyStates({ replies }: { replies: readonly ReplyDto[] }) {
  const { t } = useTranslation();
  return (
    <ul className="reply-states" aria-label={t('conversation.replies')}>
      {replies.map((reply) => (
        <li key={reply.id} className={`reply-state reply-${reply.status}`}>
          <span className="status">{t(`replyStatus.${reply.status}`)}</span>
          <span className="reply-text">{reply.text}</span>
          {reply.rejectionComment && (
            <span className="muted">
              {t('conversation.rejectionComment', { comment: reply.rejectionComment })}
            </span>
          )}
          {reply.error && <span className="muted">{reply.error}</span>}
        </li>
      ))}
    </ul>
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
